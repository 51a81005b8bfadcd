package harness.suites;

import harness.grade.Graded;
import harness.grade.Grader;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every suite is worth 100 points, and a suite split into several classes by topic still grades
 * as one: its classes share the milestone's tag and its title, which is what grade tables group by.
 */
class SuitePointsTest {

    @Test
    void eachSuiteTotals100PointsUnderOneTitle() {
        for (int milestone = 1; milestone <= 5; milestone++) {
            List<Method> scenarios = Grader.scenariosOf(milestone);
            assertFalse(scenarios.isEmpty(), "suite " + milestone + " has graded scenarios");
            int total = scenarios.stream().mapToInt(m -> m.getAnnotation(Graded.class).points()).sum();
            assertEquals(100, total, "suite " + milestone + " is worth 100 points: " + scenarios.stream()
                    .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName() + " " + m.getAnnotation(Graded.class).points())
                    .collect(Collectors.joining(", ")));
            Set<String> titles = scenarios.stream().map(m -> Grader.suiteTitle(m.getDeclaringClass())).collect(Collectors.toSet());
            assertEquals(1, titles.size(), "the classes of suite " + milestone + " share one title: " + titles);
        }
    }
}
