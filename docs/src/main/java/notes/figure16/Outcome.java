package notes.figure16;

import java.util.List;

/**
 * What the trials of one setting measured: how long the cluster was without a leader in each
 * trial that elected one, in milliseconds, shortest first, and how many trials gave up with no
 * leader after {@link Experiment#GIVE_UP}.
 *
 * <p>A trial that gave up has no time, only "longer than the limit". So the statistics below are
 * over all trials with those counted as longer than any measured time: the median is infinite if
 * half of the trials or more gave up, the mean and the maximum if any did.
 *
 * <p>A trial needs a leader to crash. {@code leaderless} counts the clusters that never had one
 * within {@link Experiment#GIVE_UP}: no trial ran on them, so they are in no statistic. Without
 * a single trial, the statistics are not numbers (NaN).
 */
public record Outcome(List<Double> times, int failures, int leaderless) {

    public Outcome {
        if (failures < 0 || leaderless < 0) {
            throw new IllegalArgumentException("a number of failures cannot be negative: " + failures + ", " + leaderless);
        }
        times = times.stream().sorted().toList();
    }

    /** Trials on clusters that all had a leader to crash. */
    public Outcome(List<Double> times, int failures) {
        this(times, failures, 0);
    }

    /** Every trial run: those that elected a leader and those that gave up. */
    public int trials() {
        return times.size() + failures;
    }

    /** The time by which half of the trials had a new leader. */
    public double median() {
        int n = trials();
        return (time(n / 2) + time((n - 1) / 2)) / 2;
    }

    public double mean() {
        return failures > 0 ? Double.POSITIVE_INFINITY : times.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The shortest time: a trial that elected a leader sooner than the others. */
    public double min() {
        return time(0);
    }

    public double max() {
        return time(trials() - 1);
    }

    /** The fraction of all trials (0 to 1) that had a new leader within {@code ms}. */
    public double fractionWithin(double ms) {
        return (double) times.stream().filter(t -> t <= ms).count() / trials();
    }

    /** The {@code rank}-th time, shortest first; the trials that gave up come last, as infinitely long. */
    private double time(int rank) {
        if (trials() == 0) {
            return Double.NaN; // no trials at all
        }
        return rank < times.size() ? times.get(rank) : Double.POSITIVE_INFINITY;
    }
}
