package harness.net;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An actor's named timers on its event loop, by the wall clock: what {@code startTimer},
 * {@code cancelTimer} and {@code now()} of its environment need in a real process. Used on the
 * event loop only. A timer that was cancelled or replaced after it fired, but before its action
 * ran, does nothing.
 */
final class WallClockTimers {

    private final ScheduledExecutorService loop;
    private final Consumer<Runnable> onLoop;
    private final long startNanos = System.nanoTime();
    private final Map<String, ScheduledFuture<?>> timers = new HashMap<>();

    /** {@code onLoop} runs a fired timer's action on the event loop (at once, or as an input of the next batch). */
    WallClockTimers(ScheduledExecutorService loop, Consumer<Runnable> onLoop) {
        this.loop = loop;
        this.onLoop = onLoop;
    }

    void start(String name, Duration delay, Runnable action) {
        cancel(name);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = loop.schedule(() -> onLoop.accept(() -> {
            if (timers.get(name) == self[0]) {
                timers.remove(name);
                action.run();
            }
        }), delay.toNanos(), TimeUnit.NANOSECONDS);
        timers.put(name, self[0]);
    }

    void cancel(String name) {
        ScheduledFuture<?> pending = timers.remove(name);
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /** Time since this actor started. */
    Duration now() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
