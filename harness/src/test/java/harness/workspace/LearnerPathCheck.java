package harness.workspace;

import harness.api.RaftImplementation;
import harness.cluster.Implementations;
import harness.cluster.Subject;
import harness.grade.GradeListener;
import harness.grade.GradeReport;
import harness.grade.GradedExtension;
import harness.grade.Grader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path a learner takes, for every milestone N from 2 to the latest: a workspace made
 * from milestone N−1 keeps full marks on suites 1..N−1 and fails suite N, each failure saying
 * which milestone brings what is missing; with milestone N's reference changes copied in, it
 * grades fully. Workspaces go to a temporary folder: the course's own workspace/ is the learner's.
 */
class LearnerPathCheck {

    private static final Path ROOT = Implementations.courseRoot();

    @TempDir
    Path workspaces;

    @TestFactory
    Stream<DynamicTest> everyMilestoneCanBeDoneFromThePreviousOne() {
        int latest = IntStream.rangeClosed(1, 8).filter(n -> Implementations.referenceModule(ROOT, n).isPresent()).max().orElseThrow();
        return IntStream.rangeClosed(2, latest).mapToObj(n -> DynamicTest.dynamicTest("milestone " + n, () -> walk(n)));
    }

    private void walk(int n) throws IOException {
        Workspace ws = new Starter(ROOT, workspaces).start(n, false).workspace();

        GradeReport fresh = grade(ws);
        for (GradeReport.Row row : fresh.rows()) {
            if (suiteOf(row) < n) {
                assertTrue(row.passed(), "a fresh workspace for milestone " + n + " keeps milestone " + (n - 1) + "'s marks, but "
                        + row.method() + " failed:\n" + row.failures());
            }
        }
        List<GradeReport.Row> suiteN = fresh.rows().stream().filter(r -> suiteOf(r) == n).toList();
        assertFalse(suiteN.isEmpty(), "milestone " + n + " has reference code (" + Implementations.referenceModule(ROOT, n)
                .orElseThrow().getFileName() + ") but suite " + n + " has no graded scenario to grade a workspace with");
        assertEquals(List.of(), suiteN.stream().filter(GradeReport.Row::passed).map(GradeReport.Row::method).toList(),
                "every scenario of suite " + n + " needs what milestone " + n + " adds, so milestone " + (n - 1)
                        + "'s code earns none of its points");
        for (GradeReport.Row row : suiteN.stream().filter(r -> !r.passed()).toList()) {
            String report = row.failures().get(0);
            assertTrue(report.startsWith(row.rule().label()), "a failure names its rule first: " + report);
            assertTrue(report.contains("milestone " + n + " adds"), "a failure of suite " + n + " on milestone " + (n - 1)
                    + "'s code says which milestone brings what is missing:\n" + report);
            assertTrue(report.contains("Replay exactly this run: ./course grade " + n + " --mine --test "), report);
        }
        Path results = ws.dir().resolve("target/grade/results.json");
        assertTrue(Files.readString(results).contains("\"score\" : " + fresh.score()), "results.json holds the same grade");

        copyReferenceChanges(n, ws);
        GradeReport done = grade(ws);
        assertTrue(done.allPassed(), "with milestone " + n + "'s reference changes copied in, the workspace grades fully:\n"
                + done.failureDetails());
        assertEquals(100 * n, done.score());
    }

    /**
     * Milestone n's reference files over the workspace's, as a learner who wrote exactly them would
     * have, and {@code Milestone.java} finished as its comments ask (from milestone 5 it returns
     * the learner's key-value store and client instead of the harness's defaults).
     */
    private static void copyReferenceChanges(int n, Workspace ws) throws IOException {
        Files.writeString(ws.raftPackage().resolve("Milestone.java"), Starter.milestoneGlue(n, n));
        Path reference = Implementations.referenceModule(ROOT, n).orElseThrow().resolve("src/main/java/raft");
        try (Stream<Path> files = Files.list(reference)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (!file.getFileName().toString().equals("Milestone.java")) {
                    Files.writeString(ws.raftPackage().resolve(file.getFileName().toString()), Starter.forLearner(Files.readString(file)));
                }
            }
        }
    }

    /** Grades the workspace with suites 1..N as {@code ./course grade N --mine} does. */
    private static GradeReport grade(Workspace ws) {
        RaftImplementation mine = ws.load();
        String command = System.getProperty(GradedExtension.GRADE_COMMAND);
        String file = System.getProperty(GradeListener.GRADE_FILE);
        System.setProperty(GradedExtension.GRADE_COMMAND, "./course grade " + ws.milestone() + " --mine");
        System.setProperty(GradeListener.GRADE_FILE, ws.dir().resolve("target/grade/results.json").toString());
        try {
            GradeListener listener = new GradeListener();
            Implementations.runWith(new Subject(mine), () -> Grader.run(ws.milestone(), null, listener));
            return listener.lastReport();
        } finally {
            restore(GradedExtension.GRADE_COMMAND, command);
            restore(GradeListener.GRADE_FILE, file);
        }
    }

    /** The suite a row's scenario belongs to; two suites may have scenarios of the same name, so the suite's title decides. */
    private static int suiteOf(GradeReport.Row row) {
        return Grader.scenariosUpTo(8).stream()
                .filter(m -> m.getName().equals(row.method())
                        && row.suite().equals(m.getDeclaringClass().getAnnotation(DisplayName.class).value()))
                .findFirst().map(Grader::suiteOf).orElseThrow();
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
