package harness.grade;

import harness.cluster.Cluster;
import harness.cluster.Implementations;
import harness.cluster.Subject;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a {@link Graded} scenario once per seed and turns any failure into a report a student can
 * act on: the rule, what went wrong, the seed, the command that replays exactly that run, and the
 * state of every cluster the scenario built.
 */
public final class GradedExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(Graded.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        Graded graded = method.getAnnotation(Graded.class);
        if (isSeeded(method)) {
            return Seeds.forScenario(graded.seeds()).stream().map(seed -> invocation(method, seed));
        }
        if (method.getParameterCount() != 0) {
            throw new IllegalStateException(method + ": a graded scenario takes no parameter or a single long seed");
        }
        return Stream.of(invocation(method, null));
    }

    static boolean isSeeded(Method method) {
        return method.getParameterCount() == 1 && method.getParameterTypes()[0] == long.class;
    }

    private TestTemplateInvocationContext invocation(Method method, Long seed) {
        return new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return seed == null ? "scenario" : "seed " + seed;
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new SeedResolver(seed), new FailureReport(method, seed));
            }
        };
    }

    /** Hands the seed to the scenario's {@code long seed} parameter. */
    private record SeedResolver(Long seed) implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return seed != null && p.getParameter().getType() == long.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return seed;
        }
    }

    /** Decorates a failure with the rule, the seed, the replay command and the clusters' state. */
    private record FailureReport(Method method, Long seed) implements TestExecutionExceptionHandler, BeforeEachCallback, AfterEachCallback {

        @Override
        public void beforeEach(ExtensionContext context) {
            Scenario.forget();
        }

        @Override
        public void afterEach(ExtensionContext context) {
            Scenario.forget();
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            if (failure instanceof org.opentest4j.TestAbortedException) {
                throw failure;
            }
            String title = context.getParent().map(ExtensionContext::getDisplayName).orElse(method.getName());
            String report = report(method, seed, title, failure, Scenario.built());
            throw new GradedFailure(report, failure);
        }
    }

    /**
     * The report of a failed run: its first line names the rule the scenario grades, or, for a
     * {@link SetUpFailed}, says "scenario set-up:" and names no rule, since none was judged; then
     * what went wrong, advice on a missing feature or the set-up verdict, the replay command and
     * the state of every cluster.
     */
    static String report(Method method, Long seed, String title, Throwable failure, List<Cluster> clusters) {
        boolean setUp = SetUpFailed.in(failure).isPresent();
        StringBuilder report = new StringBuilder();
        report.append(setUp ? SetUpFailed.LABEL : method.getAnnotation(Graded.class).rule().label()).append(' ').append(title);
        if (seed != null) {
            report.append(" (seed ").append(seed).append(')');
        }
        report.append('\n').append(failure.getMessage() == null ? failure.toString() : failure.getMessage()).append('\n');
        if (setUp) {
            report.append('\n').append(SetUpFailed.VERDICT).append('\n');
        } else {
            MissingFeature.diagnose(Grader.suiteOf(method), failure, clusters)
                    .ifPresent(advice -> report.append("\nWhat may be missing: ").append(advice).append('\n'));
        }
        report.append("\nReplay exactly this run: ").append(replayCommand(method, seed)).append('\n');
        for (Cluster c : clusters) {
            report.append('\n').append(c.report());
        }
        return report.toString();
    }

    /**
     * The system property that holds the command grading this code, such as "./course grade 3
     * --mine" for a learner's workspace; without it, "./course grade N" for the milestone under test.
     */
    public static final String GRADE_COMMAND = "raft.grade.command";

    /** The one-line command that runs this scenario alone, with this seed, against the same code. */
    static String replayCommand(Method method, Long seed) {
        Subject subject = Implementations.underTest();
        String command = System.getProperty(GRADE_COMMAND, "./course grade " + subject.implementation().milestone())
                + " --test " + method.getDeclaringClass().getSimpleName() + "." + method.getName();
        if (seed != null) {
            command += " --seed " + seed;
        }
        if (subject.bug() != null) {
            command += " --bug " + subject.bug().name();
        }
        return command;
    }

    /** A graded scenario failed; the message is the whole report, the cause the original failure. */
    public static final class GradedFailure extends AssertionError {
        GradedFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
