package harness.api;

import java.time.Duration;

/**
 * The timing parameters of leader election (§5.2, §5.6). An election timeout is drawn at random
 * from [{@code electionTimeoutMin}, {@code electionTimeoutMax}]; a leader sends heartbeats every
 * {@code heartbeatInterval}, which must be well below the smallest election timeout so that a
 * follower hears from its leader several times before it would time out.
 */
public record Timing(Duration electionTimeoutMin, Duration electionTimeoutMax, Duration heartbeatInterval) {

    /** The paper's example interval (150–300 ms, §5.6 and §9.3) with a 50 ms heartbeat. */
    public static final Timing DEFAULT = new Timing(Duration.ofMillis(150), Duration.ofMillis(300), Duration.ofMillis(50));

    public Timing {
        if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero()) {
            throw new IllegalArgumentException("the election timeout must be positive, not " + electionTimeoutMin.toMillis() + " ms");
        }
        if (electionTimeoutMax.compareTo(electionTimeoutMin) < 0) {
            throw new IllegalArgumentException("the election timeout interval is empty: max " + electionTimeoutMax.toMillis()
                    + " ms is below min " + electionTimeoutMin.toMillis() + " ms");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || heartbeatInterval.compareTo(electionTimeoutMin) >= 0) {
            throw new IllegalArgumentException("the heartbeat interval (" + heartbeatInterval.toMillis()
                    + " ms) must be positive and below the smallest election timeout (" + electionTimeoutMin.toMillis() + " ms)");
        }
    }

    /** Election timeouts drawn from [min, max] milliseconds, heartbeats every {@code min / 3} (at least 1 ms). */
    public static Timing electionTimeout(long minMillis, long maxMillis) {
        return new Timing(Duration.ofMillis(minMillis), Duration.ofMillis(maxMillis), Duration.ofMillis(Math.max(1, minMillis / 3)));
    }
}
