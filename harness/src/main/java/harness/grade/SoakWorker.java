package harness.grade;

import harness.cluster.Implementations;
import harness.cluster.Subject;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One worker JVM of {@link Soak}: reads chunks ("Suite.scenario, first seed, last seed") from its
 * standard input, runs each, and answers on its standard output, one line per event: "ran" per
 * run, "fail" per failed run (its full report is written to a file), "done" per chunk. Its own
 * JVM, because a run's seeds are system properties, which one JVM shares between its threads.
 * It stops at the end of its input, which is also how it stops when the soak does.
 */
public final class SoakWorker {

    private final int milestone;
    private final PrintStream answers;
    private final Path failures;
    /** Scenarios by name, found once: finding one discovers every suite. */
    private final Map<String, Method> scenarios = new HashMap<>();

    /**
     * @param answers  where the protocol's lines go: the JVM's real standard output, so that
     *                 anything else printed there must have been moved away first
     * @param failures the folder for the full report of each failed run
     */
    SoakWorker(int milestone, PrintStream answers, Path failures) {
        this.milestone = milestone;
        this.answers = answers;
        this.failures = failures;
    }

    /** Serves chunks from {@code in} until it ends, grading the implementation on the class path. */
    public static void serve(int milestone, BufferedReader in, Path failures) {
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err); // a scenario's stray output must not look like an answer
        SoakWorker worker = new SoakWorker(milestone, answers, failures);
        Subject subject = new Subject(Implementations.load(SoakWorker.class.getClassLoader()));
        System.setProperty(GradedExtension.GRADE_COMMAND, "./course grade " + milestone);
        Implementations.runWith(subject, () -> worker.serveAll(in));
    }

    private void serveAll(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Soak.Chunk chunk = Soak.Chunk.parse(line);
                long start = System.nanoTime();
                Runs runs = run(chunk);
                answer("done", chunk.scenario(), chunk.from(), chunk.to(), runs.count, runs.failed, (System.nanoTime() - start) / 1_000_000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one chunk; returns how many runs it made and how many failed. */
    private Runs run(Soak.Chunk chunk) {
        Method scenario = scenarios.computeIfAbsent(chunk.scenario(), name -> Grader.scenario(name, milestone));
        System.clearProperty(Seeds.ONE);
        System.clearProperty(Seeds.SECRET);
        System.setProperty(Seeds.FROM, String.valueOf(chunk.from()));
        System.setProperty(Seeds.MANY, String.valueOf(chunk.to() - chunk.from() + 1));
        Runs runs = new Runs(chunk.scenario());
        Grader.run(milestone, scenario, runs);
        return runs;
    }

    /** Answers each run of a chunk as it finishes, and files the report of each failure. */
    private final class Runs implements TestExecutionListener {
        private final String scenario;
        int count;
        int failed;

        Runs(String scenario) {
            this.scenario = scenario;
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
                count++;
                answer("ran", scenario);
            }
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) { // a run, or a container that could not run them
                failed++;
                long seed = seedOf(id.getDisplayName());
                String report = result.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse(result.getStatus().name());
                answer("fail", scenario, seed, report.lines().findFirst().orElse(""), file(scenario, seed, report));
            }
        }
    }

    /** The seed a run's display name gives ("seed 4436"), or 0 for a run without one. */
    static long seedOf(String displayName) {
        return displayName.startsWith("seed ") ? Long.parseLong(displayName.substring("seed ".length())) : 0;
    }

    private Path file(String scenario, long seed, String report) {
        Path file = failures.resolve(scenario + "-seed-" + seed + ".txt");
        try {
            Files.createDirectories(failures);
            Files.writeString(file, report);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report of a failed run to " + file, e);
        }
        return file.toAbsolutePath();
    }

    /** One line of the protocol: its fields, tab-separated (a tab inside one becomes a space). */
    private void answer(Object... fields) {
        StringBuilder line = new StringBuilder();
        for (Object f : fields) {
            line.append(line.isEmpty() ? "" : "\t").append(String.valueOf(f).replace('\t', ' '));
        }
        answers.println(line);
    }
}
