package harness.check;

import harness.history.Call;
import harness.observe.Time;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Linearizability#check} found: a verdict, and for a history that is not linearizable
 * the evidence a learner needs to find the bug: the key whose calls cannot be ordered, the longest
 * order of its calls the checker could find, and the call that order could not be extended with
 * (typically a stale read). {@link #explain()} says it in a paragraph; {@link
 * harness.display.HistorySvg} draws it.
 */
public final class LinearizabilityResult {

    /** The three answers a bounded search can give. */
    public enum Verdict {
        /** Every key's calls can be put in one order that respects real time and the store's specification. */
        LINEARIZABLE,
        /** Some key's calls cannot: the checker tried every order. */
        NOT_LINEARIZABLE,
        /** The checker ran out of time, or was interrupted, before it could tell: not a verdict on the store. */
        UNDECIDED
    }

    private final Verdict verdict;
    private final List<Call> history;
    private final int keys;
    private final int keysDecided;
    private final String key;
    private final List<Call> longestOrder;
    private final Call unplaceable;
    private final Duration elapsed;
    private final Duration budget;
    private final boolean interrupted;

    LinearizabilityResult(Verdict verdict, List<Call> history, int keys, int keysDecided, String key, List<Call> longestOrder,
                          Call unplaceable, Budget budget) {
        this.verdict = verdict;
        this.history = history;
        this.keys = keys;
        this.keysDecided = keysDecided;
        this.key = key;
        this.longestOrder = longestOrder;
        this.unplaceable = unplaceable;
        this.elapsed = budget.elapsed();
        this.budget = budget.allowed();
        this.interrupted = budget.interrupted();
    }

    public Verdict verdict() {
        return verdict;
    }

    public boolean isLinearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /** Every call of the history that was checked, in the order given. */
    public List<Call> history() {
        return history;
    }

    /** The number of keys the history touches. */
    public int keys() {
        return keys;
    }

    /** How many keys were found linearizable before the check stopped (all of them, for a linearizable history). */
    public int keysDecided() {
        return keysDecided;
    }

    /** The key that is not linearizable, or the one being checked when time ran out; empty for a linearizable history. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** Every call on {@link #key()}, in the order given; empty for a linearizable history. */
    public List<Call> callsOnKey() {
        return key == null ? List.of() : history.stream().filter(c -> c.operation().key().equals(key)).toList();
    }

    /**
     * The longest order of calls on {@link #key()} the checker found (longest in OK calls), first
     * placed first: a linearization of part of the key's history. For an undecided check, the
     * longest found before it stopped; empty for a linearizable history.
     */
    public List<Call> longestOrder() {
        return longestOrder;
    }

    /**
     * The OK call the longest order could not be extended with, although it had completed and so
     * had to be placed next or earlier: a read that saw a value it could no longer see, typically.
     * Present only for a history that is not linearizable.
     */
    public Optional<Call> unplaceable() {
        return Optional.ofNullable(unplaceable);
    }

    /** The wall time the check took. */
    public Duration elapsed() {
        return elapsed;
    }

    /** The wall time the check was allowed. */
    public Duration budget() {
        return budget;
    }

    /** Whether an undecided check stopped because its thread was interrupted (rather than out of time). */
    public boolean interrupted() {
        return interrupted;
    }

    /** The result in a paragraph of the course's words, with the evidence for a failure. */
    public String explain() {
        return switch (verdict) {
            case LINEARIZABLE -> explainLinearizable();
            case NOT_LINEARIZABLE -> Explanation.of(this);
            case UNDECIDED -> explainUndecided();
        };
    }

    private String explainLinearizable() {
        long uncertain = history.stream().filter(Call::isUncertain).count();
        String calls = history.size() + (history.size() == 1 ? " call" : " calls") + " on " + keys + (keys == 1 ? " key" : " keys");
        String s = "Linearizable: the " + calls + " can be put in one order, each call taking effect at one moment between"
                + " its invocation and its completion, in which every answer is the one a single copy of the store would give.";
        if (uncertain > 0) {
            s += " " + uncertain + (uncertain == 1 ? " call" : " calls") + " with an unknown outcome or still pending"
                    + " took effect or not, as that order needed.";
        }
        return s;
    }

    private String explainUndecided() {
        String why = interrupted ? "was interrupted after " + Time.format(elapsed)
                : "ran out of its budget of " + Time.format(budget);
        String s = "Undecided: the checker " + why + ", before it could tell whether the history is linearizable.";
        if (key != null) {
            s += " It had found " + keysDecided + " of " + keys + (keys == 1 ? " key" : " keys") + " linearizable and was checking key "
                    + key + ", where the longest order it had found places " + longestOrder.size() + " of its "
                    + callsOnKey().size() + " calls.";
        }
        return s + " This is no verdict on the store: give the checker more time, or check a shorter history.";
    }

    /** "1 call", "4 calls". */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The verdict, and the key and call that failed. */
    @Override
    public String toString() {
        return switch (verdict) {
            case LINEARIZABLE -> "linearizable (" + count(history.size(), "call") + ", " + count(keys, "key") + ")";
            case NOT_LINEARIZABLE -> "not linearizable: key " + key + ", " + unplaceable + " cannot be placed";
            case UNDECIDED -> "undecided (" + (interrupted ? "interrupted" : "out of time") + (key == null ? "" : " on key " + key) + ")";
        };
    }
}
