package harness.grade;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./course soak N}: every graded scenario of suites 1 to N against milestone N's reference
 * code, over many seeds, to show that no scenario fails correct code (issue 13: a false alarm
 * costs a student points for nothing, and hidden seeds make any such seed a lottery).
 *
 * <p>The seeds are cut into chunks of {@value #CHUNK}, handed out one at a time to worker JVMs
 * ({@link SoakWorker}): a run's seeds are system properties, global to a JVM, so runs in one JVM
 * cannot share it. A failure is reported as soon as a worker finds it, with its replay command;
 * each finished chunk is recorded in a progress file, so the same soak run again continues where
 * it stopped (Ctrl-C stops the workers and leaves the file whole). It ends with a table per
 * scenario. Never part of {@code ./course test}: 10,000 seeds of every scenario take long.
 */
public final class Soak {

    /** Seeds per chunk: what a worker takes at a time, and what the progress file records done. */
    static final int CHUNK = 250;

    /** Seeds {@code from} to {@code to} of one scenario ("Suite.scenario"). */
    record Chunk(String scenario, long from, long to) {
        static Chunk parse(String line) {
            String[] f = line.split("\t");
            return new Chunk(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]));
        }

        String format() {
            return scenario + "\t" + from + "\t" + to;
        }

        boolean holds(String name, long seed) {
            return scenario.equals(name) && from <= seed && seed <= to;
        }
    }

    /** A failed run: its scenario and seed, its report's first line, and the file that holds the whole report. */
    record Failure(String scenario, long seed, String firstLine, String report) {
        static Failure parse(String[] f) {
            return new Failure(f[1], Long.parseLong(f[2]), f[3], f[4]);
        }

        String format() {
            return String.join("\t", "fail", scenario, String.valueOf(seed), firstLine, report);
        }
    }

    /**
     * What to soak.
     *
     * @param scenarios the scenarios, of suites 1 to {@code milestone}
     * @param code      which code is soaked, such as its jars' names and times: progress recorded for other code is not resumed
     * @param classPath the workers' class path: the harness and the code under test
     * @param dir       where the progress file, the workers' logs and the reports of failed runs go
     */
    public record Settings(int milestone, List<Method> scenarios, long from, long count, int jobs, boolean fresh,
                           String code, String classPath, Path dir) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final SoakProgress progress;
    private final long total;
    private final BlockingQueue<String[]> answers = new LinkedBlockingQueue<>();
    /** Every worker JVM started, for the shutdown hook too, which may run while one is being added. */
    private final List<Process> workers = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private long started;
    /** Runs done before this session (resumed), and runs done in it. */
    private long resumed;
    private long ranNow;
    private long lastShown;

    public Soak(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.progress = SoakProgress.open(settings.dir().resolve(fileName()), header(), settings.fresh());
        this.total = settings.count() * settings.scenarios().size();
    }

    /** Runs what is left of the soak and prints the table; returns the exit code: 1 if any run failed. */
    public int run() {
        List<Chunk> pending = plan().stream().filter(c -> !progress.isDone(c)).toList();
        announce(pending);
        Thread stop = new Thread(this::stop);
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            runAll(pending);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
            workers.forEach(Process::destroy); // done, or a worker failed: none outlives the soak
        }
        clearLine();
        out.print(table());
        return progress.failures().isEmpty() ? 0 : 1;
    }

    /**
     * Every chunk of every scenario, the scenarios taking turns: each scenario's first seeds come
     * early, and so do its failures, and the rate measured so far holds for what is left (run
     * scenario by scenario, the slow ones at the end of the suites would make the estimate of the
     * time left far too short).
     */
    private List<Chunk> plan() {
        List<Chunk> chunks = new ArrayList<>();
        long last = settings.from() + settings.count() - 1;
        for (long from = settings.from(); from <= last; from += CHUNK) {
            for (Method m : settings.scenarios()) {
                chunks.add(new Chunk(name(m), from, Math.min(from + CHUNK - 1, last)));
            }
        }
        return chunks;
    }

    static String name(Method scenario) {
        return scenario.getDeclaringClass().getSimpleName() + "." + scenario.getName();
    }

    /** One file per soak: its seeds, and which scenarios (one by name; a suite by number; all by nothing). */
    private String fileName() {
        List<Method> scenarios = settings.scenarios();
        String which = scenarios.equals(Grader.scenariosUpTo(settings.milestone())) ? ""
                : scenarios.size() == 1 ? "-" + name(scenarios.get(0))
                : scenarios.stream().map(Grader::suiteOf).distinct().count() == 1
                        && scenarios.equals(Grader.scenariosOf(Grader.suiteOf(scenarios.get(0)))) ? "-suite-" + Grader.suiteOf(scenarios.get(0))
                : "-" + Integer.toHexString(scenarios.stream().map(Soak::name).toList().hashCode());
        return "seeds-" + settings.from() + "-" + (settings.from() + settings.count() - 1) + which + ".progress";
    }

    private String header() {
        return "# ./course soak " + settings.milestone() + " of " + settings.code();
    }

    private void announce(List<Chunk> pending) {
        out.printf(Locale.ROOT, "Soak of %s: %d scenario%s of suites 1–%d, seeds %d..%d: %,d runs in %d worker JVM%s.%n",
                settings.code(), settings.scenarios().size(), settings.scenarios().size() == 1 ? "" : "s", settings.milestone(),
                settings.from(), settings.from() + settings.count() - 1, total, jobs(pending), jobs(pending) == 1 ? "" : "s");
        out.println("Progress: " + progress.file() + " (the same command continues a stopped soak; --fresh starts over)");
        if (progress.runs() > 0) {
            out.printf(Locale.ROOT, "Resuming: %,d runs already done, %d failed.%n", progress.runs(), progress.failures().size());
            progress.failures().forEach(this::report);
        }
    }

    private int jobs(List<Chunk> pending) {
        return Math.max(1, Math.min(settings.jobs(), pending.size()));
    }

    // ---- Workers ---------------------------------------------------------------------------------

    /** Hands the chunks out to the workers, one at a time each, and records what they answer. */
    private void runAll(List<Chunk> pending) {
        started = System.nanoTime();
        resumed = progress.runs();
        Deque<Chunk> queue = new ArrayDeque<>(pending);
        List<Worker> all = new ArrayList<>();
        for (int k = 1; k <= jobs(pending) && !queue.isEmpty(); k++) {
            all.add(new Worker(k));
            all.get(k - 1).give(queue.poll());
        }
        int busy = all.size();
        while (busy > 0 && !stopping) {
            String[] answer = next();
            if (answer != null) {
                Worker w = all.get(Integer.parseInt(answer[0]) - 1);
                if (handle(w, answer) && !w.give(queue.poll())) {
                    busy--;
                }
            }
        }
    }

    /** The next answer of any worker (its number first), or null after a second of silence, when the progress line is redrawn. */
    private String[] next() {
        try {
            String[] answer = answers.poll(1, TimeUnit.SECONDS);
            showProgress();
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while soaking", e);
        }
    }

    /** Acts on one answer of {@code w}; returns whether it finished its chunk. */
    private boolean handle(Worker w, String[] answer) {
        switch (answer[1]) {
            case "ran" -> ranNow++;
            case "fail" -> {
                Failure failure = Failure.parse(Arrays.copyOfRange(answer, 1, answer.length));
                w.failed.add(failure);
                report(failure);
            }
            case "done" -> {
                progress.record(w.chunk, w.failed, Long.parseLong(answer[5]), Long.parseLong(answer[7]));
                return true;
            }
            case "exit" -> {
                if (w.chunk != null && !stopping) {
                    throw new IllegalStateException("worker " + w.id + " stopped in the middle of " + w.chunk.scenario() + ", seeds "
                            + w.chunk.from() + " to " + w.chunk.to() + "; its log: " + w.log());
                }
            }
            default -> throw new IllegalStateException("worker " + w.id + " answered \"" + String.join(" ", answer) + "\"");
        }
        return false;
    }

    /** One worker JVM, its standard output read by a thread of its own into {@link #answers}. */
    private final class Worker {
        final int id;
        final Process process;
        final Writer chunks;
        Chunk chunk;
        List<Failure> failed = new ArrayList<>();

        Worker(int id) {
            this.id = id;
            try {
                process = new ProcessBuilder(command()).redirectError(log().toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start a worker JVM: " + String.join(" ", command()), e);
            }
            workers.add(process);
            chunks = process.outputWriter(StandardCharsets.UTF_8);
            Thread reader = new Thread(this::read, "soak worker " + id);
            reader.setDaemon(true);
            reader.start();
        }

        /** Gives it {@code next}, or, if null, tells it there is no more work; returns whether it got work. */
        boolean give(Chunk next) {
            chunk = next;
            failed = new ArrayList<>();
            try {
                if (next == null) {
                    chunks.close();
                    return false;
                }
                chunks.write(next.format() + "\n");
                chunks.flush();
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("worker " + id + " no longer takes work; its log: " + log(), e);
            }
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    answers.add((id + "\t" + line).split("\t", -1));
                }
            } catch (IOException e) {
                // the worker is gone: said below
            }
            answers.add(new String[] {String.valueOf(id), "exit"});
        }

        Path log() {
            return settings.dir().resolve("worker-" + id + ".log");
        }

        private List<String> command() {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", settings.classPath()));
            System.getProperties().stringPropertyNames().stream().filter(Soak::passedOn).sorted()
                    .forEach(key -> command.add("-D" + key + "=" + System.getProperty(key)));
            command.addAll(List.of("harness.cli.Course", "soak-worker", String.valueOf(settings.milestone()),
                    "--failures", settings.dir().resolve("failures").toString()));
            return command;
        }
    }

    /** The course's own settings go on to the workers; those of one grading run do not. */
    private static boolean passedOn(String key) {
        return key.startsWith("raft.") && !List.of(Seeds.ONE, Seeds.MANY, Seeds.FROM, Seeds.SECRET, GradeListener.ONLY,
                GradeListener.DETAILS, GradedExtension.GRADE_COMMAND).contains(key);
    }

    /** Ctrl-C: the progress file stays whole, the workers go, and the user learns how to continue. */
    private void stop() {
        stopping = true;
        progress.close();
        workers.forEach(Process::destroyForcibly);
        clearLine();
        out.printf(Locale.ROOT, "%nStopped after %,d of %,d runs. The same command continues from %s.%n", progress.runs(), total,
                progress.file());
        out.flush();
    }

    // ---- Reporting -------------------------------------------------------------------------------

    private void report(Failure failure) {
        clearLine();
        out.println("FAIL " + failure.scenario() + " seed " + failure.seed() + ": " + failure.firstLine());
        out.println("     replay: " + replay(failure));
        out.println("     report: " + failure.report());
        out.flush();
    }

    private String replay(Failure failure) {
        return "./course grade " + settings.milestone() + " --test " + failure.scenario()
                + (failure.seed() > 0 ? " --seed " + failure.seed() : "");
    }

    /** "  12,500/270,000 runs · 1 failure · 3m 05s · about 41m 10s left", redrawn at most once a second. */
    private void showProgress() {
        long now = System.nanoTime();
        boolean console = System.console() != null;
        if (now - lastShown < (console ? 1_000_000_000L : 30_000_000_000L)) {
            return;
        }
        lastShown = now;
        long done = resumed + ranNow;
        long elapsed = now - started;
        String left = ranNow == 0 ? "" : " · about " + duration(elapsed / ranNow * (total - done) / 1_000_000) + " left";
        String line = String.format(Locale.ROOT, "  %,d/%,d runs · %d failure%s · %s%s", done, total, failuresSoFar(),
                failuresSoFar() == 1 ? "" : "s", duration(elapsed / 1_000_000), left);
        out.print(console ? "\r" + line + "   " : line + "\n");
        out.flush();
    }

    private long failuresSoFar() {
        return progress.failures().size();
    }

    private void clearLine() {
        if (System.console() != null && lastShown != 0) {
            out.print("\r" + " ".repeat(100) + "\r");
        }
    }

    /** The table: per scenario, its seeds run, its failures and the time its runs took, summed over the workers. */
    String table() {
        StringBuilder s = new StringBuilder();
        int width = settings.scenarios().stream().mapToInt(m -> name(m).length()).max().orElse(10);
        s.append(String.format(Locale.ROOT, "%n  %-" + width + "s  %7s  %8s  %9s%n", "scenario", "seeds", "failures", "run time"));
        for (Method m : settings.scenarios()) {
            SoakProgress.Totals t = progress.totals(name(m));
            s.append(String.format(Locale.ROOT, "  %-" + width + "s  %7d  %8d  %9s%n", name(m), t.runs, t.failures, duration(t.millis)));
        }
        s.append(String.format(Locale.ROOT, "%n  %,d of %,d runs, %d failed; this session took %s with %d worker JVM%s.%n",
                progress.runs(), total, progress.failures().size(), duration((System.nanoTime() - started) / 1_000_000),
                settings.jobs(), settings.jobs() == 1 ? "" : "s"));
        progress.failures().forEach(f -> s.append("  FAIL ").append(f.scenario()).append(" seed ").append(f.seed())
                .append(": ").append(replay(f)).append('\n'));
        return s.toString();
    }

    /** "1h 02m", "3m 05s", "12.3 s". */
    static String duration(long millis) {
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long s = millis / 1000;
        return s < 3600 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
    }
}
