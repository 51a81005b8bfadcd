package harness.check;

import harness.api.Operation;
import harness.history.Call;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which values of a key some call could still see: a value is <em>dead</em> if no OK get answered
 * it and no cas expected it, nor anything that starts with it. Appending to a dead value gives a
 * dead value, and nothing but a put or a delete brings the key back.
 *
 * <p>All dead values are alike to every call: a get fails on them, a cas that answered "true" fails,
 * a cas that answered "false" fits, an append leaves the key dead, a put or delete sets it as
 * usual. So the search may treat them as one value, and that is what makes uncertain appends
 * affordable: the orders in which a handful of appends nobody read could have taken effect give
 * as many different values, which are all dead, hence the same.
 */
final class ReadableValues {

    /** Every get's OK answer and every cas's expected value, sorted: the values that start with v follow v. */
    private final String[] seen;

    ReadableValues(List<Call> callsOnKey) {
        seen = callsOnKey.stream()
                .map(ReadableValues::valueSeen)
                .filter(Objects::nonNull)
                .sorted()
                .distinct()
                .toArray(String[]::new);
    }

    private static String valueSeen(Call call) {
        Operation op = call.operation();
        if (op.kind() == Operation.Kind.CAS) {
            return op.expected();
        }
        return op.kind() == Operation.Kind.GET && call.isOk() ? call.outcome().value() : null;
    }

    /** Whether some call could see {@code value}, or a value that starts with it; an absent key counts as seen. */
    boolean readable(String value) {
        if (value == null) {
            return true;
        }
        int at = Arrays.binarySearch(seen, value);
        int first = at >= 0 ? at : -at - 1; // the first value not less than `value`
        return first < seen.length && seen[first].startsWith(value);
    }
}
