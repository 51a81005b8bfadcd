package notes;

import notes.figure16.Experiment;
import notes.figure16.Experiment.Results;
import notes.figure16.Experiment.Setting;
import notes.figure16.Outcome;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Figure 16 section of the notes, from made-up outcomes: its table, the paper's figures, the verdict on the guess. */
class Figure16PageTest {

    private static final Setting NARROW = new Setting(150, 155);
    private static final Setting SHORT = new Setting(12, 24);

    /** Every setting of both graphs with the same outcome, but 150–155 ms with {@code narrowMs} in every trial. */
    private static Map<Setting, Outcome> run(double narrowMs) {
        Map<Setting, Outcome> outcomes = new LinkedHashMap<>();
        Stream.concat(Experiment.TOP.stream(), Experiment.BOTTOM.stream())
                .forEach(s -> outcomes.put(s, new Outcome(List.of(100.0, 200.0, 300.0), 0)));
        outcomes.put(NARROW, new Outcome(List.of(narrowMs, narrowMs), 0));
        return outcomes;
    }

    private static Results results(double wireNarrowMs, double diskNarrowMs) {
        return new Results(run(wireNarrowMs), run(diskNarrowMs));
    }

    @Test
    void theTableHasBothRunsAndEveryFigureThePaperStates() {
        String page = Figure16Page.adoc(results(1351, 4859));

        assertTrue(page.contains(".2+| 150–155 ms | on the wire | 2 | 1351 ms | 1351 ms | 1351 ms | 1351 ms | 0 .2+| median 287 ms\n"
                + "| on the disk | 2 | 4859 ms | 4859 ms | 4859 ms | 4859 ms | 0\n"), page);
        for (String figure : List.of("consistently longer than 10 seconds", "median 287 ms", "worst case 513 ms over 1000 trials",
                "mean 35 ms, longest trial 152 ms")) {
            assertTrue(page.contains(".2+| " + figure + "\n"), figure);
        }
        assertEquals(2 * 10, page.lines().filter(l -> l.startsWith("| on the ") || l.startsWith(".2+| ")).count(),
                "two rows for each of the ten settings");
    }

    @Test
    void theVerdictFollowsTheRun() {
        String slower = Figure16Page.verdict(results(1351, 4859));
        String nearer = Figure16Page.verdict(results(1351, 300));

        assertTrue(slower.startsWith("*The guess does not hold.*"), slower);
        assertTrue(slower.contains("the median is 4859 ms with the time on the disk, 1351 ms on the wire and 287 ms in the paper"), slower);
        assertTrue(nearer.startsWith("*The guess holds.*"), nearer);
        assertFalse(nearer.contains("does not hold"), nearer);
    }

    @Test
    void closerMeansNearerThePapersMedianAsARatio() {
        assertTrue(Figure16Page.closerToThePaper(300, 1351));
        assertTrue(Figure16Page.closerToThePaper(200, 500), "287/200 is a smaller ratio than 500/287");
        assertFalse(Figure16Page.closerToThePaper(4859, 1351));
    }

    @Test
    void shortTimeoutsThatNeverElectedALeaderSaySo() {
        Map<Setting, Outcome> disk = run(4859);
        disk.put(SHORT, new Outcome(List.of(), 0, 1));
        Results results = new Results(run(1351), disk);

        String page = Figure16Page.adoc(results);
        assertTrue(page.contains("| on the disk | 0 | – | – | – | – | a cluster with no first leader\n"), page);
        String verdict = Figure16Page.verdict(results);
        assertTrue(verdict.contains("At 12–24 ms no leader was elected at all, not even a first one to crash, in the 10 s its cluster"
                + " was given"), verdict);
        assertTrue(verdict.contains("at least 29 ms, longer than any of these timeouts"), verdict);
    }
}
