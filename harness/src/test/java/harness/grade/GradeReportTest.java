package harness.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import harness.api.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradeReportTest {

    private static final GradeReport.Row SAFE =
            new GradeReport.Row("Election", "One leader per term", "oneLeader", 10, Rule.ELECTION_SAFETY, 5, List.of());
    private static final GradeReport.Row ELECTS =
            new GradeReport.Row("Liveness", "A majority elects a leader", "elects", 8, Rule.ELECTION_LIVENESS, 0, List.of());
    private static final GradeReport.Row VOTES =
            new GradeReport.Row("Election", "One vote per term", "votesOnce", 5, Rule.ONE_VOTE_PER_TERM, 1, List.of());
    private static final GradeReport.Row MAJORITY =
            new GradeReport.Row("Election", "A majority to win", "majority", 7, Rule.MAJORITY_TO_WIN, 5,
                    List.of("first failure\nwith a second line", "second failure"));

    /** Suites interleaved on purpose: the report groups rows by suite, in order of first appearance. */
    private static GradeReport report() {
        return new GradeReport("milestone-1-election", List.of(SAFE, ELECTS, VOTES, MAJORITY), 12.6);
    }

    @Test
    void rowsPassOnlyIfTheyRanAndNothingFailed() {
        assertTrue(SAFE.passed());
        assertEquals(10, SAFE.score());
        assertFalse(ELECTS.passed(), "a scenario that did not run does not pass");
        assertEquals(0, ELECTS.score());
        assertFalse(MAJORITY.passed());
        assertEquals(0, MAJORITY.score());
    }

    @Test
    void totals() {
        GradeReport r = report();
        assertEquals(15, r.score());
        assertEquals(30, r.maxScore());
        assertFalse(r.allPassed());
        assertEquals(List.of(SAFE, ELECTS, VOTES, MAJORITY), r.rows());

        GradeReport all = new GradeReport("x", List.of(SAFE, VOTES), 1);
        assertTrue(all.allPassed());
        assertEquals(15, all.score());
        assertEquals(15, all.maxScore());
    }

    @Test
    void theTableGroupsBySuiteAndShowsEveryOutcome() {
        List<String> expected = new ArrayList<>(List.of(
                "",
                "Grade for milestone-1-election",
                "",
                "  Election  15/22",
                "    PASS  10/10  5 seeds      §5.2, Figure 3  One leader per term",
                "    PASS   5/5   1 run        §5.2            One vote per term",
                "    FAIL   0/7   2/5 failed   §5.2            A majority to win",
                "",
                "  Liveness  0/8",
                "    FAIL   0/8   did not run  §5.2            A majority elects a leader",
                ""));
        expected.add("  Total  15/30 points  (" + String.format("%.1f", 12.6) + " s)");
        assertEquals(expected, report().table().lines().toList());
    }

    @Test
    void failureDetailsShowTheFirstFailureOfEachFailingScenario() {
        String details = report().failureDetails();
        assertTrue(details.contains("\n──── FAIL: Liveness · A majority elects a leader\ndid not run\n"), details);
        assertTrue(details.contains("\n──── FAIL: Election · A majority to win\nfirst failure\nwith a second line\n"), details);
        assertFalse(details.contains("second failure"), details);
        assertFalse(details.contains("One leader per term"), details);
    }

    @Test
    void aGradedFailureReportNamesItsScenarioOnceUnderItsSuite() {
        String report = "[§5.2 a majority to win] A majority to win (seed 3)\nnode2 won with 2 votes of 5\n\nReplay exactly this run: …";
        GradeReport.Row failed = new GradeReport.Row("Election", "A majority to win", "majority", 7, Rule.MAJORITY_TO_WIN, 5,
                List.of(report));
        String details = new GradeReport("m", List.of(failed), 1).failureDetails();
        assertEquals("\n──── FAIL: Election\n" + report + "\n", details);
        assertEquals(1, details.split("A majority to win", -1).length - 1, "the title once:\n" + details);
    }

    @Test
    void gradescopeResultsJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("not/yet/there/results.json");
        report().writeGradescope(file);
        assertTrue(Files.exists(file), "the missing folders are created");

        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals(15, root.get("score").asInt());
        assertTrue(root.get("score").isNumber());
        assertEquals(30, root.get("max_score").asInt());
        assertTrue(root.get("execution_time").isIntegralNumber());
        assertEquals(13, root.get("execution_time").asLong(), "seconds, rounded");
        assertEquals("Graded milestone-1-election: 15/30 points.", root.get("output").asText());
        assertEquals("visible", root.get("stdout_visibility").asText());

        JsonNode tests = root.get("tests");
        assertEquals(4, tests.size());
        assertTest(tests.get(0), "Election: One leader per term", "1.1", 10, 10, "passed",
                "Passed [§5.2, Figure 3 Election Safety] on 5 seeds.", "§5.2, Figure 3", "Election Safety");
        assertTest(tests.get(1), "Election: One vote per term", "1.2", 5, 5, "passed",
                "Passed [§5.2 one vote per term] on 1 run.", "§5.2", "one vote per term");
        assertTest(tests.get(2), "Election: A majority to win", "1.3", 0, 7, "failed",
                "first failure\nwith a second line", "§5.2", "a majority to win");
        assertTest(tests.get(3), "Liveness: A majority elects a leader", "2.1", 0, 8, "failed",
                "Did not run.", "§5.2", "a connected majority elects a leader");

        int sum = 0;
        for (JsonNode t : tests) sum += t.get("score").asInt();
        assertEquals(root.get("score").asInt(), sum, "the total is the sum of the tests");
    }

    private static void assertTest(JsonNode t, String name, String number, int score, int max, String status, String output,
                                   String... tags) {
        assertEquals(name, t.get("name").asText());
        assertEquals(number, t.get("number").asText());
        assertEquals(score, t.get("score").asInt());
        assertEquals(max, t.get("max_score").asInt());
        assertEquals(status, t.get("status").asText());
        assertEquals(output, t.get("output").asText());
        List<String> actualTags = new ArrayList<>();
        t.get("tags").forEach(n -> actualTags.add(n.asText()));
        assertEquals(List.of(tags), actualTags);
        assertEquals("visible", t.get("visibility").asText());
    }

    @Test
    void anEmptyReportIsAValidGradeFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("results.json");
        new GradeReport("nothing", List.of(), 0.2).writeGradescope(file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals(0, root.get("score").asInt());
        assertEquals(0, root.get("max_score").asInt());
        assertEquals(0, root.get("tests").size());
    }

    @Test
    void aRunThatIsNotAGradeSaysSoInTheTableAndTheFile(@TempDir Path dir) throws IOException {
        GradeReport partial = new GradeReport("milestone-1-election", List.of(SAFE, VOTES), 1, "only ElectionSuite.reElection");
        assertTrue(partial.table().contains("  Not a grade: only ElectionSuite.reElection\n"), partial.table());
        Path file = dir.resolve("partial-results.json");
        partial.writeGradescope(file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals("Not a grade (only ElectionSuite.reElection): milestone-1-election scored 15/15 points in this run.",
                root.get("output").asText());
        assertFalse(Files.exists(dir.resolve("partial-results.json.tmp")), "written whole, by a rename");
        assertFalse(report().table().contains("Not a grade"));
    }
}
