package harness.bench;

import harness.api.RaftImplementation;
import harness.cluster.Cluster;
import harness.cluster.MessageStats;
import harness.sim.SimulatedCluster;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * What replication costs once entries commit (milestone 3 on): messages and bytes on the wire
 * per committed entry, and committed entries per simulated second, on 5 servers with the default
 * network (1–5 ms one way, nothing lost). Two loads: one proposal at a time, each waiting for its
 * commit; and many in flight, a steady stream the leader must batch. A benchmark: it asserts nothing.
 *
 * <p>The runs are short because the safety checks stay on and compare whole logs after every
 * input, which costs time in proportion to the log: the figures per entry do not depend on it.
 */
public final class CommitBenchmark {

    /** The size of each command: small, like a key-value write. */
    private static final String PAYLOAD = "set key-%06d value-%06d";

    /** What one load measured, per committed entry and per simulated second. */
    public record Load(String name, long committed, double simulatedSeconds, long messages, long bytes, long payloadBytes) {
        double messagesPerEntry() {
            return (double) messages / committed;
        }

        double bytesPerEntry() {
            return (double) bytes / committed;
        }

        double wireOverPayload(int followers) {
            return (double) bytes / (payloadBytes * followers);
        }

        double throughput() {
            return committed / simulatedSeconds;
        }
    }

    private CommitBenchmark() {
    }

    /** {@code entries} proposals, each proposed when the previous one has committed at the leader. */
    public static Load oneAtATime(RaftImplementation implementation, int entries, long seed) {
        SimulatedCluster cluster = stableCluster(implementation, seed);
        Window window = new Window(cluster);
        for (int i = 0; i < entries; i++) {
            long index = accepted(cluster, command(i));
            int leader = cluster.leader().orElseThrow();
            if (!cluster.runUntil(c -> c.view(leader).commitIndex() >= index, Duration.ofSeconds(5))) {
                throw new IllegalStateException("entry " + index + " did not commit within 5 s\n" + cluster.report());
            }
        }
        return window.close("one at a time", entries);
    }

    /** A proposal every {@code everyMicros} for {@code seconds} simulated seconds, then until all have committed. */
    public static Load stream(RaftImplementation implementation, long everyMicros, int seconds, long seed) {
        SimulatedCluster cluster = stableCluster(implementation, seed);
        Window window = new Window(cluster);
        long proposals = seconds * 1_000_000L / everyMicros;
        long last = 0;
        for (int i = 0; i < proposals; i++) {
            last = accepted(cluster, command(i));
            cluster.runFor(Duration.ofNanos(everyMicros * 1000));
        }
        long lastIndex = last;
        int leader = cluster.leader().orElseThrow();
        cluster.runUntil(c -> c.view(leader).commitIndex() >= lastIndex, Duration.ofSeconds(5));
        return window.close(String.format(Locale.ROOT, "a proposal every %d µs", everyMicros), (int) proposals);
    }

    private static SimulatedCluster stableCluster(RaftImplementation implementation, long seed) {
        SimulatedCluster cluster = Cluster.builder().nodes(5).seed(seed).implementation(implementation).simulated();
        cluster.awaitLeader(Duration.ofSeconds(5));
        cluster.runFor(Duration.ofMillis(500)); // past the first heartbeats
        return cluster;
    }

    private static long accepted(Cluster cluster, String command) {
        if (cluster.propose(command) instanceof harness.api.Proposal.Accepted a) {
            return a.index();
        }
        throw new IllegalStateException("the leader refused \"" + command + "\"\n" + cluster.report());
    }

    private static String command(int i) {
        return String.format(Locale.ROOT, PAYLOAD, i, i);
    }

    /** Counts what crossed the wire, and when, between its creation and {@link #close}. */
    private static final class Window {
        private final Cluster cluster;
        private final long messages;
        private final long bytes;
        private final long startMicros;

        Window(Cluster cluster) {
            this.cluster = cluster;
            MessageStats stats = cluster.stats();
            this.messages = stats.totalSent();
            this.bytes = stats.totalBytes();
            this.startMicros = cluster.now().toNanos() / 1000;
        }

        Load close(String name, int entries) {
            MessageStats stats = cluster.stats();
            double seconds = (cluster.now().toNanos() / 1000 - startMicros) / 1e6;
            return new Load(name, entries, seconds, stats.totalSent() - messages, stats.totalBytes() - bytes,
                    (long) entries * command(0).length());
        }
    }

    public static void run(RaftImplementation implementation, PrintStream out) {
        out.println();
        out.println("Commit benchmark: " + implementation.name() + ", 5 servers, 1–5 ms one way, nothing lost;"
                + " every message counted, heartbeats included.");
        out.printf(Locale.ROOT, "%-26s %10s %10s %14s %12s %16s %18s%n", "load", "committed", "sim s",
                "messages/entry", "bytes/entry", "wire/(payload×4)", "entries per sim s");
        for (Load load : new Load[] {
                oneAtATime(implementation, 200, 1),
                stream(implementation, 1000, 1, 1),
                stream(implementation, 250, 1, 1)}) {
            out.printf(Locale.ROOT, "%-26s %10d %10.1f %14.2f %12.1f %16.2f %18.0f%n", load.name(), load.committed(),
                    load.simulatedSeconds(), load.messagesPerEntry(), load.bytesPerEntry(), load.wireOverPayload(4), load.throughput());
        }
    }
}
