package harness.sim;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A discrete-event simulation: a virtual clock, one queue of future events, one seeded random
 * source. Events run one at a time in time order (ties in the order they were scheduled), and
 * the clock jumps from one event to the next, so a second of simulated time costs only the
 * events in it, and the same seed always gives the same sequence of events.
 */
public final class Simulation {

    /** Something scheduled to happen at a virtual time; it can be cancelled before it runs. */
    public static final class Event implements Comparable<Event> {
        private final long time;
        private final long order;
        private final Runnable action;
        private boolean cancelled;

        private Event(long time, long order, Runnable action) {
            this.time = time;
            this.order = order;
            this.action = action;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final SplittableRandom random;
    private final RandomGenerator randomView;
    private long now;
    private long scheduled;
    private long executed;

    public Simulation(long seed) {
        this.random = new SplittableRandom(seed);
        this.randomView = random::nextLong; // every draw goes through nextLong, in event order
    }

    /** The virtual time now, in microseconds since the simulation started. */
    public long now() {
        return now;
    }

    /** The run's one random source. */
    public RandomGenerator random() {
        return randomView;
    }

    /** Schedules {@code action} to run {@code delayMicros} from now. */
    public Event after(long delayMicros, Runnable action) {
        if (delayMicros < 0) {
            throw new IllegalArgumentException("cannot schedule an event in the past (" + delayMicros + " µs)");
        }
        Event e = new Event(now + delayMicros, scheduled++, action);
        queue.add(e);
        return e;
    }

    /**
     * Runs events in order until the next one would be after {@code until} or {@code stop} says
     * so (asked after each event); then the clock reads {@code until} unless stopped early.
     * Returns true if {@code stop} ended the run.
     */
    public boolean run(long until, java.util.function.BooleanSupplier stop) {
        while (!queue.isEmpty() && queue.peek().time <= until) {
            Event e = queue.poll();
            if (e.cancelled) {
                continue;
            }
            now = e.time;
            executed++;
            e.action.run();
            if (stop.getAsBoolean()) {
                return true;
            }
        }
        now = Math.max(now, until);
        return false;
    }

    /** Events executed so far (cancelled ones not counted). */
    public long executed() {
        return executed;
    }
}
