package harness.cluster;

import java.time.Duration;

/**
 * How the network treats every message: a one-way latency drawn uniformly from
 * [{@code minLatency}, {@code maxLatency}]; a chance to lose it; a chance to deliver it twice
 * (the copy takes its own latency); and a chance to hold it back by up to {@code reorderDelay}
 * more, so that later messages overtake it.
 */
public record Conditions(Duration minLatency, Duration maxLatency, double dropRate, double duplicateRate,
                         double reorderRate, Duration reorderDelay) {

    public Conditions {
        if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
            throw new IllegalArgumentException("latency must satisfy 0 <= min <= max, got " + minLatency.toMillis()
                    + "–" + maxLatency.toMillis() + " ms");
        }
        probability("drop rate", dropRate);
        probability("duplicate rate", duplicateRate);
        probability("reorder rate", reorderRate);
        if (reorderDelay.isNegative()) {
            throw new IllegalArgumentException("the reorder delay cannot be negative");
        }
    }

    private static void probability(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("the " + what + " is a probability between 0 and 1, got " + p);
        }
    }

    /** 1–5 ms one way, nothing lost, duplicated or reordered beyond the latency jitter. */
    public static Conditions reliable() {
        return new Conditions(Duration.ofMillis(1), Duration.ofMillis(5), 0, 0, 0, Duration.ZERO);
    }

    /** 10% lost, 5% duplicated, 10% held back by up to 100 ms: the network Raft must survive. */
    public static Conditions unreliable() {
        return reliable().withDropRate(0.10).withDuplicateRate(0.05).withReordering(0.10, Duration.ofMillis(100));
    }

    /** The longest a message can spend on the wire: the highest latency, and the hold-back if messages may be reordered. */
    public Duration longestDelay() {
        return reorderRate > 0 ? maxLatency.plus(reorderDelay) : maxLatency;
    }

    public Conditions withLatency(Duration min, Duration max) {
        return new Conditions(min, max, dropRate, duplicateRate, reorderRate, reorderDelay);
    }

    public Conditions withDropRate(double rate) {
        return new Conditions(minLatency, maxLatency, rate, duplicateRate, reorderRate, reorderDelay);
    }

    public Conditions withDuplicateRate(double rate) {
        return new Conditions(minLatency, maxLatency, dropRate, rate, reorderRate, reorderDelay);
    }

    public Conditions withReordering(double rate, Duration maxExtraDelay) {
        return new Conditions(minLatency, maxLatency, dropRate, duplicateRate, rate, maxExtraDelay);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("latency " + minLatency.toMillis() + "–" + maxLatency.toMillis() + " ms");
        if (dropRate > 0) s.append(", ").append(percent(dropRate)).append(" lost");
        if (duplicateRate > 0) s.append(", ").append(percent(duplicateRate)).append(" duplicated");
        if (reorderRate > 0) s.append(", ").append(percent(reorderRate)).append(" held back up to ").append(reorderDelay.toMillis()).append(" ms");
        return s.toString();
    }

    private static String percent(double p) {
        return Math.round(p * 100) + "%";
    }
}
