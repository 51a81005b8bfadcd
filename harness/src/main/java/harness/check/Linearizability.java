package harness.check;

import harness.history.Call;
import harness.history.History;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a history of key-value calls is linearizable (Herlihy and Wing, 1990): that each
 * call can be given one moment between its invocation and its completion at which it took effect,
 * such that the answers are those of a single copy of the store ({@link KeyValueModel}) running
 * the calls one at a time in that order. A call with an unknown outcome, or still pending, may
 * take effect at any moment after its invocation, or never, and its answer is not checked.
 *
 * <pre>{@code
 * LinearizabilityResult result = Linearizability.check(history.calls(), Duration.ofSeconds(10));
 * if (!result.isLinearizable()) {
 *     System.out.println(result.explain());
 *     Files.writeString(Path.of("failure.html"), HistorySvg.page(result));
 * }
 * }</pre>
 *
 * <p>Every operation touches one key, and linearizability is local: a history is linearizable if
 * and only if the calls on each key are. So the keys are checked one by one ({@link KeySearch}),
 * each a search far smaller than the whole history's would be; this is how Porcupine (Athalye)
 * partitions histories too. The keys are taken in the order they first appear, and the check
 * stops at the first key that is not linearizable.
 *
 * <p>The search is exponential in the worst case, so a check has a budget of wall time and stops
 * when it is spent or when its thread is interrupted, with the verdict UNDECIDED (the interrupt
 * flag stays set). The budget is looked at before each key and every thousand or so steps of the
 * search, so a zero budget always gives UNDECIDED, except for an empty history, which is
 * linearizable before any key is looked at.
 */
public final class Linearizability {

    private Linearizability() {
    }

    /** {@link #check(List, Duration)} on every call of {@code history}. */
    public static LinearizabilityResult check(History history, Duration budget) {
        return check(history.calls(), budget);
    }

    /**
     * Checks {@code calls}, within {@code budget} of wall time.
     *
     * @throws IllegalArgumentException if a call completes before it is invoked, or is OK without a
     *                                  completion time: a bug in whatever recorded the history
     */
    public static LinearizabilityResult check(List<Call> calls, Duration budget) {
        Budget b = new Budget(budget);
        List<Call> history = List.copyOf(calls);
        Map<String, List<Call>> byKey = new LinkedHashMap<>();
        for (Call call : history) {
            requireWellFormed(call);
            byKey.computeIfAbsent(call.operation().key(), k -> new ArrayList<>()).add(call);
        }
        int decided = 0;
        for (Map.Entry<String, List<Call>> key : byKey.entrySet()) {
            if (b.spent()) {
                return new LinearizabilityResult(LinearizabilityResult.Verdict.UNDECIDED, history, byKey.size(), decided, key.getKey(),
                        List.of(), null, b);
            }
            KeySearch.Finding finding = new KeySearch(key.getValue()).run(b);
            if (finding.verdict() != LinearizabilityResult.Verdict.LINEARIZABLE) {
                return new LinearizabilityResult(finding.verdict(), history, byKey.size(), decided, key.getKey(),
                        finding.longestOrder(), finding.unplaceable(), b);
            }
            decided++;
        }
        return new LinearizabilityResult(LinearizabilityResult.Verdict.LINEARIZABLE, history, byKey.size(), decided, null, List.of(), null, b);
    }

    private static void requireWellFormed(Call call) {
        if (call.isOk() && call.completed() == Call.PENDING) {
            throw new IllegalArgumentException("call " + call.id() + " is OK but has no completion time: " + call);
        }
        if (!call.isPending() && call.completed() < call.invoked()) {
            throw new IllegalArgumentException("call " + call.id() + " completes before it is invoked: " + call);
        }
    }
}
