package harness.bench;

import harness.api.Entry;
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
import java.util.Locale;
import java.util.function.Function;

/**
 * What stable storage costs (milestone 4 on): {@link LogStore} appending 32-byte commands, synced
 * after every entry (a follower acknowledging each AppendEntries as it comes) and after every 64
 * (a leader or follower that batches), on a real disk and on the simulator's in-memory disk; and
 * the cost of saving a term and vote, which replaces the state file. Prints entries per second,
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

    static {
        for (int i = 0; i < COMMANDS.length; i++) {
            COMMANDS[i] = String.format(Locale.ROOT, COMMAND, i, 1000L * i);
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
        LogStore store = LogStore.open(volume); // creating the log is not measured
        Snapshot before = new Snapshot(volume.counters());
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        long entries = 0;
        do {
            for (int i = 0; i < batch; i++) {
                store.append(new Entry(1, COMMANDS[(int) (entries++ % COMMANDS.length)]));
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
        Path dir;
        try {
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, "storage-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the storage benchmark under " + parent, e);
        }
        Thread cleanUp = new Thread(() -> Folders.deleteTree(dir), "storage-bench-clean-up"); // also on Ctrl-C
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try (FileVolume volume = new FileVolume(dir)) {
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
    }

    /** {@code java ... harness.bench.StorageBenchmark [DIR]}: the files go under DIR, by default the system's temporary folder. */
    public static void main(String[] args) {
        run(System.out, Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")));
    }
}
