package harness.grade;

import harness.api.Bug;
import harness.cluster.Implementations;
import harness.cluster.Subject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Proves the grader: every bug-zoo variant of the implementation under test must fail some
 * graded scenario with a message that names the rule the variant breaks. Scenarios that grade
 * that rule run first, and the check stops at the first failure that names it.
 */
@Tag("bug-zoo")
@DisplayName("Bug zoo: the graded suites catch every broken variant")
public class BugZooCheck {

    @TestFactory
    Stream<DynamicTest> everyVariantFailsNamingItsRule() {
        Subject subject = Implementations.underTest();
        int milestone = subject.implementation().milestone();
        List<Bug> zoo = subject.implementation().bugZoo();
        if (zoo.isEmpty()) {
            fail(subject.implementation().name() + " has no bug-zoo variants: a course milestone lists at least one per rule it adds");
        }
        List<Method> scenarios = Grader.scenariosUpTo(milestone);
        return zoo.stream().map(bug -> DynamicTest.dynamicTest(bug.name() + " breaks " + bug.breaks().label(),
                () -> Implementations.runWith(subject.withBug(bug.name()), () -> caught(bug, scenarios, milestone))));
    }

    private static void caught(Bug bug, List<Method> scenarios, int milestone) {
        List<Method> ordered = new ArrayList<>(scenarios);
        ordered.sort(Comparator.comparing(m -> m.getAnnotation(Graded.class).rule() == bug.breaks() ? 0 : 1));
        List<String> otherFailures = new ArrayList<>();
        for (Method scenario : ordered) {
            for (String failure : Grader.failures(scenario, milestone)) {
                if (failure.contains(bug.breaks().label())) {
                    return;
                }
                otherFailures.add(scenario.getName() + ": " + failure.lines().findFirst().orElse(""));
            }
        }
        fail("the graded suites did not catch the bug-zoo variant \"" + bug.name() + "\" (" + bug.description() + "): "
                + (otherFailures.isEmpty() ? "every scenario passed" : "no failure named " + bug.breaks().label()
                + "; the failures were:\n  " + String.join("\n  ", otherFailures)));
    }
}
