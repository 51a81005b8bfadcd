package harness.bench;

import harness.api.Operation;
import harness.api.RaftImplementation;
import harness.cluster.Cluster;
import harness.cluster.Implementations;
import harness.cluster.MessageStats;
import harness.history.Call;
import harness.sim.SimulatedCluster;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a client's operation costs in the key-value store (milestone 5 on), in the simulator: 5
 * servers on the default network (1–5 ms one way, nothing lost), and 1 or 16 clients in a closed
 * loop, each submitting its next operation as soon as the previous one completes. Three loads:
 * puts; gets the leader answers by read-index (thesis §6.4: a round of heartbeats, no log entry);
 * and gets that go through the log like writes (§8). For each it reports operations per simulated
 * second, messages and bytes on the wire per operation (heartbeats, client requests and replies
 * included), log entries per operation, and the time a client waits for each. A benchmark, not a
 * test: it asserts nothing.
 *
 * <p>Simulated time does not depend on this machine, so the figures other than the wall time are
 * the same at every run. The runs are short because the safety checks stay on and compare whole
 * logs after every input, which costs wall time in proportion to the log. Nothing is written to
 * disk, so Ctrl-C stops it at any moment and leaves nothing behind.
 */
public final class KeyValueBenchmark {

    /** What the clients ask for. */
    public enum Load {
        PUTS("puts", false),
        GETS_BY_READ_INDEX("gets by read-index", false),
        GETS_THROUGH_THE_LOG("gets through the log", true);

        final String title;
        final boolean readsThroughLog;

        Load(String title, boolean readsThroughLog) {
            this.title = title;
            this.readsThroughLog = readsThroughLog;
        }
    }

    /** The keys operations go to: a few, so gets find values and puts overwrite them. */
    static final int KEYS = 16;
    /** How long the clients run before the measurement starts, so it sees a steady state. */
    static final Duration WARM_UP = Duration.ofMillis(300);
    /** How long the measurement lasts, in simulated time. */
    static final Duration MEASURED = Duration.ofSeconds(2);

    /**
     * One load's measurement.
     *
     * @param operations operations that completed within the measured window
     * @param unknown    of those, how many the client reported as unknown (none on this network)
     * @param entries    entries the leader appended to its log within the window
     * @param latenciesMicros how long each operation that completed in the window took, sorted
     * @param leaderChanged whether the leader changed during the window (it should not: nothing fails)
     */
    public record Result(Load load, int clients, long operations, long unknown, double simulatedSeconds, long messages,
                         long bytes, long entries, long[] latenciesMicros, boolean leaderChanged, double wallSeconds) {

        public double operationsPerSecond() {
            return operations / simulatedSeconds;
        }

        public double messagesPerOperation() {
            return (double) messages / operations;
        }

        public double bytesPerOperation() {
            return (double) bytes / operations;
        }

        public double entriesPerOperation() {
            return (double) entries / operations;
        }

        public double meanLatencyMillis() {
            return Arrays.stream(latenciesMicros).average().orElse(Double.NaN) / 1000;
        }

        /** The latency that {@code fraction} of the operations did not exceed, in ms. */
        public double latencyMillis(double fraction) {
            if (latenciesMicros.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(fraction * latenciesMicros.length) - 1;
            return latenciesMicros[Math.max(0, Math.min(latenciesMicros.length - 1, i))] / 1000.0;
        }
    }

    private KeyValueBenchmark() {
    }

    /** {@code clients} clients run {@code load} in a closed loop; the window after {@link #WARM_UP} is measured. */
    public static Result measure(RaftImplementation implementation, Load load, int clients, Duration measured, long seed) {
        long wallStart = System.nanoTime();
        SimulatedCluster cluster = Cluster.builder().nodes(5).seed(seed).implementation(implementation)
                .clients(clients).readsThroughLog(load.readsThroughLog).simulated();
        cluster.awaitLeader(Duration.ofSeconds(5));
        cluster.runFor(Duration.ofMillis(200)); // the new leader's no-op commits
        for (int k = 0; k < KEYS; k++) { // every key gets a value, so gets find one
            var outcome = cluster.perform(1, Operation.put(key(k), "initial-" + k), Duration.ofSeconds(5));
            if (outcome == null || !outcome.isOk()) {
                throw new IllegalStateException("the store did not take put " + key(k) + " before the benchmark: " + outcome
                        + "\n" + cluster.report());
            }
        }

        SplittableRandom random = new SplittableRandom(seed);
        int[] written = new int[1];
        boolean[] running = {true};
        int firstCall = cluster.history().size() + 1; // the puts above report their completion later: not the load's
        cluster.onCompletion(call -> {
            if (running[0] && call.id() >= firstCall) {
                cluster.submit(clientNumber(call), next(load, random, written));
            }
        });
        for (int k = 1; k <= clients; k++) {
            cluster.submit(k, next(load, random, written));
        }
        cluster.runFor(WARM_UP);

        long start = micros(cluster.now());
        int leader = cluster.leader().orElseThrow(() -> new IllegalStateException("no leader after the warm-up\n" + cluster.report()));
        long term = cluster.view(leader).term();
        long firstIndex = cluster.view(leader).lastLogIndex();
        MessageStats stats = cluster.stats();
        long messages = stats.totalSent();
        long bytes = stats.totalBytes();
        cluster.runFor(measured);
        long end = micros(cluster.now());
        running[0] = false;
        boolean leaderChanged = cluster.leader().map(l -> l != leader || cluster.view(l).term() != term).orElse(true);
        long entries = cluster.view(leader).lastLogIndex() - firstIndex;

        List<Call> done = cluster.history().calls().stream()
                .filter(c -> !c.isPending() && c.completed() > start && c.completed() <= end).toList();
        long[] latencies = done.stream().mapToLong(c -> c.completed() - c.invoked()).sorted().toArray();
        long unknown = done.stream().filter(c -> !c.isOk()).count();
        return new Result(load, clients, done.size(), unknown, (end - start) / 1e6, stats.totalSent() - messages,
                stats.totalBytes() - bytes, entries, latencies, leaderChanged, (System.nanoTime() - wallStart) / 1e9);
    }

    /** The next operation of a load: a put of a fresh value, or a get, of a key drawn at random. */
    private static Operation next(Load load, SplittableRandom random, int[] written) {
        String key = key(random.nextInt(KEYS));
        return load == Load.PUTS ? Operation.put(key, String.format(Locale.ROOT, "value-%08d", ++written[0])) : Operation.get(key);
    }

    private static String key(int k) {
        return String.format(Locale.ROOT, "key-%02d", k);
    }

    /** Client k (1, 2, ...) has the network id {@code 100 + k}. */
    private static int clientNumber(Call call) {
        return call.client() - harness.api.ClientConfig.FIRST_ID + 1;
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    /** Every load with 1 client and with 16, each in a fresh cluster of the same seed; a progress line for each. */
    public static void run(RaftImplementation implementation, PrintStream out) {
        out.println();
        out.println("Key-value benchmark: " + implementation.name() + ", 5 servers, 1–5 ms one way, nothing lost. Closed loop:"
                + " each client submits its next operation when the previous one completes, on " + KEYS + " keys; "
                + MEASURED.toSeconds() + " simulated seconds measured after " + WARM_UP.toMillis() + " ms. Every message"
                + " counted: heartbeats, client requests and replies included.");
        Result[] results = new Result[Load.values().length * 2];
        int i = 0;
        for (int clients : new int[] {1, 16}) {
            for (Load load : Load.values()) {
                out.printf(Locale.ROOT, "  %-22s %2d %-7s ... ", load.title, clients, clients == 1 ? "client" : "clients");
                out.flush();
                Result r = measure(implementation, load, clients, MEASURED, 1);
                out.printf(Locale.ROOT, "%d operations, %.1f s of wall time%n", r.operations(), r.wallSeconds());
                results[i++] = r;
            }
        }
        out.printf(Locale.ROOT, "%n%-22s %7s %10s %9s %9s %10s %10s %8s %8s %8s %8s%n", "load", "clients", "operations",
                "ops/sim s", "msgs/op", "bytes/op", "entries/op", "mean ms", "p50 ms", "p99 ms", "unknown");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-22s %7d %10d %9.0f %9.2f %10.1f %10.2f %8.2f %8.2f %8.2f %8d%s%n", r.load().title, r.clients(),
                    r.operations(), r.operationsPerSecond(), r.messagesPerOperation(), r.bytesPerOperation(),
                    r.entriesPerOperation(), r.meanLatencyMillis(), r.latencyMillis(0.5), r.latencyMillis(0.99), r.unknown(),
                    r.leaderChanged() ? "  (the leader changed)" : "");
        }
        out.println("A get by read-index adds no log entry: the leader answers once a majority has acknowledged a round of"
                + " heartbeats it started after the get arrived, and one round serves every get that waits for it.");
    }

    /** {@code java ... harness.bench.KeyValueBenchmark}: milestone 5 or later on the class path. */
    public static void main(String[] args) {
        run(Implementations.underTest().implementation(), System.out);
    }
}
