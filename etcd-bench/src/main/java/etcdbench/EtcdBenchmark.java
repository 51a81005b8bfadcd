package etcdbench;

import harness.net.ClusterBenchmark;
import harness.net.ClusterBenchmark.Result;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./course cluster bench --etcd}, second half: the loads of {@link ClusterBenchmark}
 * against three etcd members on this machine, started with etcd's defaults (fsync on), through
 * the jetcd client on one connection to the leader. Puts of 256-byte values to 8-byte keys at 1,
 * 16, 64 and 256 in flight, then linearizable gets (etcd's default) at 64, after the same
 * warm-up. A benchmark, not a test: it asserts nothing. Ctrl-C stops it and ends the members.
 */
public final class EtcdBenchmark {

    private EtcdBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration measured = ClusterBenchmark.Options.parse(args).measured(); // etcd writes its WAL its own way
        Path data = Files.createTempDirectory("etcd-bench-");
        EtcdCluster cluster = new EtcdCluster(data, 3);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            harness.storage.Folders.deleteTree(data);
        }));
        cluster.start();
        String leader = cluster.awaitLeader(Duration.ofSeconds(20));
        System.out.printf(Locale.ROOT, "%n3 etcd members on loopback (%s), fsync on, leader at %s; jetcd 0.7.7 client%n",
                cluster.version(), leader);
        try (Client client = Client.builder().endpoints(leader).build()) {
            KV kv = client.getKVClient();
            System.out.printf(Locale.ROOT, "warming up: %d s of puts at %d in flight, not counted...%n",
                    ClusterBenchmark.WARM_UP.toSeconds(), ClusterBenchmark.WARM_UP_IN_FLIGHT);
            List<String> notes = new ArrayList<>();
            drive(kv, ClusterBenchmark.WARM_UP_IN_FLIGHT, false, ClusterBenchmark.WARM_UP, notes);
            notes.clear();
            ClusterBenchmark.printHeader(measured);
            for (int inFlight : ClusterBenchmark.IN_FLIGHT) {
                ClusterBenchmark.print("puts", inFlight, drive(kv, inFlight, false, measured, notes), notes);
            }
            ClusterBenchmark.print("gets (linearizable)", 64, drive(kv, 64, true, measured, notes), notes);
            notes.forEach(System.out::println);
        }
    }

    /**
     * {@code inFlight} chains of requests, each answered one followed at once by the next, for 1 s
     * and then the measured time. jetcd completes requests on its own threads, so the latencies
     * are recorded through atomics. Failed requests (a leader change, say) are not counted, and
     * get a note.
     */
    private static Result drive(KV kv, int inFlight, boolean gets, Duration measured, List<String> notes)
            throws InterruptedException {
        long windowStart = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        long windowEnd = windowStart + measured.toNanos();
        long[] latencies = new long[1 << 22];
        AtomicInteger recorded = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        CountDownLatch chainsDone = new CountDownLatch(inFlight);
        ByteSequence value = ByteSequence.from(ClusterBenchmark.VALUE, StandardCharsets.UTF_8);
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            ByteSequence key = ByteSequence.from(ClusterBenchmark.key(ThreadLocalRandom.current().nextInt(ClusterBenchmark.KEYS)),
                    StandardCharsets.UTF_8);
            long at = System.nanoTime();
            CompletableFuture<?> answer = gets ? kv.get(key) : kv.put(key, value);
            answer.whenComplete((response, error) -> {
                long now = System.nanoTime();
                if (error != null) {
                    failed.incrementAndGet();
                } else if (at >= windowStart) {
                    int i = recorded.getAndIncrement();
                    if (i < latencies.length) {
                        latencies[i] = (now - at) / 1000;
                    }
                }
                if (now < windowEnd) {
                    next[0].run();
                } else {
                    chainsDone.countDown();
                }
            });
        };
        for (int i = 0; i < inFlight; i++) {
            next[0].run();
        }
        if (!chainsDone.await(measured.toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("etcd stopped answering during the benchmark");
        }
        long[] sorted = Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
        Arrays.sort(sorted);
        if (failed.get() > 0) {
            notes.add(String.format(Locale.ROOT, "%s at %d in flight: %d requests failed and are not counted",
                    gets ? "gets" : "puts", inFlight, failed.get()));
        }
        return new Result(sorted, measured, 0);
    }
}
