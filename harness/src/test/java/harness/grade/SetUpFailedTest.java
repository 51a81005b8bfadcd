package harness.grade;

import harness.api.Rule;
import harness.cluster.Implementations;
import harness.cluster.Subject;
import harness.testing.Pinger;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A scenario whose own script did not happen is reported as its set-up's failure, never as a rule the code broke. */
class SetUpFailedTest {

    /** A scripted scenario that grades the consistency check, as suite 2's Figure 7 does. */
    static final class Scripted {
        @Graded(points = 15, rule = Rule.CONSISTENCY_CHECK)
        void figure(long seed) {
        }
    }

    private static final String TITLE = "Figure 7: a new leader repairs followers";

    private static String reportOf(Throwable failure) throws NoSuchMethodException {
        Method scenario = Scripted.class.getDeclaredMethod("figure", long.class);
        AtomicReference<String> report = new AtomicReference<>();
        Implementations.runWith(new Subject(Pinger.implementation()),
                () -> report.set(GradedExtension.report(scenario, 4436L, TITLE, failure, List.of())));
        return report.get();
    }

    @Test
    void aSetUpFailureIsLabelledAsTheScenariosAndNamesNoRule() throws Exception {
        String report = reportOf(new SetUpFailed("node7 led term 12 as the script made it, but 3 s into the repair it is a"
                + " follower of term 13"));
        assertTrue(report.startsWith("scenario set-up: " + TITLE + " (seed 4436)\nnode7 led term 12"), report);
        assertTrue(report.contains("This is the scenario's failure, not your code's"), report);
        assertTrue(report.contains("--test Scripted.figure --seed 4436"), report);
        assertFalse(report.contains(Rule.CONSISTENCY_CHECK.label()), "the scenario's rule was not judged: " + report);
        assertFalse(report.contains("What may be missing"), report);
    }

    @Test
    void aSetUpFailureWrappedWithMoreContextIsStillOne() throws Exception {
        AssertionError wrapped = new AssertionError("the logs are not Figure 7's\n  The terms: …",
                new SetUpFailed("the logs are not Figure 7's"));
        String report = reportOf(wrapped);
        assertTrue(report.startsWith("scenario set-up: " + TITLE + " (seed 4436)\nthe logs are not Figure 7's\n  The terms: …"), report);
        assertFalse(report.contains(Rule.CONSISTENCY_CHECK.label()), report);
    }

    @Test
    void aBrokenRuleIsStillLabelledWithTheRule() throws Exception {
        String report = reportOf(new AssertionError(Rule.CONSISTENCY_CHECK.violated("node7 leads, but 3 s later its"
                + " followers still differ from it")));
        assertTrue(report.startsWith(Rule.CONSISTENCY_CHECK.label() + " " + TITLE + " (seed 4436)\n"), report);
        assertFalse(report.contains(SetUpFailed.LABEL), report);
        assertFalse(report.contains("This is the scenario's failure"), report);
        assertTrue(report.contains("--test Scripted.figure --seed 4436"), report);
    }

    @Test
    void theGradeTableShowsSetUpInsteadOfTheRuleOnlyWhenEveryFailureWasTheSetUps() {
        String setUp = SetUpFailed.LABEL + " " + TITLE + " (seed 4436)\n…";
        String broken = Rule.CONSISTENCY_CHECK.label() + " " + TITLE + " (seed 5666)\n…";
        GradeReport.Row onlySetUp = new GradeReport.Row("Suite 2", TITLE, "figure", 15, Rule.CONSISTENCY_CHECK, 2, List.of(setUp));
        GradeReport.Row both = new GradeReport.Row("Suite 2", TITLE, "figure", 15, Rule.CONSISTENCY_CHECK, 2, List.of(setUp, broken));
        assertTrue(onlySetUp.failedSetUpOnly());
        assertEquals(0, onlySetUp.score(), "a set-up failure still fails the scenario: the grader never passes what it could not check");
        assertFalse(both.failedSetUpOnly());

        String table = new GradeReport("milestone-2-replication", List.of(onlySetUp), 1).table();
        assertTrue(table.contains("FAIL   0/15  1/2 failed   set-up          " + TITLE), table);
        String ruled = new GradeReport("milestone-2-replication", List.of(both), 1).table();
        assertTrue(ruled.contains("FAIL   0/15  2/2 failed   §5.3            " + TITLE), ruled);
    }
}
