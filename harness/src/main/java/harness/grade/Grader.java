package harness.grade;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs graded suites with the JUnit Platform, outside Maven: for {@code ./course grade} and for
 * the bug-zoo check. Suites live in {@code harness.suites} and are tagged {@code milestone-N};
 * grading milestone N runs the suites tagged 1 to N.
 */
public final class Grader {

    static final String SUITES_PACKAGE = "harness.suites";

    private Grader() {
    }

    /** The JUnit tag expression that selects suites 1 to {@code milestone}. */
    public static String tagsUpTo(int milestone) {
        return IntStream.rangeClosed(1, milestone).mapToObj(i -> "milestone-" + i).collect(Collectors.joining(" | "));
    }

    /** Every graded scenario of suites 1 to {@code milestone}, in suite order. */
    public static List<Method> scenariosUpTo(int milestone) {
        TestPlan plan = launcher().discover(request(List.of(DiscoverySelectors.selectPackage(SUITES_PACKAGE)), milestone));
        List<Method> methods = new ArrayList<>();
        collect(plan, plan.getRoots(), methods);
        return methods;
    }

    /** The graded scenarios of suite {@code milestone} alone, in suite order. */
    public static List<Method> scenariosOf(int milestone) {
        return scenariosUpTo(milestone).stream().filter(m -> suiteOf(m) == milestone).toList();
    }

    /** The milestone whose suite a scenario belongs to: its class's tag {@code milestone-N}; 0 if none. */
    public static int suiteOf(Method scenario) {
        for (Tag tag : scenario.getDeclaringClass().getAnnotationsByType(Tag.class)) {
            if (tag.value().matches("milestone-\\d+")) {
                return Integer.parseInt(tag.value().substring("milestone-".length()));
            }
        }
        return 0;
    }

    /** A suite's title, as grade tables and results.json show it: its {@code @DisplayName}, else its class's name. */
    public static String suiteTitle(Class<?> suite) {
        DisplayName name = suite.getAnnotation(DisplayName.class);
        return name != null ? name.value() : suite.getSimpleName();
    }

    /** A scenario's title, as grade tables and results.json show it: its {@code @DisplayName}, else its method's name. */
    public static String scenarioTitle(Method scenario) {
        DisplayName name = scenario.getAnnotation(DisplayName.class);
        return name != null ? name.value() : scenario.getName();
    }

    private static void collect(TestPlan plan, Iterable<TestIdentifier> ids, List<Method> into) {
        for (TestIdentifier id : ids) {
            id.getSource().filter(MethodSource.class::isInstance)
                    .map(s -> ((MethodSource) s).getJavaMethod())
                    .filter(m -> m.isAnnotationPresent(Graded.class) && !into.contains(m))
                    .ifPresent(into::add);
            collect(plan, plan.getChildren(id), into);
        }
    }

    /**
     * The scenario named "Suite.method" (or just "method") among suites 1 to {@code milestone},
     * or an error listing what there is.
     */
    public static Method scenario(String name, int milestone) {
        List<Method> all = scenariosUpTo(milestone);
        List<Method> matches = all.stream()
                .filter(m -> name.equals(m.getName()) || name.equals(m.getDeclaringClass().getSimpleName() + "." + m.getName()))
                .toList();
        if (matches.size() != 1) {
            throw new IllegalArgumentException((matches.isEmpty() ? "no graded scenario \"" + name + "\"" : "\"" + name + "\" is ambiguous")
                    + " in suites 1–" + milestone + "; the scenarios are:\n  " + all.stream()
                    .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName()).collect(Collectors.joining("\n  ")));
        }
        return matches.get(0);
    }

    /** Runs suites 1 to {@code milestone}, or the one scenario given, reporting to {@code listeners}. */
    public static void run(int milestone, Method only, TestExecutionListener... listeners) {
        List<DiscoverySelector> selectors = only == null
                ? List.of(DiscoverySelectors.selectPackage(SUITES_PACKAGE))
                : List.of(DiscoverySelectors.selectMethod(only.getDeclaringClass(), only));
        launcher().execute(request(selectors, milestone), listeners);
    }

    /** Runs one scenario and returns the failure messages of its failed runs (empty if it passed). */
    public static List<String> failures(Method scenario, int milestone) {
        List<String> failures = new ArrayList<>();
        run(milestone, scenario, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failures.add(result.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse(result.getStatus().name()));
                }
            }
        });
        return failures;
    }

    private static LauncherDiscoveryRequest request(List<? extends DiscoverySelector> selectors, int milestone) {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(TagFilter.includeTags(tagsUpTo(milestone)))
                .build();
    }

    /** A launcher that reports only to the listeners it is given (no automatic grade file). */
    private static Launcher launcher() {
        return LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build());
    }
}
