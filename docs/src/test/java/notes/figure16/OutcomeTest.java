package notes.figure16;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The statistics of a setting, with trials that gave up counted as longer than any measured time. */
class OutcomeTest {

    @Test
    void theTimesAreSortedShortestFirst() {
        assertEquals(List.of(1.0, 2.5, 3.0), new Outcome(List.of(3.0, 1.0, 2.5), 0).times());
    }

    @Test
    void withEveryTrialTimedTheStatisticsAreTheUsualOnes() {
        Outcome outcome = new Outcome(List.of(4.0, 1.0, 2.0, 3.0), 0);

        assertEquals(2.5, outcome.median());
        assertEquals(2.5, outcome.mean());
        assertEquals(1.0, outcome.min());
        assertEquals(4.0, outcome.max());
        assertEquals(0.5, outcome.fractionWithin(2.0));
    }

    @Test
    void trialsThatGaveUpCountAsLongerThanAnyTime() {
        Outcome fewGaveUp = new Outcome(List.of(1.0, 2.0, 3.0), 1);
        Outcome halfGaveUp = new Outcome(List.of(1.0, 2.0), 2);

        assertEquals(2.5, fewGaveUp.median());
        assertEquals(Double.POSITIVE_INFINITY, fewGaveUp.mean());
        assertEquals(Double.POSITIVE_INFINITY, fewGaveUp.max());
        assertEquals(0.75, fewGaveUp.fractionWithin(10));
        assertEquals(Double.POSITIVE_INFINITY, halfGaveUp.median());
        assertEquals(Double.POSITIVE_INFINITY, new Outcome(List.of(), 2).min(), "every trial gave up");
    }

    @Test
    void aClusterWithNoLeaderToCrashRanNoTrialAndIsInNoStatistic() {
        Outcome none = new Outcome(List.of(), 0, 1);
        Outcome some = new Outcome(List.of(5.0), 0, 2);

        assertEquals(0, none.trials());
        assertEquals(1, none.leaderless());
        assertTrue(Double.isNaN(none.median()) && Double.isNaN(none.mean()) && Double.isNaN(none.min()) && Double.isNaN(none.max()),
                "no trial, no number");
        assertEquals(1, some.trials());
        assertEquals(5.0, some.median());
        assertEquals(5.0, some.max());
        assertEquals(0, new Outcome(List.of(1.0), 0).leaderless());
        assertThrows(IllegalArgumentException.class, () -> new Outcome(List.of(), 0, -1));
    }
}
