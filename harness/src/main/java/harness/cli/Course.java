package harness.cli;

import harness.api.RaftImplementation;
import harness.bench.CommitBenchmark;
import harness.bench.SimulationBenchmark;
import harness.bench.StorageBenchmark;
import harness.cluster.Cluster;
import harness.cluster.Implementations;
import harness.demo.Demo;
import harness.grade.GradeListener;
import harness.grade.GradeReport;
import harness.grade.Grader;
import harness.grade.Seeds;
import harness.observe.Timeline;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The Java side of the {@code ./course} launcher, which builds milestone N and runs this with
 * that milestone's jar on the class path. Exit codes: 0 success, 1 a graded scenario failed or a
 * demo broke, 2 wrong use.
 */
@Command(name = "./course", subcommands = {Course.DemoCommand.class, Course.GradeCommand.class, Course.BenchCommand.class},
        description = "Raft, milestone by milestone: demos and grading.", usageHelpAutoWidth = true)
public final class Course implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Course()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: demo, grade or bench");
    }

    /** The milestone argument every command takes, and the implementation it names. */
    static final class MilestoneArgument {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "N", description = "the milestone")
        int number;

        /** The implementation on the class path, which must be milestone N's. */
        RaftImplementation implementation() {
            RaftImplementation impl = Implementations.load(Course.class.getClassLoader());
            if (impl.milestone() != number) {
                throw wrongUse("milestone " + number + " was asked for, but the class path holds " + impl.name()
                        + " (milestone " + impl.milestone() + ")");
            }
            return impl;
        }

        /** A usage error: picocli prints the message and the command's usage, and exits 2. */
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
            Cluster.Builder builder = Cluster.builder().nodes(demo.servers()).seed(seed).implementation(impl);
            try (Cluster cluster = realTime ? builder.realTime() : builder.simulated()) {
                out.println(demo.title() + " · " + demo.servers() + " servers · "
                        + (realTime ? "real time, on threads" : "simulated time, seed " + seed));
                out.println("Election timeouts " + cluster.timing().electionTimeoutMin().toMillis() + "–"
                        + cluster.timing().electionTimeoutMax().toMillis() + " ms, heartbeats every "
                        + cluster.timing().heartbeatInterval().toMillis() + " ms, network " + cluster.network().conditions() + ".\n");
                cluster.trace().subscribe(new Timeline(out, trace));
                demo.play(cluster, out);
                out.println("\nAt the end:\n" + cluster.stateTable());
                out.println("Messages:\n" + cluster.stats().table());
                out.println(realTime ? "A real-time run differs every time; the simulator (without --real-time) replays exactly."
                        : "Replay exactly this run: ./course demo " + milestone.number + " --seed " + seed
                        + "   (another seed tells another story)");
            }
            return 0;
        }
    }

    @Command(name = "grade", description = "Runs graded suites 1..N against milestone N's code and prints the grade table.")
    static final class GradeCommand implements Callable<Integer> {
        @CommandLine.Mixin
        MilestoneArgument milestone;

        @Option(names = "--test", paramLabel = "Suite.scenario", description = "run one scenario, such as ElectionSuite.reElection")
        String test;

        @Option(names = "--seed", paramLabel = "S", description = "run each randomized scenario with this seed only (replay)")
        Long seed;

        @Option(names = "--seeds", paramLabel = "K", description = "run each randomized scenario with seeds 1..K (a soak)")
        Integer seeds;

        @Option(names = "--bug", paramLabel = "NAME", description = "grade a bug-zoo variant instead of the milestone's code")
        String bug;

        @Option(names = "--results", paramLabel = "FILE", description = "where to write the Gradescope results.json"
                + " (default: the milestone's target/grade/results.json)")
        Path results;

        @Override
        public Integer call() {
            RaftImplementation impl = milestone.implementation();
            if (seed != null && seeds != null) {
                throw milestone.wrongUse("give --seed (replay one) or --seeds (a soak), not both");
            }
            if (seeds != null && seeds < 1) {
                throw milestone.wrongUse("--seeds must be at least 1");
            }
            if (seed != null) System.setProperty(Seeds.ONE, String.valueOf(seed));
            if (seeds != null) System.setProperty(Seeds.MANY, String.valueOf(seeds));
            if (bug != null) {
                try {
                    Implementations.underTest().withBug(bug);
                } catch (IllegalArgumentException e) {
                    throw milestone.wrongUse(e.getMessage());
                }
                System.setProperty("raft.bug", bug);
            }
            if (results != null) System.setProperty(GradeListener.GRADE_FILE, results.toString());
            System.setProperty(GradeListener.DETAILS, "true");
            Method only;
            try {
                only = test == null ? null : Grader.scenario(test, milestone.number);
            } catch (IllegalArgumentException e) {
                throw milestone.wrongUse(e.getMessage());
            }
            GradeListener listener = new GradeListener();
            Grader.run(milestone.number, only, listener);
            GradeReport report = listener.lastReport();
            if (report == null) {
                System.err.println("no graded scenario ran for " + impl.name());
                return 1;
            }
            return report.allPassed() ? 0 : 1;
        }
    }

    @Command(name = "bench", description = "Measures how fast the simulator runs milestone N and, from milestone 3,"
            + " what a committed entry costs on the wire, from milestone 4 what stable storage costs (a benchmark, not a test).")
    static final class BenchCommand implements Callable<Integer> {
        @CommandLine.Mixin
        MilestoneArgument milestone;

        @Option(names = "--rounds", paramLabel = "R", description = "measured rounds (default ${DEFAULT-VALUE})")
        int rounds = 5;

        @Option(names = "--seconds", paramLabel = "S", description = "simulated seconds per round (default ${DEFAULT-VALUE})")
        int seconds = 300;

        @Override
        public Integer call() {
            if (rounds < 1 || seconds < 10) {
                throw milestone.wrongUse("--rounds must be at least 1 and --seconds at least 10");
            }
            SimulationBenchmark.run(milestone.implementation(), rounds, seconds, System.out);
            if (milestone.implementation().milestone() >= 3) {
                CommitBenchmark.run(milestone.implementation(), System.out);
            }
            if (milestone.implementation().milestone() >= 4) {
                StorageBenchmark.run(System.out);
            }
            return 0;
        }
    }
}
