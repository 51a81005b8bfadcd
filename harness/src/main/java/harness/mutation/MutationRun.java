package harness.mutation;

import harness.mutation.Explanations.Explanation;
import harness.mutation.Explanations.Verdict;
import harness.mutation.MutantWorker.Answer;
import harness.mutation.MutantWorker.Job;
import harness.mutation.MutantWorker.Status;
import harness.storage.Folders;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Mutation testing of one milestone ({@code ./course mutants N}): every {@link Mutator} change to
 * the files of its {@code raft} package (not the bug zoo) is compiled and graded by suites 1 to N
 * in worker processes, each mutant stopping at its first failing scenario. A mutant some scenario
 * fails is killed; one every scenario passes survives, and is either explained in
 * {@code survivors.txt} or a gap in the suites. Scenarios that have killed the most run first, which
 * changes how fast mutants die, never whether: each scenario replays the same seeds every time.
 */
public final class MutationRun {

    /** How a run is set up: the milestone, its module, how many workers, the limit per mutant, the seeds. */
    public record Settings(int milestone, Path module, int jobs, Duration limit, Integer seeds, Long seed, String test) {
    }

    /** One mutant's fate, and the full report of the failure that killed it (empty if none). */
    public record Result(Mutant mutant, Answer answer, long millis, String report) {
    }

    private final Settings settings;
    private final PrintStream out;
    private final Path work;
    private final Path sourceRoot;
    /** The time a mutant may take: given, or four times what the reference takes (at least a minute). */
    private Duration limit;

    public MutationRun(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.work = settings.module().resolve("target/mutants");
        this.sourceRoot = settings.module().resolve("src/main/java");
    }

    /** Every mutant of the milestone, numbered from 1, file by file in syntax-tree order. */
    public List<Mutant> mutants() {
        List<Mutant> all = new ArrayList<>();
        for (Path file : mutableFiles()) {
            String relative = sourceRoot.relativize(file).toString().replace('\\', '/');
            for (Mutant m : Mutator.mutants(relative, read(file))) {
                all.add(new Mutant(all.size() + 1, m.file(), m.method(), m.line(), m.start(), m.end(), m.operator(),
                        m.original(), m.replacement(), m.occurrence(), m.lineBefore(), m.lineAfter()));
            }
        }
        return all;
    }

    /** The milestone's own code: its raft package without the bug zoo, which exists to be wrong. */
    private List<Path> mutableFiles() {
        Path raft = sourceRoot.resolve("raft");
        try (Stream<Path> files = Files.list(raft)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + raft + ": " + e.getMessage(), e);
        }
    }

    /**
     * Grades the reference first (every scenario must pass it), then each mutant, printing progress
     * and each survivor as it is found; returns every result, in mutant order.
     */
    public List<Result> run(List<Mutant> mutants) throws InterruptedException {
        removeScratch(); // the saved results of the last full run stay: a run of a few mutants must not lose them
        for (int i = 0; i < settings.jobs(); i++) {
            Folders.deleteTree(work.resolve("scratch-" + i)); // the last run's pictures
        }
        mkdirs(work);
        Thread cleanUp = new Thread(this::removeScratch, "mutants-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUp); // Ctrl-C: workers die with their parent's process group
        try (WorkerPool pool = new WorkerPool(settings.jobs())) {
            Map<String, Long> baseline = baseline(pool.workers.get(0));
            Scheduler scheduler = new Scheduler(baseline);
            Progress progress = new Progress(mutants.size());
            ConcurrentLinkedQueue<Mutant> queue = new ConcurrentLinkedQueue<>(mutants);
            Map<Integer, Result> results = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < pool.workers.size(); w++) {
                WorkerProcess worker = pool.workers.get(w);
                Path dir = work.resolve("workers/" + w);
                Thread t = new Thread(() -> drain(queue, worker, dir, scheduler, results, progress), "mutants-" + w);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            progress.finish();
            return mutants.stream().map(m -> results.get(m.number())).toList();
        } finally {
            removeScratch();
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        }
    }

    /** The mutated copies go; the results, the workers' logs and the pictures of failures stay. */
    private void removeScratch() {
        Folders.deleteTree(work.resolve("workers"));
    }

    /** Each worker's thread: take the next mutant, write its sources, let the worker grade it. */
    private void drain(ConcurrentLinkedQueue<Mutant> queue, WorkerProcess worker, Path dir, Scheduler scheduler,
                       Map<Integer, Result> results, Progress progress) {
        Path sources = dir.resolve("src");
        copyTree(sourceRoot, sources);
        try {
            for (Mutant m; (m = queue.poll()) != null; ) {
                Path file = sources.resolve(m.file());
                String original = read(sourceRoot.resolve(m.file()));
                write(file, m.apply(original));
                long start = System.nanoTime();
                Answer answer = worker.ask(job(sources, dir.resolve("classes-" + m.number()), scheduler.order(), m), limit);
                Path classes = dir.resolve("classes-" + m.number());
                Path failure = classes.resolveSibling(classes.getFileName() + "-failure.txt");
                Result result = new Result(m, answer, (System.nanoTime() - start) / 1_000_000,
                        Files.exists(failure) ? read(failure) : "");
                write(file, original);
                Folders.deleteTree(classes);
                Folders.deleteTree(failure);
                scheduler.record(answer);
                results.put(m.number(), result);
                progress.done(result);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Job job(Path sources, Path classes, List<String> scenarios, Mutant mutant) {
        String replay = "./course mutants " + settings.milestone() + (mutant == null ? "" : " --mutant " + mutant.number());
        return new Job(settings.milestone(), sources, settings.module().resolve("src/main/resources"), classes, scenarios, replay);
    }

    /** The reference passes every scenario, or nothing a mutant does means anything; and how long each takes. */
    private Map<String, Long> baseline(WorkerProcess worker) throws InterruptedException {
        Path dir = work.resolve("workers/baseline");
        copyTree(sourceRoot, dir.resolve("src"));
        out.println("Grading the reference first: every scenario must pass it...");
        long start = System.nanoTime();
        Answer answer = worker.ask(job(dir.resolve("src"), dir.resolve("classes"), scenarioNames(), null), Duration.ofMinutes(30));
        if (answer.status() != Status.SURVIVED) {
            throw new IllegalStateException("the reference code of milestone " + settings.milestone() + " does not pass its own"
                    + " suites (" + answer.status() + " " + answer.killer() + ": " + answer.firstLine() + "); mutation testing needs"
                    + " a reference that passes: run ./course grade " + settings.milestone());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        limit = settings.limit() != null ? settings.limit() : Duration.ofSeconds(Math.max(60, Math.round(4 * seconds)));
        out.printf("The reference passes all %d scenarios in %.1f s.%n", answer.millis().size(), seconds);
        return answer.millis();
    }

    private List<String> scenarioNames() {
        List<String> all = harness.grade.Grader.scenariosUpTo(settings.milestone()).stream().map(MutantWorker::name).toList();
        if (settings.test() == null) {
            return all;
        }
        return List.of(MutantWorker.name(harness.grade.Grader.scenario(settings.test(), settings.milestone())));
    }

    /**
     * The order scenarios are tried in: those that killed the most mutants so far first, then the
     * quickest; a mutant is usually caught by one of a few scenarios, and this finds it in seconds.
     */
    private static final class Scheduler {
        private final Map<String, Long> millis;
        private final Map<String, AtomicInteger> kills = new ConcurrentHashMap<>();

        Scheduler(Map<String, Long> millis) {
            this.millis = millis;
            millis.keySet().forEach(s -> kills.put(s, new AtomicInteger()));
        }

        List<String> order() {
            return millis.keySet().stream()
                    .sorted(Comparator.comparing((String s) -> -kills.get(s).get()).thenComparing(millis::get))
                    .toList();
        }

        void record(Answer answer) {
            if (answer.status() == Status.KILLED && kills.containsKey(answer.killer())) {
                kills.get(answer.killer()).incrementAndGet();
            }
        }
    }

    /** The worker processes, with the options every one of them runs with. */
    private final class WorkerPool implements AutoCloseable {
        final List<WorkerProcess> workers = new ArrayList<>();

        WorkerPool(int size) {
            String classPath = System.getProperty("java.class.path"); // ./course runs this from a copy no rebuild touches
            for (int i = 0; i < size; i++) {
                Path dir = work.resolve("workers/" + i);
                mkdirs(dir);
                List<String> options = new ArrayList<>(List.of("-Xss4m", "-Xmx2g",
                        "-Draft.home=" + harness.cluster.Implementations.courseRoot(),
                        "-Draft.scratch=" + work.resolve("scratch-" + i), // kept: failure reports point to pictures there
                        "-Draft.grade.command=./course mutants " + settings.milestone() + " --mutant"));
                if (settings.seeds() != null) {
                    options.add("-Draft.seeds=" + settings.seeds());
                }
                if (settings.seed() != null) {
                    options.add("-Draft.seed=" + settings.seed());
                }
                workers.add(new WorkerProcess(classPath, options, work.resolve("worker-" + i + ".log")));
            }
        }


        @Override
        public void close() {
            workers.forEach(WorkerProcess::close);
        }
    }

    /** A line every few seconds: mutants done and left, killed, survived, time spent and an estimate of what is left. */
    private final class Progress {
        private final int total;
        private final long start = System.nanoTime();
        private int done;
        private int killed;
        private int survived;
        private int stillborn;
        private long lastPrinted;

        Progress(int total) {
            this.total = total;
            out.printf("Grading %d mutant%s with %d worker%s, at most %d s each. Ctrl-C stops.%n", total, total == 1 ? "" : "s",
                    settings.jobs(), settings.jobs() == 1 ? "" : "s", limit.toSeconds());
        }

        synchronized void done(Result r) {
            done++;
            switch (r.answer().status()) {
                case KILLED, TIMED_OUT -> killed++;
                case SURVIVED -> survived++;
                case STILLBORN -> stillborn++;
            }
            if (r.answer().status() == Status.SURVIVED) {
                out.printf("  survived: #%d %s %s  %s%n", r.mutant().number(), r.mutant().where(), r.mutant().operator(),
                        r.mutant().lineAfter());
            }
            long now = System.nanoTime();
            if (now - lastPrinted > 10e9 || done == total) {
                lastPrinted = now;
                double elapsed = (now - start) / 1e9;
                double left = elapsed / done * (total - done);
                out.printf("[%d/%d] killed %d, survived %d, did not compile %d · %s elapsed, about %s left%n",
                        done, total, killed, survived, stillborn, minutes(elapsed), minutes(left));
            }
        }

        void finish() {
            out.printf("Graded %d mutants in %s.%n", done, minutes((System.nanoTime() - start) / 1e9));
        }
    }

    public static String minutes(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }

    /** What the results come to, survivors sorted by their explanations. */
    SurvivorsPage.Score score(List<Result> results, Explanations explanations) {
        List<Result> survivors = results.stream().filter(r -> r.answer().status() == Status.SURVIVED).toList();
        long timedOut = count(results, Status.TIMED_OUT);
        return new SurvivorsPage.Score(results.size(), count(results, Status.STILLBORN), count(results, Status.KILLED) + timedOut,
                timedOut, survivors.size(), countVerdict(survivors, explanations, Verdict.equivalent),
                countVerdict(survivors, explanations, Verdict.slower), countVerdict(survivors, explanations, Verdict.gap),
                survivors.stream().filter(r -> verdict(r, explanations) == null).count());
    }

    /** Prints the score and every survivor with its explanation; true if every survivor is explained. */
    public boolean report(List<Result> results, Explanations explanations) {
        SurvivorsPage.Score score = score(results, explanations);
        out.println();
        out.printf("Milestone %d: %d mutants, %d of which do not compile; %d graded.%n", settings.milestone(), score.total(),
                score.stillborn(), score.total() - score.stillborn());
        out.printf("  killed %d (%d by the time limit), survived %d: %d equivalent, %d slower, %d gap, %d unexplained%n",
                score.killed(), score.timedOut(), score.survived(), score.equivalent(), score.slower(), score.gap(),
                score.unexplained());
        out.printf("  Score: %d of %d non-equivalent mutants killed: %.1f%%%n", score.killed(), score.nonEquivalent(), score.percent());
        List<Result> survivors = results.stream().filter(r -> r.answer().status() == Status.SURVIVED).toList();
        if (!survivors.isEmpty()) {
            out.println("\nSurvivors (every scenario passes them):");
            for (Result r : survivors) {
                Mutant m = r.mutant();
                Explanation why = explanations.of(m, settings.milestone());
                out.printf("  #%d %s in %s, %s%n      - %s%n      + %s%n      key: %s%n      %s%n", m.number(), m.where(), m.method(),
                        m.operator(), m.lineBefore(), m.lineAfter(), m.key(),
                        why == null ? "UNEXPLAINED: a scenario the suites lack, or a line for survivors.txt" : why.verdict() + ": " + why.why());
            }
        }
        return score.unexplained() == 0;
    }

    /** Writes the notes' page of this run (see {@link SurvivorsPage}) and returns where. */
    public Path record(List<Mutant> mutants, List<Result> results, Explanations explanations, String took) {
        Path page = harness.cluster.Implementations.courseRoot()
                .resolve("docs/src/docs/asciidoc/mutants/milestone-" + settings.milestone() + ".adoc");
        write(page, SurvivorsPage.adoc(settings.milestone(), mutants, results, explanations, score(results, explanations), took));
        return page;
    }

    /** Prints one mutant's change and the full report of the scenario that killed it. */
    public void explain(Result r) {
        Mutant m = r.mutant();
        out.printf("%nMutant #%d, %s in %s, %s%n  - %s%n  + %s%n  key: %s%n=> %s%s%n", m.number(), m.where(), m.method(), m.operator(),
                m.lineBefore(), m.lineAfter(), m.key(), r.answer().status(),
                r.answer().status() == Status.KILLED ? " by " + r.answer().killer() : r.answer().firstLine().isEmpty() ? ""
                        : ": " + r.answer().firstLine());
        if (!r.report().isEmpty()) {
            out.println("\n" + r.report());
        }
    }

    private Verdict verdict(Result r, Explanations explanations) {
        Explanation e = explanations.of(r.mutant(), settings.milestone());
        return e == null ? null : e.verdict();
    }

    private long countVerdict(List<Result> survivors, Explanations explanations, Verdict verdict) {
        return survivors.stream().filter(r -> verdict(r, explanations) == verdict).count();
    }

    private static long count(List<Result> results, Status status) {
        return results.stream().filter(r -> r.answer().status() == status).count();
    }

    /** Writes the results, one line per mutant, to {@code target/mutants/results.tsv} for tools and the notes. */
    public Path save(List<Mutant> all, List<Result> results, String took) {
        Path file = work.resolve("results.tsv");
        StringBuilder s = new StringBuilder("# " + SurvivorsPage.fingerprint(all) + "\n# took " + took + "\n"
                + "number\twhere\toperator\tstatus\tkiller\tms\tkey\n");
        for (Result r : results) {
            if (r != null) {
                s.append(r.mutant().number()).append('\t').append(r.mutant().where()).append('\t').append(r.mutant().operator())
                        .append('\t').append(r.answer().status()).append('\t').append(r.answer().killer()).append('\t')
                        .append(r.millis()).append('\t').append(r.mutant().key()).append('\n');
            }
        }
        write(file, s.toString());
        return file;
    }

    /**
     * The results {@link #save} wrote, if they are of every one of {@code all} (the code has not
     * changed since): for a report or a page with explanations written after a long run.
     */
    public Optional<Saved> saved(List<Mutant> all) {
        Path file = work.resolve("results.tsv");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = read(file).lines().toList();
        if (lines.size() < 3 || !lines.get(0).equals("# " + SurvivorsPage.fingerprint(all))) {
            return Optional.empty();
        }
        List<Result> results = new ArrayList<>();
        for (String line : lines.subList(3, lines.size())) {
            String[] f = line.split("\t", -1);
            Mutant m = all.get(Integer.parseInt(f[0]) - 1);
            results.add(new Result(m, new Answer(Status.valueOf(f[3]), f[4], "", Map.of()), Long.parseLong(f[5]), ""));
        }
        return results.size() == all.size() ? Optional.of(new Saved(results, lines.get(1).substring("# took ".length()))) : Optional.empty();
    }

    /** Results read back, and how long the run that made them took. */
    public record Saved(List<Result> results, String took) {
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            Files.createDirectories(to.getParent());
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
