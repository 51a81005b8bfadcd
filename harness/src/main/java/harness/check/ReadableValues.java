package harness.check;

import harness.api.Operation;
import harness.history.Call;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which values of a key some call could still see, at a point of the search: a value is
 * <em>dead</em> if no get or cas left to place answered it or expected it, nor anything that
 * starts with it. Appending to a dead value gives a dead value, and nothing but a put or a delete
 * brings the key back; as the search places calls, more values die, never fewer.
 *
 * <p>All dead values are alike to every call left: a get fails on them, a cas that answered
 * "true" fails, a cas that answered "false" fits, an append leaves the key dead, a put or delete
 * sets it as usual. So the search may treat them as one value, and that is what makes uncertain
 * calls affordable: the orders in which a handful of appends nobody read could have taken effect
 * give as many different values, all dead, hence the same; and a write read long ago is no
 * longer worth placing again.
 */
final class ReadableValues {

    /** What the gets and cases left to place saw or needed to see. */
    private final Prefixes seen = new Prefixes();
    /** What the cases left to place that answered "false" expected, and did not find. */
    private final Prefixes missed = new Prefixes();

    ReadableValues(List<Call> callsOnKey) {
        callsOnKey.forEach(this::takenBack);
    }

    /** The search placed {@code call}: what it saw no longer keeps values alive. */
    void placed(Call call) {
        seen.remove(valueSeen(call));
        if (failedCas(call)) {
            missed.remove(call.operation().expected());
        }
    }

    /** The search took {@code call} back (or has yet to place it). */
    void takenBack(Call call) {
        seen.add(valueSeen(call));
        if (failedCas(call)) {
            missed.add(call.operation().expected());
        }
    }

    /** Whether a call left could see {@code value}, or a value that starts with it; an absent key counts as seen. */
    boolean readable(String value) {
        return value == null || seen.anyStartsWith(value);
    }

    /**
     * Whether a cas left that answered "false" expected {@code value} or a value that starts with
     * it (any value, if {@code value} is null: the key absent): such a cas is the only call a
     * dead value can help, by not being what it expected.
     */
    boolean missedByAFailedCas(String value) {
        return value == null ? !missed.isEmpty() : missed.anyStartsWith(value);
    }

    /** The value a call saw, or needed to see: null if none (or if it needed the key absent). */
    private static String valueSeen(Call call) {
        Operation op = call.operation();
        if (op.kind() == Operation.Kind.CAS) {
            return op.expected();
        }
        return op.kind() == Operation.Kind.GET && call.isOk() ? call.outcome().value() : null;
    }

    private static boolean failedCas(Call call) {
        return call.isOk() && call.operation().kind() == Operation.Kind.CAS && "false".equals(call.outcome().value());
    }

    /** A multiset of values, sorted, so that the values that start with a given one are found in one look-up. */
    private static final class Prefixes {
        private final TreeMap<String, Integer> counts = new TreeMap<>();
        private int nulls; // an absent key

        void add(String value) {
            if (value == null) {
                nulls++;
            } else {
                counts.merge(value, 1, Integer::sum);
            }
        }

        void remove(String value) {
            if (value == null) {
                nulls--;
            } else {
                counts.computeIfPresent(value, (v, n) -> n == 1 ? null : n - 1);
            }
        }

        boolean anyStartsWith(String prefix) {
            Map.Entry<String, Integer> first = counts.ceilingEntry(prefix); // the values that start with it come first
            return first != null && first.getKey().startsWith(prefix);
        }

        boolean isEmpty() {
            return counts.isEmpty() && nulls == 0;
        }
    }
}
