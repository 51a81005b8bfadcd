package notes;

import harness.api.Bug;
import harness.api.RaftImplementation;
import harness.cluster.Implementations;
import harness.grade.Graded;
import harness.grade.Grader;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablesTest {

    @Test
    void theRubricListsEveryScenarioOfTheSuiteWithItsPointsAndTheTotal() {
        String rubric = Tables.rubric(1);
        int total = 0;
        for (Method m : Grader.scenariosUpTo(1)) {
            assertTrue(rubric.contains("`" + m.getDeclaringClass().getSimpleName() + "." + m.getName() + "`"), m.getName());
            total += m.getAnnotation(Graded.class).points();
        }
        assertTrue(rubric.contains("3+| *Total* | *" + total + "*"), rubric);
        assertEquals(100, total, "suite 1 is worth 100 points");
    }

    @Test
    void theBugZooTableSaysHowToSeeEachVariantFail() {
        RaftImplementation m1 = Implementations.milestone(1);
        String table = Tables.bugZoo(1, m1);
        for (Bug bug : m1.bugZoo()) {
            assertTrue(table.contains("`./course grade 1 --bug " + bug.name() + "`"), bug.name());
            assertTrue(table.contains(bug.breaks().title()), bug.name());
        }
    }

    @Test
    void theRulesTableHasEveryRuleTheSuiteGradesOnce() {
        String rules = Tables.rules(1, Implementations.milestone(1));
        for (Method m : Grader.scenariosUpTo(1)) {
            String title = m.getAnnotation(Graded.class).rule().title();
            assertEquals(1, rules.split("\\| " + java.util.regex.Pattern.quote(title) + " \\|", -1).length - 1, title);
        }
    }

    @Test
    void theRulesTableSaysWhereTheCourseAsksMoreThanFigure2() {
        String m2 = Tables.rules(2, Implementations.milestone(2));
        assertTrue(m2.contains("| §5.3 (optional) | back up a whole term at a time | "), m2);
        assertTrue(m2.contains(" +\n*Beyond the paper:* Figure 2 itself only says to decrement nextIndex and retry"), m2);
        assertEquals(2, m2.split("Beyond the paper", -1).length - 1, "fast backup and prompt replication (the latency"
                + " budget) go beyond the paper in suite 2, nothing else:\n" + m2);
        String m4 = Tables.rules(4, Implementations.milestone(4));
        assertTrue(m4.contains("| course design | append, don't rewrite | "), m4);
        assertTrue(m4.contains("says nothing about how it is written"), m4);
    }
}
