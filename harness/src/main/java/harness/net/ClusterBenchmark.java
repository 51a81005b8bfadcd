package harness.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import harness.api.Operation;

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
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./course cluster bench}: three {@code raft-node} processes on this machine, fsync on,
 * and a closed-loop load against the leader: 1, 16, 64 and 256 requests in flight, each request
 * answered followed at once by the next; puts of 256-byte values to 8-byte keys, then gets by
 * read-index at 64 in flight. It prints operations per second and the latency percentiles of each
 * load. A benchmark, not a test: it asserts nothing. Ctrl-C stops it and ends the nodes.
 *
 * <p>The JVMs are warmed up first, as JMH does: a node starts out interpreting its code, and for
 * the first seconds its compiler threads compete with it for this machine's two cores. Measured
 * cold, the first load here ran at half its warm rate.
 */
public final class ClusterBenchmark {

    private static final int[] IN_FLIGHT = {1, 16, 64, 256};
    private static final int KEYS = 10_000;
    private static final int CLIENT = 5000;
    private static final Duration WARM_UP = Duration.ofSeconds(8);
    private static final int WARM_UP_IN_FLIGHT = 16; // busy enough to compile the hot paths, gentle enough for a cold leader

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = 5;
        if (args.length == 2 && args[0].equals("--seconds")) {
            seconds = Double.parseDouble(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: ./course cluster bench [--seconds S]   (each load's measured time; default 5)");
            System.exit(RaftNodeMain.USAGE);
        }
        Duration measured = Duration.ofMillis((long) (seconds * 1000));
        Path data = Files.createTempDirectory("cluster-bench-");
        LocalCluster cluster = new LocalCluster(data, 3, 0, null, false);
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
        System.out.printf(Locale.ROOT, "3 raft-node processes on loopback, fsync on, leader node%d; %s, %d cores%n", id,
                System.getProperty("os.name"), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "warming up: %d s of puts at %d in flight, not counted...%n", WARM_UP.toSeconds(), WARM_UP_IN_FLIGHT);
        drive(cluster.addresses().of(id), WARM_UP_IN_FLIGHT, false, WARM_UP);
        System.out.printf(Locale.ROOT, "each load: 1 s to settle, then %s s measured%n%n", seconds);
        System.out.printf(Locale.ROOT, "%-22s %9s %10s %9s %9s %9s%n", "load", "in flight", "ops/s", "p50 ms", "p99 ms", "p99.9 ms");
        for (int inFlight : IN_FLIGHT) {
            print("puts", inFlight, drive(cluster.addresses().of(id), inFlight, false, measured));
        }
        print("gets by read-index", 64, drive(cluster.addresses().of(id), 64, true, measured));
    }

    private static void print(String load, int inFlight, Result r) {
        System.out.printf(Locale.ROOT, "%-22s %9d %10.0f %9.2f %9.2f %9.2f%n", load, inFlight, r.perSecond(), r.percentile(50),
                r.percentile(99), r.percentile(99.9));
    }

    /** What one load measured: completions in the window and their latencies in microseconds. */
    record Result(long[] latencies, Duration window) {
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

    /** {@code inFlight} requests on one connection to the leader, each answered one followed by the next. */
    private static Result drive(InetSocketAddress leader, int inFlight, boolean gets, Duration measured) throws Exception {
        SplittableRandom random = new SplittableRandom(inFlight);
        AtomicLong ids = new AtomicLong();
        java.util.Map<Long, Long> sentAt = new java.util.HashMap<>();
        long[] latencies = new long[1 << 22];
        long[] recorded = {0};
        long start = System.nanoTime();
        long windowStart = start + Duration.ofSeconds(1).toNanos();
        long windowEnd = windowStart + measured.toNanos();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(leader.getHostString(), leader.getPort()), 2000);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            String value = "v".repeat(256);
            Runnable send = () -> {
                long requestId = ids.incrementAndGet();
                String key = String.format("k%07d", random.nextInt(KEYS));
                ObjectNode request = Envelope.JSON.createObjectNode();
                request.put("request_id", requestId);
                request.put(gets ? "query" : "command", (gets ? Operation.get(key) : Operation.put(key, value)).toJson());
                byte[] frame = Envelope.wrap(gets ? "ReadRequest" : "ClientRequest", CLIENT, request);
                sentAt.put(requestId, System.nanoTime());
                try {
                    Frames.write(out, frame);
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            for (int i = 0; i < inFlight; i++) { // this one thread sends every request, and reads every answer
                send.run();
            }
            while (System.nanoTime() < windowEnd) {
                byte[] frame = Frames.read(in);
                if (frame == null) {
                    throw new IOException("the leader closed the connection");
                }
                Envelope e = Envelope.decode(frame);
                if (e.type().equals("NotLeader")) {
                    throw new IllegalStateException("the leader stepped down during the benchmark: " + e.fields());
                }
                Long at = sentAt.remove(e.fields().path("request_id").asLong());
                long now = System.nanoTime();
                if (at != null && now >= windowStart && at >= windowStart) {
                    if (recorded[0] < latencies.length) {
                        latencies[(int) recorded[0]++] = (now - at) / 1000;
                    }
                }
                send.run();
            }
        }
        long[] sorted = Arrays.copyOf(latencies, (int) recorded[0]);
        Arrays.sort(sorted);
        return new Result(sorted, measured);
    }
}
