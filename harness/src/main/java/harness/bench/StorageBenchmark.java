package harness.bench;

import harness.api.Entry;
import harness.api.Operation;
import harness.storage.FileVolume;
import harness.storage.Folders;
import harness.storage.LogStore;
import harness.storage.SimulatedVolume;
import harness.storage.Volume;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What stable storage costs (milestone 4 on): {@link LogStore} appending 32-byte commands, synced
 * after every entry (a follower acknowledging each AppendEntries as it comes) and after every 64
 * (a leader or follower that batches), on a real disk and on the simulator's in-memory disk; and
 * the cost of saving a term and vote, which replaces the state file; and one to three stores on
 * the real disk at once, each syncing every entry, with the log file grown by each append and
 * written over zeros made ahead of it ({@link FileVolume.LogFiles}). Prints entries per second,
 * fsyncs per second and the bytes written per entry, as the volume counted them. The real disk is
 * a fresh directory under the folder it is given (the milestone's {@code target/} when run by
 * {@code ./course bench}), deleted afterwards, also when the run is stopped with Ctrl-C; the figures
 * depend on that disk (an fsync on an SSD with a volatile write cache, a virtual disk or a tmpfs
 * costs far less than on a spinning disk). A benchmark: it asserts nothing.
 */
public final class StorageBenchmark {

    /** 32 bytes, like a small key-value write. */
    private static final String COMMAND = "set key-%06d value-%011d";
    private static final String[] COMMANDS = new String[1024];

    /** A key-value put of a 256-byte value to an 8-byte key, as {@code ./course cluster bench} sends: 296 bytes. */
    private static final String[] PUTS = new String[1024];

    static {
        for (int i = 0; i < COMMANDS.length; i++) {
            COMMANDS[i] = String.format(Locale.ROOT, COMMAND, i, 1000L * i);
            PUTS[i] = Operation.put(String.format(Locale.ROOT, "k%07d", i), "v".repeat(256)).toJson();
        }
    }

    /** One measured run: what the volume did in {@code wallSeconds} for {@code operations} appends or saves. */
    public record Run(String disk, String load, long operations, double wallSeconds, long bytes, long fileSyncs,
                      long directorySyncs) {
        double perSecond() {
            return operations / wallSeconds;
        }

        double fsyncsPerSecond() {
            return fileSyncs / wallSeconds;
        }

        double directorySyncsPerSecond() {
            return directorySyncs / wallSeconds;
        }

        double bytesPerOperation() {
            return (double) bytes / operations;
        }

        double microsPerOperation() {
            return wallSeconds * 1e6 / operations;
        }
    }

    private StorageBenchmark() {
    }

    /**
     * Appends entries to a new store on {@code volume}, syncing after every {@code batch}, until
     * {@code budget} of wall time has passed or {@code maxEntries} were appended (whole batches only).
     */
    public static Run appends(String disk, Volume volume, int batch, Duration budget, long maxEntries) {
        return appends(disk, volume, batch, budget, maxEntries, COMMANDS);
    }

    private static Run appends(String disk, Volume volume, int batch, Duration budget, long maxEntries, String[] commands) {
        LogStore store = LogStore.open(volume); // creating the log is not measured
        Snapshot before = new Snapshot(volume.counters());
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        long entries = 0;
        do {
            for (int i = 0; i < batch; i++) {
                store.append(new Entry(1, commands[(int) (entries++ % commands.length)]));
            }
            store.sync();
        } while (entries < maxEntries && System.nanoTime() < deadline);
        double wall = (System.nanoTime() - start) / 1e9;
        return before.run(disk, "sync every " + batch + (batch == 1 ? " entry" : " entries"), entries, wall, volume.counters());
    }

    /** Saves a new term and vote and syncs it, again and again, for {@code budget} or {@code maxSaves}. */
    public static Run votes(String disk, Volume volume, Duration budget, long maxSaves) {
        LogStore store = LogStore.open(volume);
        Snapshot before = new Snapshot(volume.counters());
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        long saves = 0;
        do {
            saves++;
            store.saveTermAndVote(saves, (int) (saves % 5) + 1);
            store.sync();
        } while (saves < maxSaves && System.nanoTime() < deadline);
        double wall = (System.nanoTime() - start) / 1e9;
        return before.run(disk, "term and vote, each synced", saves, wall, volume.counters());
    }

    /** The counters when a run started. */
    private record Snapshot(long bytes, long fileSyncs, long directorySyncs) {
        Snapshot(Volume.Counters c) {
            this(c.bytesWritten(), c.fileSyncs(), c.directorySyncs());
        }

        Run run(String disk, String load, long operations, double wall, Volume.Counters after) {
            return new Run(disk, load, operations, wall, after.bytesWritten() - bytes, after.fileSyncs() - fileSyncs,
                    after.directorySyncs() - directorySyncs);
        }
    }

    /** Runs {@code body} on a FileVolume in a new directory under {@code parent}, and deletes the directory. */
    private static Run onRealDisk(Path parent, Function<Volume, Run> body) {
        return onRealDisk(parent, FileVolume.LogFiles.PREALLOCATED, body);
    }

    private static Run onRealDisk(Path parent, FileVolume.LogFiles logFiles, Function<Volume, Run> body) {
        Path dir;
        try {
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, "storage-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the storage benchmark under " + parent, e);
        }
        Thread cleanUp = new Thread(() -> Folders.deleteTree(dir), "storage-bench-clean-up"); // also on Ctrl-C
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try (FileVolume volume = new FileVolume(dir, logFiles)) {
            return body.apply(volume);
        } finally {
            Folders.deleteTree(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway, and finds nothing left to delete
            }
        }
    }

    /**
     * {@code writers} stores at once, each on its own directory and thread, each syncing after every
     * entry, as the three nodes of a local cluster share one disk; the runs of all of them.
     */
    private static List<Run> atOnce(Path parent, FileVolume.LogFiles logFiles, int writers, Duration budget, long max) {
        List<CompletableFuture<Run>> runs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            runs.add(CompletableFuture.supplyAsync(() -> onRealDisk(parent, logFiles, v -> appends("file", v, 1, budget, max, PUTS)),
                    runnable -> new Thread(runnable, "storage-bench-writer").start()));
        }
        return runs.stream().map(CompletableFuture::join).toList();
    }

    private static Run onSimulatedDisk(Function<Volume, Run> body) {
        return body.apply(new SimulatedVolume("benchmark disk"));
    }

    /** Runs the benchmark with its files in a new directory under {@code parent}, which must exist. */
    public static void run(PrintStream out, Path parent) {
        if (!Files.isDirectory(parent)) {
            throw new IllegalArgumentException("the storage benchmark writes under " + parent + ", which is not a directory");
        }
        long max = 1_000_000; // the store keeps its log in memory too
        measure(parent.toAbsolutePath(), Duration.ofMillis(2500), Duration.ofMillis(700), max, out);
    }

    private static void measure(Path parent, Duration onFile, Duration inMemory, long max, PrintStream out) {
        out.println();
        out.println("Storage benchmark: LogStore appending " + COMMANDS[0].length() + "-byte commands on a real disk (a new"
                + " directory under " + parent + ", deleted afterwards) and on the simulator's in-memory disk.");
        out.println("Warming up the JIT...");
        onRealDisk(parent, v -> appends("file", v, 64, Duration.ofMillis(300), max));
        onRealDisk(parent, v -> appends("file", v, 1, Duration.ofMillis(200), max));
        onSimulatedDisk(v -> appends("simulated", v, 1, Duration.ofMillis(300), max));
        onSimulatedDisk(v -> votes("simulated", v, Duration.ofMillis(100), max));

        Run[] appends = {
                onRealDisk(parent, v -> appends("file", v, 1, onFile, max)),
                onRealDisk(parent, v -> appends("file", v, 64, onFile, max)),
                onSimulatedDisk(v -> appends("simulated", v, 1, inMemory, max)),
                onSimulatedDisk(v -> appends("simulated", v, 64, inMemory, max))};
        out.printf(Locale.ROOT, "%n%-10s %-22s %10s %8s %12s %10s %12s %12s%n", "disk", "load", "entries", "wall s",
                "appends/s", "fsyncs/s", "bytes/entry", "µs/entry");
        for (Run r : appends) {
            out.printf(Locale.ROOT, "%-10s %-22s %10d %8.2f %12.0f %10.0f %12.1f %12.2f%n", r.disk(), r.load(), r.operations(),
                    r.wallSeconds(), r.perSecond(), r.fsyncsPerSecond(), r.bytesPerOperation(), r.microsPerOperation());
        }

        Run[] votes = {
                onRealDisk(parent, v -> votes("file", v, Duration.ofMillis(1500), max)),
                onSimulatedDisk(v -> votes("simulated", v, inMemory, max))};
        out.printf(Locale.ROOT, "%n%-10s %-26s %10s %8s %12s %10s %13s %11s%n", "disk", "load", "saves", "wall s",
                "saves/s", "fsyncs/s", "dir fsyncs/s", "bytes/save");
        for (Run r : votes) {
            out.printf(Locale.ROOT, "%-10s %-26s %10d %8.2f %12.0f %10.0f %13.0f %11.1f%n", r.disk(), r.load(), r.operations(),
                    r.wallSeconds(), r.perSecond(), r.fsyncsPerSecond(), r.directorySyncsPerSecond(), r.bytesPerOperation());
        }
        out.println("bytes/entry is what the volume wrote per entry: one framed record (length, index, term, command, CRC32C)."
                + " A save writes state.tmp, fsyncs it, renames it over state and fsyncs the directory.");
        out.println("On the simulated disk a sync only marks bytes durable: the difference between the two disks is the"
                + " price of durability on this machine's disk.");
        concurrentWriters(parent, max, out);
    }

    /**
     * Why the log is written over zeros made ahead of it: one, two and three
     * stores syncing every entry at once, each way of writing the log file ({@link FileVolume.LogFiles}).
     */
    private static void concurrentWriters(Path parent, long max, PrintStream out) {
        out.printf(Locale.ROOT, "%nStores syncing every entry at once, each on its own directory and thread, as a local cluster's"
                + " nodes share this disk; how each writes its log file (%d-byte commands, puts as the cluster benchmark's):%n",
                PUTS[0].length());
        out.printf(Locale.ROOT, "%-36s %8s %12s %20s%n", "log file", "stores", "appends/s", "µs per append+sync");
        for (FileVolume.LogFiles logFiles : FileVolume.LogFiles.values()) {
            for (int writers = 1; writers <= 3; writers++) {
                List<Run> runs = atOnce(parent, logFiles, writers, Duration.ofMillis(1500), max);
                double perSecond = runs.stream().mapToDouble(Run::perSecond).sum();
                double micros = runs.stream().mapToDouble(Run::microsPerOperation).average().orElseThrow();
                out.printf(Locale.ROOT, "%-36s %8d %12.0f %20.1f%n", LOG_FILES.get(logFiles), writers, perSecond, micros);
            }
        }
        out.println("µs per append+sync is each store's wall time over its entries, averaged over the stores.");
    }

    private static final Map<FileVolume.LogFiles, String> LOG_FILES = Map.of(
            FileVolume.LogFiles.GROWN, "grown by each append",
            FileVolume.LogFiles.PREALLOCATED, "over zeros made ahead (the default)");

    /** {@code java ... harness.bench.StorageBenchmark [DIR]}: the files go under DIR, by default the system's temporary folder. */
    public static void main(String[] args) {
        run(System.out, Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")));
    }
}
