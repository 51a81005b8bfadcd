package autograder;

import harness.storage.Folders;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import harness.course.Syllabus;
import harness.grade.GradeReport;
import harness.grade.Graded;
import harness.grade.Grader;
import harness.workspace.Workspace;
import harness.workspace.WorkspaceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Grades a student's submitted {@code raft} package with suites 1..N, as Gradescope's autograder
 * runs it, and writes Gradescope's {@code results.json}. Each submission is graded in a clean
 * environment: its Java files are laid out in a new temporary folder, compiled there against the
 * harness alone, and graded in a child JVM whose class path holds the harness and the submission
 * and nothing else (no reference milestone, no other student's code), under a time limit. Every
 * way a submission can fail to be graded (no sources, a compile error, a hang, its JVM exiting
 * early) still produces a results.json that says what happened, with every scenario listed.
 */
@Command(name = "grade-submission", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Grades a submitted raft package with suites 1..N and writes Gradescope's results.json.")
public final class Autograder implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "N", description = "the milestone the submission is graded as")
    int milestone;

    @Parameters(index = "1", paramLabel = "SUBMISSION", description = "a folder holding the submission's raft package"
            + " (at any depth: a whole workspace, or the raft folder alone)")
    Path submission;

    @Option(names = "--results", paramLabel = "FILE", description = "where to write results.json (default ${DEFAULT-VALUE})")
    Path results = Path.of("results.json");

    @Option(names = "--hidden-seeds", paramLabel = "SECRET", description = "grade with seeds derived from SECRET"
            + " instead of the public seeds 1, 2, 3...")
    String secret;

    @Option(names = "--timeout", paramLabel = "TIME", converter = TimeLimit.class,
            description = "stop grading after this long, such as 30m or 90s (default 30m)")
    Duration timeout = Duration.ofMinutes(30);

    /** "30m", "90s": a time limit in minutes or seconds. */
    static final class TimeLimit implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([sm])").matcher(value.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new CommandLine.TypeConversionException("a time limit is a number of minutes or seconds, such as 30m or"
                        + " 90s, not \"" + value + "\"");
            }
            long n = Long.parseLong(m.group(1));
            return m.group(2).equals("m") ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Autograder()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        try {
            Syllabus.milestone(milestone);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (Grader.scenariosOf(milestone).isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "milestone " + milestone
                    + " has no graded suite in this harness yet");
        }
        Path work = Files.createTempDirectory("raft-grading-");
        try {
            grade(work);
        } finally {
            Folders.deleteTree(work);
        }
        System.out.println("Wrote " + results.toAbsolutePath().normalize());
        return 0;
    }

    private void grade(Path work) throws IOException, InterruptedException {
        Workspace ws = Workspace.at(work.resolve("submission"), milestone, work);
        try {
            Submission.layOut(submission, ws, milestone);
            ws.compile();
        } catch (WorkspaceException e) {
            System.out.println(e.getMessage());
            writeUngraded(e.getMessage());
            return;
        }
        Path childResults = work.resolve("results.json");
        Path log = work.resolve("grading.log");
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-cp",
                System.getProperty("java.class.path") + File.pathSeparator + ws.classes(),
                "-Draft.grade.command=./course grade " + milestone + " --mine",
                "harness.cli.Course", "grade", String.valueOf(milestone), "--results", childResults.toString()));
        if (secret != null) {
            command.add("--hidden-seeds");
            command.add(secret);
        }
        Process child = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            child.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.print(output);
        if (!Files.isRegularFile(childResults)) {
            writeUngraded((finished ? "The grading JVM exited (code " + child.exitValue() + ") before any scenario finished."
                    : "Grading stopped after " + describe(timeout) + ", before any scenario finished.")
                    + " Its last output:\n" + tail(output));
            return;
        }
        ObjectNode report = (ObjectNode) json().readTree(childResults.toFile());
        String summary = report.path("output").asText();
        if (!finished) {
            summary = "Grading stopped after " + describe(timeout) + ": a scenario did not finish (a server that never"
                    + " returns from an input?). " + summary;
        }
        if (secret != null) {
            summary += " Graded with hidden seeds: a failure shows its seed, which replays with --seed.";
        }
        report.put("output", summary);
        write(report);
    }

    /** Every scenario of suites 1..N failed with {@code why}: no code to grade, or code that does not compile. */
    private void writeUngraded(String why) throws IOException {
        List<GradeReport.Row> rows = new ArrayList<>();
        for (Method m : Grader.scenariosUpTo(milestone)) {
            Graded g = m.getAnnotation(Graded.class);
            rows.add(new GradeReport.Row(Grader.suiteTitle(m.getDeclaringClass()), Grader.scenarioTitle(m), m.getName(),
                    g.points(), g.rule(), 0, List.of("Not graded: " + why)));
        }
        Path file = Files.createTempFile("results-", ".json");
        try {
            new GradeReport("the submission", rows, 0).writeGradescope(file);
            ObjectNode report = (ObjectNode) json().readTree(file.toFile());
            report.put("output", "Not graded: " + why);
            write(report);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void write(ObjectNode report) throws IOException {
        Path parent = results.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        json().writeValue(results.toFile(), report);
    }

    private static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String describe(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " minutes" : d.toSeconds() + " seconds";
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
