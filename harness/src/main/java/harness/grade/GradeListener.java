package harness.grade;

import harness.cluster.Implementations;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects the results of {@link Graded} scenarios in any JUnit run (Maven's, or
 * {@code ./course grade}) and, at the end, prints the grade table and writes the Gradescope
 * grade file ({@code -Draft.grade.file}, by default {@code target/grade/results.json}). Registered
 * with the JUnit Platform in {@code META-INF/services}, so every run that grades reports.
 */
public final class GradeListener implements TestExecutionListener {

    public static final String GRADE_FILE = "raft.grade.file";
    public static final String DETAILS = "raft.grade.details";
    /** The one scenario a run was limited to ({@code ./course grade N --test S}), if any. */
    public static final String ONLY = "raft.grade.only";

    private static final class Scenario {
        final Method method;
        final String suite;
        final String title;
        int runs;
        boolean finished;
        final List<String> failures = new ArrayList<>();

        Scenario(Method method, String suite, String title) {
            this.method = method;
            this.suite = suite;
            this.title = title;
        }
    }

    private final Map<String, Scenario> scenarios = new LinkedHashMap<>();
    private TestPlan plan;
    private long startNanos;
    private GradeReport last;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        startNanos = System.nanoTime();
        scenarios.clear();
        planned(testPlan, testPlan.getRoots());
    }

    /** Every graded scenario of the plan, in order, before any runs: a run cut short still reports them all. */
    private void planned(TestPlan testPlan, Iterable<TestIdentifier> ids) {
        for (TestIdentifier id : ids) {
            graded(id).filter(m -> id.isContainer()).ifPresent(m -> scenarios.computeIfAbsent(id.getUniqueId(),
                    k -> new Scenario(m, suiteTitle(m.getDeclaringClass()), id.getDisplayName())));
            planned(testPlan, testPlan.getChildren(id));
        }
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        graded(id).filter(m -> id.isContainer()).ifPresent(m -> scenarios.computeIfAbsent(id.getUniqueId(),
                k -> new Scenario(m, suiteTitle(m.getDeclaringClass()), id.getDisplayName())));
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
            Optional<TestIdentifier> parent = plan.getParent(id);
            Scenario s = parent.map(p -> scenarios.get(p.getUniqueId())).orElse(null);
            if (s != null) {
                s.runs++;
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    s.failures.add(describe(result));
                }
            }
        } else {
            Scenario s = scenarios.get(id.getUniqueId());
            if (s != null) {
                s.finished = true;
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    s.failures.add(describe(result));
                }
                writeSoFar(); // should the run be cut short (a hang, a kill, the JVM exiting), what finished is on file
            }
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        graded(id).ifPresent(m -> {
            Scenario s = scenarios.computeIfAbsent(id.getUniqueId(), k -> new Scenario(m, suiteTitle(m.getDeclaringClass()), id.getDisplayName()));
            s.finished = true;
            s.failures.add("skipped: " + reason);
        });
    }

    /** The results so far, every scenario that has not finished marked so, written where the final results go. */
    private void writeSoFar() {
        long finished = scenarios.values().stream().filter(s -> s.finished).count();
        String stopped = "the run stopped after " + finished + " of " + scenarios.size() + " scenarios";
        String other = notAGrade();
        report(other == null ? stopped : stopped + ", " + other).writeGradescope(gradeFile());
    }

    private GradeReport report(String notAGrade) {
        List<GradeReport.Row> rows = scenarios.values().stream()
                .map(s -> {
                    Graded g = s.method.getAnnotation(Graded.class);
                    return s.finished ? new GradeReport.Row(s.suite, s.title, s.method.getName(), g.points(), g.rule(), s.runs, s.failures)
                            : new GradeReport.Row(s.suite, s.title, s.method.getName(), g.points(), g.rule(), 0, List.of(DID_NOT_FINISH));
                })
                .toList();
        return new GradeReport(Implementations.underTest().toString(), rows, (System.nanoTime() - startNanos) / 1e9, notAGrade);
    }

    /** What an unfinished scenario says in a run that was cut short. */
    public static final String DID_NOT_FINISH = "did not finish: the run stopped before this scenario ended"
            + " (a server that never returns from an input, the JVM exiting, or a time limit)";

    private static Path gradeFile() {
        return Path.of(System.getProperty(GRADE_FILE, "target/grade/results.json"));
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (scenarios.isEmpty()) {
            return;
        }
        last = report(notAGrade());
        Path file = gradeFile();
        last.writeGradescope(file);
        if (Boolean.getBoolean(DETAILS)) {
            System.out.print(last.failureDetails());
        }
        System.out.print(last.table());
        System.out.println((last.notAGrade() == null ? "  Grade file (Gradescope format): " : "  Results of this run (marked: not a grade): ")
                + file.toAbsolutePath().normalize());
        System.out.flush();
    }

    /**
     * Why this run is not the grade of the code under test, or null: it ran one scenario, replayed
     * one seed, soaked other seeds, or graded a bug-zoo variant. Hidden seeds are a grade.
     */
    public static String notAGrade() {
        List<String> why = new ArrayList<>();
        String only = System.getProperty(ONLY, "").strip();
        String seed = System.getProperty(Seeds.ONE, "").strip();
        String seeds = System.getProperty(Seeds.MANY, "").strip();
        String bug = System.getProperty("raft.bug", "").strip();
        if (!only.isEmpty()) why.add("only " + only);
        if (!seed.isEmpty()) why.add("seed " + seed + " only");
        if (!seeds.isEmpty() && System.getProperty(Seeds.SECRET, "").isEmpty()) why.add("seeds 1 to " + seeds);
        if (!bug.isEmpty()) why.add("the bug-zoo variant " + bug);
        return why.isEmpty() ? null : String.join(", ", why);
    }

    /** The report of the last finished run, for {@code ./course grade}'s exit code. */
    public GradeReport lastReport() {
        return last;
    }

    private static Optional<Method> graded(TestIdentifier id) {
        return id.getSource()
                .filter(MethodSource.class::isInstance)
                .map(s -> ((MethodSource) s).getJavaMethod())
                .filter(m -> m.isAnnotationPresent(Graded.class));
    }

    private static String suiteTitle(Class<?> suite) {
        return Grader.suiteTitle(suite);
    }

    private static String describe(TestExecutionResult result) {
        return result.getThrowable().map(t -> t.getMessage() != null ? t.getMessage() : t.toString()).orElse(result.getStatus().toString());
    }
}
