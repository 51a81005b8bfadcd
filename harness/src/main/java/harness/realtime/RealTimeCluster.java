package harness.realtime;

import harness.cluster.Cluster;
import harness.cluster.Host;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A cluster on real threads: each server runs on its own single-thread executor with the wall
 * clock, and messages go through an in-memory transport with the same {@link harness.cluster.Network}
 * (latency, loss, partitions, fault rules) as the simulator. The server code is the same; only its
 * environment differs. Runs are not reproducible: thread scheduling decides the order of events.
 *
 * <p>A server's code runs only on its own thread, one input at a time, so it needs no locks.
 * Anything the harness reads from a server it reads on that server's thread.
 */
public final class RealTimeCluster extends Cluster {

    private static final long POLL_MICROS = 2_000;

    private final long startNanos = System.nanoTime();
    private final RandomGenerator networkRandom;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ScheduledExecutorService clientThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "clients");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public RealTimeCluster(Builder builder) {
        super(builder);
        SplittableRandom seeds = new SplittableRandom(seed);
        this.networkRandom = seeds.split(); // drawn only inside the network's synchronized methods
        for (int id : ids) {
            add(new ThreadHost(id, seeds.split()));
        }
        for (Host host : hosts()) {
            ((ThreadHost) host).executor.execute(guarded(host::boot));
        }
        startClients((delay, task) -> scheduleOn(clientThread, delay, task), seeds.split()); // all clients share one thread
    }

    @Override
    protected <T> T onClientThread(Supplier<T> action) {
        return await(clientThread, action);
    }

    @Override
    protected long nowMicros() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    @Override
    public void runFor(Duration duration) {
        long until = nowMicros() + duration.toNanos() / 1000;
        while (nowMicros() < until) {
            rethrowFailure();
            sleepMicros(Math.min(POLL_MICROS * 10, until - nowMicros()));
        }
        rethrowFailure();
    }

    @Override
    public boolean runUntil(Predicate<Cluster> condition, Duration within) {
        long until = nowMicros() + within.toNanos() / 1000;
        while (true) {
            rethrowFailure();
            if (condition.test(this)) {
                return true;
            }
            if (nowMicros() >= until) {
                return false;
            }
            sleepMicros(POLL_MICROS);
        }
    }

    @Override
    protected <T> T onServerThread(Host host, Supplier<T> action) {
        return await(((ThreadHost) host).executor, action);
    }

    /** Runs {@code action} on {@code thread} and waits for its result. */
    private <T> T await(ScheduledExecutorService thread, Supplier<T> action) {
        requireOpen();
        try {
            return thread.submit(action::get).get();
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the cluster is closed: its servers' threads have stopped", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a server's thread", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    protected RandomGenerator networkRandom() {
        return networkRandom;
    }

    @Override
    public void close() {
        closed = true;
        clientThread.shutdownNow();
        hosts().forEach(h -> ((ThreadHost) h).executor.shutdownNow());
        for (Host h : hosts()) {
            try {
                ((ThreadHost) h).executor.awaitTermination(1, TimeUnit.SECONDS); // its disk is in use until then
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        super.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the cluster is closed: its servers' threads have stopped");
        }
    }

    private void rethrowFailure() {
        requireOpen();
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
    }

    private static void sleepMicros(long micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(Math.max(1, micros));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the cluster ran", e);
        }
    }

    /** A task that records the first failure of the run and stops acting once there is one. */
    private Runnable guarded(Runnable task) {
        return () -> {
            if (failure.get() != null) {
                return; // the run has already failed: stop acting
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
        };
    }

    private Host.Scheduled scheduleOn(ScheduledExecutorService thread, long delayMicros, Runnable task) {
        try {
            ScheduledFuture<?> future = thread.schedule(guarded(task), delayMicros, TimeUnit.MICROSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException closed) {
            return () -> { }; // the cluster was closed: nothing runs any more
        }
    }

    /** A server on its own thread; a failure on that thread stops the run and is rethrown to the caller. */
    private final class ThreadHost extends Host {
        private final ScheduledExecutorService executor;
        private final RandomGenerator random;

        ThreadHost(int id, SplittableRandom random) {
            super(RealTimeCluster.this, id);
            this.random = random;
            this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "node" + id);
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        protected Scheduled schedule(long delayMicros, Runnable task) {
            return scheduleOn(executor, delayMicros, task);
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        protected boolean holdsMessagesUntilObserved() {
            return true;
        }
    }
}
