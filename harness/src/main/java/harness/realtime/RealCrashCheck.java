package harness.realtime;

import harness.storage.Folders;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Stable storage against a real crash: a {@link CrashTarget} process (one server of the milestone
 * on the class path, storing in real files) is killed with SIGKILL while it proposes and syncs,
 * started again on the same directory, and must come back with every entry it acknowledged, at
 * the index and in the term it acknowledged it. Eight rounds; most kill the process a random
 * number of acknowledgements in, the others at a random moment after it started (while the JVM
 * boots, while the server recovers, while it stands for election, or while it writes).
 *
 * <p>This is not a graded scenario: when a kill lands is up to the operating system, so no seed
 * replays a run, and it stays out of the grade table. Milestone modules from 4 on select it with
 * the tag {@code real-crash}; {@code ./course grade} runs only the graded suites and skips it. A
 * failure names each acknowledged entry the restarted server lacked and keeps the directory, with
 * the files and each process's standard error, for inspection.
 */
@Tag("real-crash")
@DisplayName("A real crash: a killed server process comes back with every entry it acknowledged")
public class RealCrashCheck {

    private static final int ROUNDS = 8;
    /** The whole check, every round included; a round that gets stuck fails when this runs out. */
    private static final long BUDGET_MILLIS = 40_000;
    private static final int MAX_ACKS_BEFORE_KILL = 300;
    /** A server process takes about a second to boot, recover and lead: moments up to 3 s land before, during and after. */
    private static final long MAX_KILL_MOMENT_MILLIS = 3_000;
    /** Exit status of a process killed by SIGKILL, as Java reports it on Unix (128 + 9). */
    private static final int KILLED = 137;
    private static final boolean WINDOWS = System.getProperty("os.name").startsWith("Windows");

    /** Marks the end of a process's standard output (compared by identity). */
    private static final String END = new String("(end of output)");

    private final long seed = System.nanoTime();
    private final SplittableRandom random = new SplittableRandom(seed);
    private long deadline;
    private Path directory;
    /** Every acknowledgement so far, by index. */
    private final Map<Long, Ack> acked = new TreeMap<>();
    private final List<String> history = new ArrayList<>();

    private record Ack(long index, long term, String command, int round) {
        String describe() {
            return "index " + index + ": " + command + " in term " + term + " (acknowledged by start " + round + ")";
        }
    }

    private record Stored(long term, String command) {
    }

    @Test
    @Timeout(value = 90) // a backstop: the check's own deadline (40 s) fails first, and says where
    @DisplayName("8 rounds of kill -9 while writing, then restart: every acknowledged entry is in the recovered log")
    void acknowledgedEntriesSurviveKill() throws Exception {
        long started = System.nanoTime();
        deadline = started + TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS);
        Path base = Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of(System.getProperty("java.io.tmpdir"));
        directory = Files.createTempDirectory(base, "real-crash-").toAbsolutePath();
        for (int round = 1; round <= ROUNDS; round++) {
            // The first round always acknowledges something, so the check never passes on nothing.
            boolean atMoment = round > 1 && random.nextInt(3) == 0;
            long killAt = atMoment ? random.nextLong(MAX_KILL_MOMENT_MILLIS + 1) : 1 + random.nextInt(MAX_ACKS_BEFORE_KILL);
            runRound(round, atMoment, killAt);
        }
        try (Child last = new Child(ROUNDS + 1, List.of("--recover-only"))) {
            last.readToEnd(null, null);
            int exit = last.awaitExit();
            if (exit != 0) {
                failWith(last, "the last start, with --recover-only, exited with status " + exit + " instead of 0");
            }
            history.add("start " + (ROUNDS + 1) + ": " + last.progress() + " and stopped (--recover-only)");
        }
        if (acked.isEmpty()) {
            fail("the server acknowledged nothing in " + ROUNDS + " rounds, so nothing was checked (kill plan seed " + seed + ")");
        }
        System.out.printf("Real crash: %d kills, %d acknowledged entries, all recovered, in %.1f s%n  %s%n", ROUNDS,
                acked.size(), (System.nanoTime() - started) / 1e9, String.join("\n  ", history));
        Folders.deleteTree(directory);
    }

    /** One start of the server, killed after {@code killAt} acknowledgements or {@code killAt} ms after it started. */
    private void runRound(int round, boolean atMoment, long killAt) throws Exception {
        try (Child child = new Child(round, List.of())) {
            String plan = atMoment ? killAt + " ms after it started" : "after " + killAt + " acknowledgements";
            boolean reached = child.readToEnd(atMoment ? null : killAt, atMoment ? killAt : null);
            if (!reached) {
                int exit = child.awaitExit();
                failWith(child, "the server process exited by itself with status " + exit + " before it was to be killed ("
                        + plan + ")");
            }
            child.killedAtMillis = child.millisSinceStart();
            child.process.destroyForcibly();
            int exit = child.awaitExit();
            child.readToEnd(null, null); // what it printed before it died was acknowledged too
            if (exit != KILLED && !WINDOWS) { // Windows reports a killed process as status 1
                failWith(child, "the server process ended with status " + exit + " rather than by the kill (status "
                        + KILLED + ")");
            }
            history.add("start " + round + ": " + child.progress() + "; killed " + plan + " (at " + child.killedAtMillis
                    + " ms), having acknowledged " + child.acksThisRound);
        }
    }

    /** The server's start printed its recovered log: every acknowledged entry must be in it. */
    private void checkRecovered(Child child, Map<Long, Stored> recovered, long count) {
        if (recovered.size() != count) {
            failWith(child, "the server printed " + recovered.size() + " recovered entries but said it recovered " + count);
        }
        long lastIndex = recovered.keySet().stream().max(Comparator.naturalOrder()).orElse(0L);
        List<String> missing = new ArrayList<>();
        for (Ack a : acked.values()) {
            Stored s = recovered.get(a.index());
            if (s == null || s.term() != a.term() || !s.command().equals(a.command())) {
                missing.add(a.describe() + " -> " + (s == null ? "nothing there" : "found " + s.command() + " of term " + s.term()));
            }
        }
        if (!missing.isEmpty()) {
            List<String> shown = missing.size() > 20 ? missing.subList(0, 20) : missing;
            failWith(child, "after the kill of start " + (child.round - 1) + ", the restarted server recovered " + count
                    + " entries (up to index " + lastIndex + ") but lacks " + missing.size() + " of the " + acked.size()
                    + " entries it had acknowledged. An acknowledged entry must be on stable storage (synced) before the"
                    + " acknowledgement: Figure 2, persistent state is updated on stable storage before responding.\n"
                    + "Acknowledged and missing:\n  " + String.join("\n  ", shown)
                    + (missing.size() > shown.size() ? "\n  ... and " + (missing.size() - shown.size()) + " more" : ""));
        }
    }

    private void acknowledged(Child child, Ack ack) {
        Ack earlier = acked.get(ack.index());
        if (earlier != null && !earlier.equals(ack)) {
            failWith(child, "the server acknowledged " + ack.describe() + ", but it had already acknowledged " + earlier.describe());
        }
        acked.put(ack.index(), ack);
    }

    private void failWith(Child child, String what) {
        fail("A real crash, start " + child.round + " of " + (ROUNDS + 1) + ": " + what + "\n"
                + "Starts so far:\n  " + (history.isEmpty() ? "(none ended yet)" : String.join("\n  ", history)) + "\n"
                + "Kill plan seed " + seed + " (the kills land where the operating system puts them: no seed replays a run).\n"
                + "Files kept for inspection in " + directory + " (the server's in node1/, each start's standard error in"
                + " start-<n>.stderr.txt)\n"
                + "Standard error of this start:\n" + child.stderrTail());
    }

    private long millisLeft() {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    /** A {@link CrashTarget} process on {@link #directory}, with a thread reading its standard output line by line. */
    private final class Child implements AutoCloseable {
        final int round;
        final Process process;
        final Path stderr;
        final long startedNanos = System.nanoTime();
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private boolean ended;
        private final Map<Long, Stored> recovered = new TreeMap<>();
        long recoveredCount = -1;
        int acksThisRound;
        long recoveredAtMillis = -1;
        long leaderAtMillis = -1;
        long killedAtMillis = -1;
        private long lastAckIndex;

        Child(int round, List<String> options) throws IOException {
            this.round = round;
            this.stderr = directory.resolve("start-" + round + ".stderr.txt");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m"));
            String bug = System.getProperty("raft.bug", "");
            if (!bug.isBlank()) {
                command.add("-Draft.bug=" + bug.strip()); // lets a bug-zoo variant face a real crash too
            }
            // Surefire may hand the tests a manifest-only jar as class path; the child JVM follows its Class-Path too.
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashTarget.class.getName(),
                    directory.toString()));
            command.addAll(options);
            this.process = new ProcessBuilder(command)
                    .redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            Thread reader = new Thread(() -> pump(process.getInputStream()), "crash-target-" + round + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** Queues each line that ends in a newline; a last line the kill cut short was never acknowledged. */
        private void pump(InputStream in) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[1 << 16];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines.add(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(buffer[i]);
                        }
                    }
                }
            } catch (IOException e) {
                // the pipe broke: the process is gone, as at the end of its output
            } finally {
                lines.add(END);
            }
        }

        /**
         * Reads and checks output until {@code acks} acknowledgements of this start have arrived or
         * {@code moment} milliseconds have passed since it started (then true), or until the output
         * ends (false). With neither, reads to the end.
         */
        boolean readToEnd(Long acks, Long moment) throws InterruptedException {
            while (true) {
                if (acks != null && acksThisRound >= acks) {
                    return true;
                }
                long untilMoment = moment == null ? Long.MAX_VALUE : moment - millisSinceStart();
                if (untilMoment <= 0) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                long left = millisLeft();
                if (left <= 0) {
                    failWith(this, "the check's " + BUDGET_MILLIS / 1000 + " s ran out while waiting for "
                            + (acks != null ? "acknowledgement " + (acksThisRound + 1) + " of " + acks
                            : moment != null ? "the moment to kill it" : "the end of its output")
                            + " (the process is " + (process.isAlive() ? "still running" : "gone") + ")");
                }
                String line = lines.poll(Math.min(left, untilMoment), TimeUnit.MILLISECONDS);
                if (line == END) {
                    ended = true;
                } else if (line != null) {
                    take(line);
                }
            }
        }

        private void take(String line) {
            String[] f = line.split(" ", 5);
            try {
                if (line.startsWith("recovered entry ") && f.length == 5) {
                    recovered.put(Long.parseLong(f[2]), new Stored(Long.parseLong(f[3]), f[4]));
                } else if (line.startsWith("recovered ") && recoveredCount < 0) {
                    recoveredCount = Long.parseLong(f[1]);
                    recoveredAtMillis = millisSinceStart();
                    lastAckIndex = recovered.keySet().stream().max(Comparator.naturalOrder()).orElse(0L);
                    checkRecovered(this, recovered, recoveredCount);
                } else if (line.startsWith("ack ")) {
                    String[] a = line.split(" ", 4);
                    Ack ack = new Ack(Long.parseLong(a[1]), Long.parseLong(a[2]), a[3], round);
                    if (recoveredCount < 0 || ack.index() <= lastAckIndex) {
                        failWith(this, "the server acknowledged " + ack.describe() + " out of order: after index "
                                + lastAckIndex + (recoveredCount < 0 ? ", before printing what it recovered" : ""));
                    }
                    lastAckIndex = ack.index();
                    acksThisRound++;
                    acknowledged(this, ack);
                } else if (line.startsWith("leader term ")) {
                    leaderAtMillis = millisSinceStart();
                } else {
                    failWith(this, "the server printed a line this check does not understand: \"" + line + "\"");
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                failWith(this, "the server printed a malformed line: \"" + line + "\" (" + e.getMessage() + ")");
            }
        }

        long millisSinceStart() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        }

        /** How far this start got, as the parent saw it: "recovered 12 entries at 640 ms, led at 900 ms". */
        String progress() {
            if (recoveredCount < 0) {
                return "printed no recovered log";
            }
            return "recovered " + recoveredCount + " entries at " + recoveredAtMillis + " ms"
                    + (leaderAtMillis < 0 ? "" : ", led at " + leaderAtMillis + " ms");
        }

        int awaitExit() throws InterruptedException {
            long wait = Math.max(1, Math.min(10_000, millisLeft()));
            if (!process.waitFor(wait, TimeUnit.MILLISECONDS)) {
                failWith(this, "the server process did not end within " + wait + " ms");
            }
            return process.exitValue();
        }

        String stderrTail() {
            try {
                String text = Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
                text = text.length() > 4000 ? "...\n" + text.substring(text.length() - 4000) : text;
                return text.isBlank() ? "  (empty)" : text.indent(2);
            } catch (IOException e) {
                return "  (cannot read " + stderr + ": " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            process.destroyForcibly(); // no stray process, whatever failed
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(WINDOWS ? "NUL" : "/dev/null");
    }
}
