package harness.cli;

import harness.api.RaftImplementation;
import harness.bench.CheckerBenchmark;
import harness.bench.CommitBenchmark;
import harness.bench.KeyValueBenchmark;
import harness.bench.SimulationBenchmark;
import harness.bench.StorageBenchmark;
import harness.cluster.Cluster;
import harness.cluster.Implementations;
import harness.cluster.Subject;
import harness.course.Syllabus;
import harness.demo.Demo;
import harness.grade.GradeListener;
import harness.grade.GradeReport;
import harness.grade.GradedExtension;
import harness.grade.Grader;
import harness.grade.Seeds;
import harness.grade.Soak;
import harness.grade.SoakWorker;
import harness.mutation.Explanations;
import harness.mutation.Mutant;
import harness.mutation.MutationRun;
import harness.observe.Timeline;
import harness.workspace.Starter;
import harness.workspace.Workspace;
import harness.workspace.WorkspaceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The Java side of the {@code ./course} launcher. For the reference code, the launcher builds
 * milestone N and runs this with that milestone's jar on the class path; with {@code --mine} it
 * runs this with the harness alone, and the learner's workspace is compiled and loaded here.
 * Exit codes: 0 success, 1 a graded scenario failed (in a grade or a soak), a demo broke or a
 * workspace could not be made or compiled, 2 wrong use.
 */
@Command(name = "./course", subcommands = {Course.DemoCommand.class, Course.GradeCommand.class, Course.SoakCommand.class,
        Course.BenchCommand.class, Course.StartCommand.class, Course.CompileCommand.class, Course.SoakWorkerCommand.class,
        Course.MutantsCommand.class},
        description = "Raft, milestone by milestone: demos, grading and workspaces.", usageHelpAutoWidth = true)
public final class Course implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line, with wrong use answered by the error and a one-line hint (the full help
     * would scroll the error away), and a workspace problem answered by its message alone.
     */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Course());
        line.setParameterExceptionHandler((e, args) -> {
            CommandLine sub = e.getCommandLine();
            java.io.PrintWriter err = sub.getErr();
            err.println("./course " + (sub.getCommandName().equals("./course") ? "" : sub.getCommandName() + ": ") + e.getMessage());
            err.println("Usage: " + sub.getHelp().synopsis(0).strip().replaceAll("\\s+", " ")); // one line, however long
            err.println("Run ./course help for every command and option.");
            err.flush();
            return 2;
        });
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof WorkspaceException) {
                cmd.getErr().println("./course " + cmd.getCommandName() + ": " + e.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw e;
        });
        return line;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: demo, grade, soak, bench or start");
    }

    /** The course's folder: where the launcher says it is, else where the harness was built. */
    static Path courseRoot() {
        return Implementations.courseRoot();
    }

    /** A milestone the course does not have is wrong use of {@code command}. */
    static void requireMilestone(int number, CommandLine command) {
        try {
            Syllabus.milestone(number);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
    }

    /** Milestone {@code number}'s reference code, on the class path; another milestone's there is wrong use of {@code command}. */
    static RaftImplementation reference(int number, CommandLine command) {
        requireMilestone(number, command);
        RaftImplementation impl = Implementations.load(Course.class.getClassLoader());
        if (impl.milestone() != number) {
            throw new CommandLine.ParameterException(command, "milestone " + number + " was asked for, but the class path holds "
                    + impl.name() + " (milestone " + impl.milestone() + ")");
        }
        return impl;
    }

    /** The milestone argument every command takes, the --mine option, and the implementation they name. */
    static final class MilestoneArgument {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "the milestone")
        int number;

        @Option(names = "--mine", description = "your own code: the workspace ./course start N made (workspace/milestone-N)")
        boolean mine;

        /** Milestone N's reference code on the class path, or with --mine the learner's workspace, compiled if it changed. */
        RaftImplementation implementation() {
            if (mine) {
                requireMilestone(number, spec.commandLine());
                return Workspace.of(courseRoot(), number).load();
            }
            return reference(number, spec.commandLine());
        }

        /** How this code is graded, for the replay commands of failure reports. */
        String gradeCommand() {
            return "./course grade " + number + (mine ? " --mine" : "");
        }

        /** A usage error: the message and a one-line hint, exit 2. */
        CommandLine.ParameterException wrongUse(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    @Command(name = "demo", description = "Plays milestone N's golden path and prints its timeline.")
    static final class DemoCommand implements Callable<Integer> {
        @CommandLine.Mixin
        MilestoneArgument milestone;

        @Option(names = "--seed", paramLabel = "S", description = "the simulation seed (default ${DEFAULT-VALUE}); one seed, one run")
        long seed = 1;

        @Option(names = "--real-time", description = "run on real threads with the wall clock instead of the simulator")
        boolean realTime;

        @Option(names = "--trace", description = "print every event: messages, timers, votes")
        boolean trace;

        @Override
        public Integer call() {
            RaftImplementation impl = milestone.implementation();
            Demo demo = Demo.of(milestone.number);
            PrintStream out = System.out;
            List<Cluster> variants = new ArrayList<>();
            Cluster.Builder builder = Cluster.builder().nodes(demo.servers()).clients(demo.clients()).seed(seed).implementation(impl);
            try (Cluster cluster = realTime ? builder.realTime() : builder.simulated()) {
                out.println(demo.title() + " · " + demo.servers() + " servers"
                        + (demo.clients() > 0 ? ", " + demo.clients() + " clients" : "") + " · " + impl.name() + " · "
                        + (realTime ? "real time, on threads" : "simulated time, seed " + seed));
                out.println("Election timeouts " + cluster.timing().electionTimeoutMin().toMillis() + "–"
                        + cluster.timing().electionTimeoutMax().toMillis() + " ms, heartbeats every "
                        + cluster.timing().heartbeatInterval().toMillis() + " ms, network " + cluster.network().conditions() + ".\n");
                cluster.trace().subscribe(new Timeline(out, trace));
                demo.play(cluster, out, bug -> {
                    Subject variant;
                    try {
                        variant = new Subject(impl).withBug(bug);
                    } catch (IllegalArgumentException noSuchVariant) {
                        return Optional.empty();
                    }
                    Cluster.Builder again = Cluster.builder().nodes(demo.servers()).clients(demo.clients()).seed(seed).subject(variant);
                    Cluster c = realTime ? again.realTime() : again.simulated();
                    c.trace().subscribe(new Timeline(out, trace));
                    variants.add(c);
                    return Optional.of(c);
                });
                out.println("\nAt the end" + (variants.isEmpty() ? "" : " of the run of " + impl.name()) + ":\n" + cluster.stateTable());
                out.println("Messages:\n" + cluster.stats().table());
                out.println(realTime ? "A real-time run differs every time; the simulator (without --real-time) replays exactly."
                        : "Replay exactly this run: ./course demo " + milestone.number + (milestone.mine ? " --mine" : "")
                        + " --seed " + seed + "   (another seed tells another story)");
            } finally {
                variants.forEach(Cluster::close);
            }
            return 0;
        }
    }

    @Command(name = "grade", description = "Runs graded suites 1..N against milestone N's code (or with --mine yours)"
            + " and prints the grade table.")
    static final class GradeCommand implements Callable<Integer> {
        @CommandLine.Mixin
        MilestoneArgument milestone;

        @Option(names = "--test", paramLabel = "Suite.scenario", description = "run one scenario, such as ElectionSuite.reElection")
        String test;

        @Option(names = "--seed", paramLabel = "S", description = "run each randomized scenario with this seed only (replay)")
        Long seed;

        @Option(names = "--seeds", paramLabel = "K", description = "run each randomized scenario with seeds 1..K (a soak)")
        Integer seeds;

        @Option(names = "--hidden-seeds", paramLabel = "SECRET", description = "run each randomized scenario with seeds"
                + " derived from SECRET instead of 1, 2, 3... (the autograder's hidden seeds)")
        String secret;

        @Option(names = "--bug", paramLabel = "NAME", description = "grade a bug-zoo variant instead of the milestone's code")
        String bug;

        @Option(names = "--results", paramLabel = "FILE", description = "where to write the Gradescope results.json"
                + " (default: target/grade/results.json of the milestone or workspace; partial-results.json for a run"
                + " that is not a grade, such as --test or --seed)")
        Path results;

        @Override
        public Integer call() {
            if (seed != null && seeds != null) {
                throw milestone.wrongUse("give --seed (replay one) or --seeds (a soak), not both");
            }
            if (seeds != null && seeds < 1) {
                throw milestone.wrongUse("--seeds must be at least 1");
            }
            if (secret != null && (secret.isBlank() || seed != null)) {
                throw milestone.wrongUse(secret.isBlank() ? "--hidden-seeds needs a secret that is not blank"
                        : "--seed replays one seed; --hidden-seeds runs secret ones: give one of them");
            }
            if (bug != null && milestone.mine) {
                throw milestone.wrongUse("--bug grades a variant of the reference code's bug zoo; your workspace has none");
            }
            Subject subject = new Subject(milestone.implementation());
            if (bug != null) {
                try {
                    subject = subject.withBug(bug);
                } catch (IllegalArgumentException e) {
                    throw milestone.wrongUse(e.getMessage());
                }
                System.setProperty("raft.bug", bug);
            }
            Method only;
            try {
                only = test == null ? null : Grader.scenario(test, milestone.number);
            } catch (IllegalArgumentException e) {
                throw milestone.wrongUse(e.getMessage());
            }
            if (seed != null) System.setProperty(Seeds.ONE, String.valueOf(seed));
            if (seeds != null) System.setProperty(Seeds.MANY, String.valueOf(seeds));
            if (secret != null) System.setProperty(Seeds.SECRET, secret);
            if (test != null) System.setProperty(GradeListener.ONLY, test);
            if (System.getProperty(GradedExtension.GRADE_COMMAND) == null) { // the autograder names the student's command
                System.setProperty(GradedExtension.GRADE_COMMAND, milestone.gradeCommand());
            }
            System.setProperty(GradeListener.GRADE_FILE, resultsFile().toString());
            System.setProperty(GradeListener.DETAILS, "true");
            GradeListener listener = new GradeListener();
            Implementations.runWith(subject, () -> Grader.run(milestone.number, only, listener));
            GradeReport report = listener.lastReport();
            if (report == null) {
                System.err.println("no graded scenario ran for " + subject);
                return 1;
            }
            return report.allPassed() ? 0 : 1;
        }

        /** --results, or the default file: results.json for a grade, partial-results.json beside it for anything less. */
        private Path resultsFile() {
            if (results != null) {
                return results;
            }
            Path dir = milestone.mine ? Workspace.of(courseRoot(), milestone.number).dir().resolve("target/grade")
                    : Path.of(System.getProperty(GradeListener.GRADE_FILE, "target/grade/results.json")).toAbsolutePath().getParent();
            boolean grade = test == null && seed == null && bug == null && (seeds == null || secret != null);
            return dir.resolve(grade ? "results.json" : "partial-results.json");
        }
    }

    @Command(name = "soak", description = "Runs every graded scenario of suites 1..N against milestone N's reference code over"
            + " many seeds, in parallel worker JVMs, to show that none fails correct code; resumable (never part of ./course test).")
    static final class SoakCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "the milestone whose reference code is soaked, with suites 1..N")
        int number;

        @Option(names = "--seeds", paramLabel = "K", description = "seeds per scenario (default ${DEFAULT-VALUE})")
        long seeds = 10_000;

        @Option(names = "--from-seed", paramLabel = "S", description = "the first seed (default ${DEFAULT-VALUE}): seeds S to S+K-1")
        long from = 1;

        @Option(names = "--test", paramLabel = "Suite.scenario", description = "soak one scenario, such as ReplicationSuite.figure7")
        String test;

        @Option(names = "--suite", paramLabel = "K", description = "soak suite K's scenarios alone (K at most N), such as the"
                + " suite milestone N adds")
        Integer suite;

        @Option(names = "--jobs", paramLabel = "J", description = "worker JVMs (default: the cores, ${DEFAULT-VALUE})")
        int jobs = Runtime.getRuntime().availableProcessors();

        @Option(names = "--fresh", description = "forget what an earlier run of this soak did, and start over")
        boolean fresh;

        @Override
        public Integer call() {
            if (seeds < 1 || from < 1 || jobs < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--seeds, --from-seed and --jobs must be at least 1");
            }
            if (suite != null && (test != null || suite < 1 || suite > number)) {
                throw new CommandLine.ParameterException(spec.commandLine(), test != null ? "give --test or --suite, not both"
                        : "--suite names one of suites 1 to " + number + ", not " + suite);
            }
            RaftImplementation impl = reference(number, spec.commandLine());
            List<Method> scenarios;
            try {
                scenarios = test != null ? List.of(Grader.scenario(test, number))
                        : suite != null ? Grader.scenariosOf(suite) : Grader.scenariosUpTo(number);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            Path dir = Path.of(System.getProperty("raft.scratch", "target"), "soak");
            Soak.Settings settings = new Soak.Settings(number, scenarios, from, seeds, jobs, fresh, code(impl),
                    System.getProperty("java.class.path"), dir);
            try {
                return new Soak(settings, System.out).run();
            } catch (IllegalStateException | UncheckedIOException e) {
                System.err.println("./course soak: " + e.getMessage());
                return 1;
            }
        }

        /** "milestone-2-replication built 2025-12-06 16:40, harness built 16:39": progress made on other builds is not resumed. */
        private static String code(RaftImplementation impl) {
            return impl.name() + " built " + builtAt(impl.getClass()) + ", harness built " + builtAt(Soak.class);
        }

        private static String builtAt(Class<?> c) {
            try {
                Path where = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneId.systemDefault())
                        .format(java.nio.file.Files.getLastModifiedTime(where).toInstant());
            } catch (java.net.URISyntaxException | java.io.IOException | NullPointerException e) {
                return "at an unknown time"; // a class path entry that is no file: then every soak of it resumes
            }
        }
    }

    /** For ./course soak: one worker JVM, which runs the chunks of seeds it reads from its standard input. */
    @Command(name = "soak-worker", hidden = true)
    static final class SoakWorkerCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "N")
        int number;

        @Option(names = "--failures", paramLabel = "DIR", required = true)
        Path failures;

        @Override
        public Integer call() {
            SoakWorker.serve(number, new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)), failures);
            return 0;
        }
    }

    @Command(name = "bench", description = "Measures how fast the simulator runs milestone N and, from milestone 3,"
            + " what a committed entry costs on the wire, from milestone 4 what stable storage costs, from milestone 5 what"
            + " a client's operation costs and how fast the linearizability checker is (a benchmark, not a test).")
    static final class BenchCommand implements Callable<Integer> {
        @CommandLine.Mixin
        MilestoneArgument milestone;

        /** The benchmarks, each from the milestone that brings what it measures. */
        enum Bench {
            simulator(1), commits(3), storage(4), kv(5), checker(5);

            final int from;

            Bench(int from) {
                this.from = from;
            }
        }

        @Option(names = "--only", paramLabel = "NAME", description = "run one benchmark: ${COMPLETION-CANDIDATES}"
                + " (default: every one milestone N has)")
        Bench only;

        @Option(names = "--rounds", paramLabel = "R", description = "measured rounds (default ${DEFAULT-VALUE})")
        int rounds = 5;

        @Option(names = "--seconds", paramLabel = "S", description = "simulated seconds per round (default ${DEFAULT-VALUE})")
        int seconds = 300;

        @Override
        public Integer call() {
            if (rounds < 1 || seconds < 10) {
                throw milestone.wrongUse("--rounds must be at least 1 and --seconds at least 10");
            }
            if (only != null && only.from > milestone.number) {
                throw milestone.wrongUse("the " + only + " benchmark measures what milestone " + only.from + " adds, so it needs"
                        + " milestone " + only.from + " or later, not " + milestone.number);
            }
            RaftImplementation impl = milestone.implementation();
            if (runs(Bench.simulator)) {
                SimulationBenchmark.run(impl, rounds, seconds, System.out);
            }
            if (runs(Bench.commits)) {
                CommitBenchmark.run(impl, System.out);
            }
            if (runs(Bench.storage)) {
                StorageBenchmark.run(System.out, Path.of(System.getProperty("raft.scratch", System.getProperty("java.io.tmpdir"))));
            }
            if (runs(Bench.kv)) {
                KeyValueBenchmark.run(impl, System.out);
            }
            if (runs(Bench.checker)) {
                CheckerBenchmark.run(System.out, Duration.ofMinutes(2)); // the checker is the harness's: any milestone's histories
            }
            return 0;
        }

        /** Whether this run includes {@code bench}: asked for by --only, or, without it, one milestone N has. */
        private boolean runs(Bench bench) {
            return only != null ? only == bench : milestone.number >= bench.from;
        }
    }

    @Command(name = "start", description = "Makes your workspace for milestone N (workspace/milestone-N) from milestone"
            + " N-1's reference code, or with --from-mine from your own workspace for N-1; never overwrites one.")
    static final class StartCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "the milestone to start")
        int number;

        @Option(names = "--from-mine", description = "start from your own workspace for milestone N-1")
        boolean fromMine;

        @Override
        public Integer call() {
            try {
                Syllabus.milestone(number);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            Starter.Started started = new Starter(courseRoot()).start(number, fromMine);
            System.out.print(started.summary());
            return 0;
        }
    }

    @Command(name = "mutants", description = "Mutation testing: grades every one-token change to milestone N's raft package"
            + " with suites 1..N and prints the score and every survivor (minutes; not a test).")
    static final class MutantsCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "the milestone")
        int number;

        @Option(names = "--jobs", paramLabel = "J", description = "worker processes (default: the number of cores)")
        int jobs = Runtime.getRuntime().availableProcessors();

        @Option(names = "--timeout", paramLabel = "S", description = "seconds a mutant may take before it counts as killed"
                + " (default: four times what the reference takes, at least 60)")
        Integer timeout;

        @Option(names = "--mutant", paramLabel = "K", split = ",", description = "grade only these mutants (numbers from --list)"
                + " and show the full report of the failure that kills each")
        List<Integer> only;

        @Option(names = "--test", paramLabel = "Suite.scenario", description = "grade with this scenario alone")
        String test;

        @Option(names = "--seed", paramLabel = "S", description = "run each randomized scenario with this seed only")
        Long seed;

        @Option(names = "--seeds", paramLabel = "K", description = "run each randomized scenario with seeds 1..K")
        Integer seeds;

        @Option(names = "--list", description = "list the mutants with their numbers and changes, and grade none")
        boolean list;

        @Option(names = "--survivors", description = "grade again only the survivors of the last run's saved results (after"
                + " scenarios were added: a mutant some scenario kills stays killed) and report all")
        boolean survivors;

        @Option(names = "--from-results", description = "report (and with --record, record) the last run's saved results"
                + " with the explanations as they are now, without grading again")
        boolean fromResults;

        @Option(names = "--record", description = "write the score and survivors to the notes"
                + " (docs/src/docs/asciidoc/mutants/milestone-N.adoc); only for a run of every mutant with the default seeds")
        boolean record;

        @Override
        public Integer call() throws InterruptedException {
            try {
                Syllabus.milestone(number);
            } catch (IllegalArgumentException e) {
                throw wrongUse(e.getMessage());
            }
            if (jobs < 1 || (timeout != null && timeout < 1) || (seeds != null && seeds < 1)) {
                throw wrongUse("--jobs, --timeout and --seeds must be at least 1");
            }
            if (seed != null && seeds != null) {
                throw wrongUse("give --seed (one seed) or --seeds (seeds 1..K), not both");
            }
            if ((fromResults || survivors) && (seed != null || seeds != null || test != null || only != null || list)) {
                throw wrongUse("--from-results reports the last full run: give no --seed, --seeds, --test, --mutant or --list");
            }
            if (record && (seed != null || seeds != null || test != null || only != null)) {
                throw wrongUse("--record writes what the graded suites make of every mutant: give no --seed, --seeds, --test or --mutant");
            }
            if (test != null) {
                try {
                    Grader.scenario(test, number);
                } catch (IllegalArgumentException e) {
                    throw wrongUse(e.getMessage());
                }
            }
            Path module = Implementations.referenceModule(courseRoot(), number)
                    .orElseThrow(() -> wrongUse("milestone " + number + " is not built yet, so it has no code to mutate"));
            MutationRun run = new MutationRun(new MutationRun.Settings(number, module, jobs,
                    timeout == null ? null : Duration.ofSeconds(timeout), seeds, seed, test), System.out);
            List<Mutant> all = run.mutants();
            if (list) {
                all.forEach(m -> System.out.printf("#%d %s in %s, %s%n    - %s%n    + %s%n", m.number(), m.where(), m.method(),
                        m.operator(), m.lineBefore(), m.lineAfter()));
                System.out.println(all.size() + " mutants of milestone " + number + "'s raft package (not its bug zoo).");
                return 0;
            }
            if (only != null) {
                for (int k : only) {
                    if (k < 1 || k > all.size()) {
                        throw wrongUse("milestone " + number + " has mutants 1 to " + all.size() + ", not " + k);
                    }
                }
            }
            if (fromResults || survivors) {
                MutationRun.Saved saved = run.saved(all).orElseThrow(() -> wrongUse("there are no saved results of every mutant"
                        + " of milestone " + number + "'s code as it is now: run ./course mutants " + number + " first"));
                if (fromResults) {
                    return report(run, all, saved.results(), saved.took());
                }
                long start = System.nanoTime();
                List<MutationRun.Result> again = run.run(saved.results().stream()
                        .filter(r -> r.answer().status() == harness.mutation.MutantWorker.Status.SURVIVED).map(MutationRun.Result::mutant).toList());
                List<MutationRun.Result> merged = new ArrayList<>(saved.results());
                again.forEach(r -> merged.set(r.mutant().number() - 1, r));
                String took = saved.took() + ", then its " + again.size() + " survivors again in "
                        + MutationRun.minutes((System.nanoTime() - start) / 1e9);
                System.out.println("Results, one line per mutant: " + run.save(all, merged, took));
                return report(run, all, merged, took);
            }
            long start = System.nanoTime();
            List<MutationRun.Result> results = run.run(only == null ? all : only.stream().map(k -> all.get(k - 1)).toList());
            String took = MutationRun.minutes((System.nanoTime() - start) / 1e9) + " with " + jobs + " worker" + (jobs == 1 ? "" : "s");
            if (only != null) {
                results.forEach(run::explain);
                return 0;
            }
            System.out.println("Results, one line per mutant: " + run.save(all, results, took));
            return report(run, all, results, took);
        }

        private int report(MutationRun run, List<Mutant> all, List<MutationRun.Result> results, String took) {
            Explanations explanations = Explanations.shipped();
            boolean explained = run.report(results, explanations);
            if (record) {
                System.out.println("\nRecorded for the notes: " + run.record(all, results, explanations, took));
            }
            return explained ? 0 : 1;
        }

        private CommandLine.ParameterException wrongUse(String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    /** For the launcher: compiles a workspace and prints its classes folder (./course jshell N --mine). */
    @Command(name = "compile", hidden = true)
    static final class CompileCommand implements Callable<Integer> {
        @CommandLine.Mixin
        MilestoneArgument milestone;

        @Override
        public Integer call() {
            if (!milestone.mine) {
                throw milestone.wrongUse("compile is for your workspace: give --mine");
            }
            milestone.implementation(); // compiles, and checks it registers milestone N
            System.out.println(Workspace.of(courseRoot(), milestone.number).classes());
            return 0;
        }
    }
}
