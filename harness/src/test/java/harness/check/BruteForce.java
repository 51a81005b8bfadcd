package harness.check;

import harness.history.Call;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The definition of linearizability, checked the slow way for tiny histories: every order of
 * every subset of the uncertain calls with all the OK calls, each key on its own. What the
 * checker's pruning must agree with.
 */
final class BruteForce {

    private BruteForce() {
    }

    static boolean linearizable(List<Call> calls) {
        Map<String, List<Call>> byKey = calls.stream().collect(Collectors.groupingBy(c -> c.operation().key()));
        return byKey.values().stream().allMatch(onKey -> extend(new ArrayList<>(onKey), null));
    }

    /** Whether some order of (some of) {@code left} can follow a prefix that left the key at {@code state}. */
    private static boolean extend(List<Call> left, String state) {
        if (left.stream().noneMatch(Call::isOk)) {
            return true; // the uncertain calls left can all never take effect
        }
        for (Call next : List.copyOf(left)) {
            boolean mustWait = left.stream().anyMatch(other -> other != next && other.isOk() && other.completed() < next.invoked());
            if (mustWait || !KeyValueModel.allows(state, next)) {
                continue;
            }
            left.remove(next);
            boolean works = extend(left, KeyValueModel.after(state, next));
            left.add(next);
            if (works) {
                return true;
            }
        }
        return false;
    }
}
