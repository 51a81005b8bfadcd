package notes.figure16;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    }
}
