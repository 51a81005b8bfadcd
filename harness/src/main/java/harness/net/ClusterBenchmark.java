package harness.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import harness.api.Operation;
import harness.storage.FileVolume;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code ./course cluster bench}: three {@code raft-node} processes on this machine, fsync on,
 * and a closed-loop load against the leader: 1, 16, 64 and 256 requests in flight, each request
 * answered followed at once by the next; puts of 256-byte values to 8-byte keys, then gets by
 * read-index at 1 and 64 in flight. It prints operations per second and the latency percentiles of each
 * load. A benchmark, not a test: it asserts nothing. Ctrl-C stops it and ends the nodes.
 *
 * <p>The JVMs are warmed up first, as JMH does: a node starts out interpreting its code, and for
 * the first seconds its compiler threads compete with it for this machine's two cores. Measured
 * cold, the first load here ran at half its warm rate.
 */
public final class ClusterBenchmark {

    /** The loads, as requests in flight; the same for any store this benchmark drives (see {@code ./course cluster bench --etcd}). */
    public static final int[] IN_FLIGHT = {1, 16, 64, 256};
    public static final int KEYS = 10_000;
    public static final String VALUE = "v".repeat(256);
    public static final Duration WARM_UP = Duration.ofSeconds(8);
    public static final int WARM_UP_IN_FLIGHT = 16; // busy enough to compile the hot paths, gentle enough for a cold leader
    private static final int CLIENT = 5000;

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Duration measured = options.measured();
        Path data = Files.createTempDirectory("cluster-bench-");
        LocalCluster cluster = new LocalCluster(data, 3, 0, null, false).logFiles(options.logFiles());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } catch (InterruptedException ignored) {
                // exiting
            }
            harness.storage.Folders.deleteTree(data);
        }));
        cluster.startAll();
        JsonNode leader = cluster.awaitLeader(Duration.ofSeconds(20));
        if (leader == null) {
            System.err.println("no leader within 20 s; the nodes' logs are in " + data);
            System.exit(1);
        }
        int id = leader.path("id").asInt();
        System.out.printf(Locale.ROOT, "3 raft-node processes on loopback, fsync on, log files written %s, leader node%d; %s, %d cores%n",
                options.logFiles().name().toLowerCase(Locale.ROOT), id, System.getProperty("os.name"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "warming up: %d s of puts at %d in flight, not counted...%n", WARM_UP.toSeconds(), WARM_UP_IN_FLIGHT);
        drive(cluster, WARM_UP_IN_FLIGHT, false, WARM_UP);
        printHeader(measured);
        List<String> notes = new ArrayList<>();
        for (int inFlight : IN_FLIGHT) {
            print("puts", inFlight, drive(cluster, inFlight, false, measured), notes);
        }
        // A get at 1 in flight makes a put's four hops, a heartbeat round instead of the AppendEntries,
        // and touches no disk: what a put at 1 in flight costs besides its fsyncs.
        print("gets by read-index", 1, drive(cluster, 1, true, measured), notes);
        print("gets by read-index", 64, drive(cluster, 64, true, measured), notes);
        notes.forEach(System.out::println);
    }

    /**
     * {@code --seconds S}, each load's measured time (default 5 s), and {@code --log-file HOW}, how
     * the nodes write their logs ({@code raft-node --log-file}; etcd writes its own). Wrong usage
     * ends the process with 64.
     */
    public record Options(Duration measured, FileVolume.LogFiles logFiles) {
        private static final String USAGE = "usage: ./course cluster bench [--etcd] [--seconds S] [--log-file preallocated|grown]\n"
                + "  --seconds S       each load's measured time (default 5)\n"
                + "  --log-file HOW    how the nodes write their logs (default preallocated), to compare the two";

        /** The options in {@code args}; wrong usage prints what was wrong and the usage, and ends the process with 64. */
        public static Options parse(String[] args) {
            try {
                return of(args);
            } catch (IllegalArgumentException e) {
                System.err.println("./course cluster bench: " + e.getMessage() + "\n" + USAGE);
                System.exit(RaftNodeMain.USAGE);
                return null;
            }
        }

        static Options of(String[] args) {
            double seconds = 5;
            FileVolume.LogFiles logFiles = FileVolume.LogFiles.PREALLOCATED;
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].equals("--seconds") && !args[i].equals("--log-file")) {
                    throw new IllegalArgumentException("there is no option " + args[i]);
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                if (args[i].equals("--seconds") && value.matches("\\d+(\\.\\d+)?") && Double.parseDouble(value) > 0) {
                    seconds = Double.parseDouble(value);
                } else if (args[i].equals("--log-file") && value.matches("preallocated|grown")) {
                    logFiles = FileVolume.LogFiles.valueOf(value.toUpperCase(Locale.ROOT));
                } else {
                    throw new IllegalArgumentException(args[i] + " does not take \"" + value + "\"");
                }
            }
            return new Options(Duration.ofMillis((long) (seconds * 1000)), logFiles);
        }
    }

    public static void printHeader(Duration measured) {
        System.out.printf(Locale.ROOT, "each load: 1 s to settle, then %s s measured%n%n", measured.toMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "%-22s %9s %10s %9s %9s %9s%n", "load", "in flight", "ops/s", "p50 ms", "p99 ms", "p99.9 ms");
    }

    /** One row of the table; a load during which the leader changed gets a mark and a note. */
    public static void print(String load, int inFlight, Result r, List<String> notes) {
        System.out.printf(Locale.ROOT, "%-22s %9d %10.0f %9.2f %9.2f %9.2f%s%n", load, inFlight, r.perSecond(), r.percentile(50),
                r.percentile(99), r.percentile(99.9), r.leaderChanges() == 0 ? "" : "  *");
        if (r.leaderChanges() > 0) {
            notes.add(String.format(Locale.ROOT, "* %s at %d in flight: the leader changed %d time%s, and the time without one counts"
                    + " in the figures: a stall (an fsync, a pause of the process) outlasted a follower's 150-300 ms election"
                    + " timeout", load, inFlight, r.leaderChanges(), r.leaderChanges() == 1 ? "" : "s"));
        }
    }

    /** What one load measured: completions in the window and their latencies in microseconds, sorted. */
    public record Result(long[] latencies, Duration window, int leaderChanges) {
        double perSecond() {
            return latencies.length / (window.toNanos() / 1e9);
        }

        double percentile(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latencies.length - 1, Math.ceil(p / 100 * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1000.0;
        }
    }

    /** Key number {@code n}: 8 bytes. */
    public static String key(int n) {
        return String.format("k%07d", n);
    }

    /**
     * {@code inFlight} requests on one connection to the leader, each answered one followed by
     * the next. If the leader steps down, the load moves to the new one: the requests in flight
     * then are lost and not counted, and the time without a leader counts against the load.
     */
    private static Result drive(LocalCluster cluster, int inFlight, boolean gets, Duration measured) throws Exception {
        Load load = new Load(inFlight, gets);
        long windowStart = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        long windowEnd = windowStart + measured.toNanos();
        int leaderChanges = -1;
        while (System.nanoTime() < windowEnd) {
            leaderChanges++;
            JsonNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            if (leader == null) {
                throw new IllegalStateException("no leader for 10 s during the benchmark");
            }
            load.run(cluster.addresses().of(leader.path("id").asInt()), windowStart, windowEnd);
        }
        return new Result(load.latencies(), measured, leaderChanges);
    }

    /** One load's requests and what they measured: one thread sends every request and reads every answer. */
    private static final class Load {
        private final int inFlight;
        private final boolean gets;
        private final SplittableRandom random;
        private final Map<Long, Long> sentAt = new HashMap<>();
        private final long[] latencies = new long[1 << 22];
        private int recorded;
        private long ids;

        Load(int inFlight, boolean gets) {
            this.inFlight = inFlight;
            this.gets = gets;
            this.random = new SplittableRandom(inFlight);
        }

        long[] latencies() {
            long[] sorted = Arrays.copyOf(latencies, recorded);
            Arrays.sort(sorted);
            return sorted;
        }

        /** Runs against {@code leader} until the window ends or the leader steps down. */
        void run(InetSocketAddress leader, long windowStart, long windowEnd) throws IOException {
            sentAt.clear();
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(leader.getHostString(), leader.getPort()), 2000);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
                for (int i = 0; i < inFlight; i++) {
                    send(out);
                }
                while (System.nanoTime() < windowEnd) {
                    byte[] frame = Frames.read(in);
                    if (frame == null) {
                        return; // the node went away
                    }
                    Envelope e = Envelope.decode(frame);
                    if (e.type().equals("NotLeader")) {
                        return;
                    }
                    Long at = sentAt.remove(e.fields().path("request_id").asLong());
                    long now = System.nanoTime();
                    if (at != null && at >= windowStart && recorded < latencies.length) {
                        latencies[recorded++] = (now - at) / 1000;
                    }
                    send(out);
                }
            } catch (Envelope.BadEnvelope e) {
                throw new IOException("the leader sent a frame that is not the protocol: " + e.getMessage(), e);
            }
        }

        private void send(OutputStream out) throws IOException {
            long requestId = ++ids;
            String key = key(random.nextInt(KEYS));
            ObjectNode request = Envelope.JSON.createObjectNode();
            request.put("request_id", requestId);
            request.put(gets ? "query" : "command", (gets ? Operation.get(key) : Operation.put(key, VALUE)).toJson());
            byte[] frame = Envelope.wrap(gets ? "ReadRequest" : "ClientRequest", CLIENT, request);
            sentAt.put(requestId, System.nanoTime());
            Frames.write(out, frame);
            out.flush();
        }
    }
}
