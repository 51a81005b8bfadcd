package harness.check;

import java.time.Duration;

/**
 * How long a check may take: a budget of wall time from its start, and the caller's patience (an
 * interrupt of the checking thread ends the check too). The search is exponential in the worst
 * case, so it asks {@link #spent()} every so often and gives up rather than hang a test run.
 */
final class Budget {

    private final Duration allowed;
    private final long start = System.nanoTime();
    private final long nanos;
    private boolean interrupted;

    Budget(Duration allowed) {
        if (allowed.isNegative()) {
            throw new IllegalArgumentException("a budget cannot be negative: " + allowed);
        }
        this.allowed = allowed;
        this.nanos = saturatedNanos(allowed);
    }

    /**
     * Whether the time is up or the thread was interrupted. The interrupt flag is left set, for the
     * caller to see; a zero budget is spent from the first question on.
     */
    boolean spent() {
        if (Thread.currentThread().isInterrupted()) {
            interrupted = true;
            return true;
        }
        return System.nanoTime() - start >= nanos;
    }

    /** Whether the check stopped because its thread was interrupted rather than because its time was up. */
    boolean interrupted() {
        return interrupted;
    }

    Duration allowed() {
        return allowed;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** A budget of centuries is as good as no limit; Duration.toNanos would overflow on it. */
    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
