package harness.grade;

import harness.cluster.Implementations;
import org.junit.jupiter.api.DisplayName;
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

    private static final class Scenario {
        final Method method;
        final String suite;
        final String title;
        int runs;
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
            if (s != null && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                s.failures.add(describe(result));
            }
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        graded(id).ifPresent(m -> scenarios.computeIfAbsent(id.getUniqueId(),
                k -> new Scenario(m, suiteTitle(m.getDeclaringClass()), id.getDisplayName())).failures.add("skipped: " + reason));
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (scenarios.isEmpty()) {
            return;
        }
        List<GradeReport.Row> rows = scenarios.values().stream()
                .map(s -> {
                    Graded g = s.method.getAnnotation(Graded.class);
                    return new GradeReport.Row(s.suite, s.title, s.method.getName(), g.points(), g.rule(), s.runs, s.failures);
                })
                .toList();
        last = new GradeReport(Implementations.underTest().toString(), rows, (System.nanoTime() - startNanos) / 1e9);
        Path file = Path.of(System.getProperty(GRADE_FILE, "target/grade/results.json"));
        last.writeGradescope(file);
        if (Boolean.getBoolean(DETAILS)) {
            System.out.print(last.failureDetails());
        }
        System.out.print(last.table());
        System.out.println("  Grade file (Gradescope format): " + file.toAbsolutePath().normalize());
        System.out.flush();
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
        DisplayName name = suite.getAnnotation(DisplayName.class);
        return name != null ? name.value() : suite.getSimpleName();
    }

    private static String describe(TestExecutionResult result) {
        return result.getThrowable().map(t -> t.getMessage() != null ? t.getMessage() : t.toString()).orElse(result.getStatus().toString());
    }
}
