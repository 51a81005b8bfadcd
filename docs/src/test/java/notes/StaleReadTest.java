package notes;

import harness.check.LinearizabilityResult;
import harness.check.LinearizabilityResult.Verdict;
import harness.cluster.Cluster;
import harness.history.Call;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chapter 5 says what these runs show: the old leader answers nothing, or, with the bug, a value already overwritten. */
class StaleReadTest {

    @Test
    void milestone5sOldLeaderLeavesTheReadUnansweredAndTheBugAnswersTheOverwrittenValue() {
        List<Call> correct = StaleRead.run(5, null).history().calls();
        List<Call> stale = StaleRead.run(5, StaleRead.BUG).history().calls();
        for (List<Call> calls : List.of(correct, stale)) {
            assertEquals(4, calls.size(), calls.toString());
            Call put = calls.get(2);
            assertEquals("put x 2", put.operation().toString(), calls.toString());
            assertTrue(put.isOk() && put.completed() < calls.get(3).invoked(), calls.toString());
        }
        assertFalse(correct.get(3).isOk(), "milestone 5's isolated leader must not answer: " + correct);
        Call read = stale.get(3);
        assertTrue(read.isOk() && "1".equals(read.outcome().value()), "the bug's read should be stale: " + stale);
        assertEquals(stale.get(0).outcome().leader(), read.outcome().leader(), "the old leader answers it: " + stale);
    }

    @Test
    void theListingsAreTheHistoriesAndTheTimelineIsIncluded() {
        Cluster correct = StaleRead.run(5, null);
        Cluster stale = StaleRead.run(5, StaleRead.BUG);
        String adoc = StaleRead.adoc(5, correct, stale);
        for (Call call : stale.history().calls()) {
            assertTrue(adoc.contains(StaleRead.line(call)), adoc);
        }
        for (Call call : correct.history().calls()) {
            assertTrue(adoc.contains(StaleRead.line(call)), adoc);
        }
        assertTrue(adoc.contains("client1: get x → unknown ["), "an unknown outcome without the client's note: " + adoc);
        assertTrue(adoc.contains("image::{generated}/milestone-5/stale-read.svg["), adoc);
        assertTrue(StaleRead.svg(stale).startsWith("<svg"), "a timeline picture");
    }

    @Test
    void theCheckerBlamesTheStaleReadAndPassesTheMilestonesRun() {
        Cluster correct = StaleRead.run(5, null);
        Cluster stale = StaleRead.run(5, StaleRead.BUG);
        LinearizabilityResult correctCheck = StaleRead.check(correct);
        LinearizabilityResult staleCheck = StaleRead.check(stale);
        assertEquals(Verdict.LINEARIZABLE, correctCheck.verdict(), correctCheck.explain());
        assertEquals(Verdict.NOT_LINEARIZABLE, staleCheck.verdict(), staleCheck.explain());
        List<Call> calls = stale.history().calls();
        assertEquals(calls.get(3), staleCheck.unplaceable().orElseThrow(), "the stale read is the call the chapter says cannot be placed");
        assertEquals(calls.subList(0, 3), staleCheck.longestOrder(), "the chapter reads the green bars as put x 1, get x, put x 2");

        String adoc = StaleRead.checkAdoc(5, correctCheck, staleCheck);
        assertTrue(adoc.contains("image::{generated}/milestone-5/stale-read-check.svg["), adoc);
        assertTrue(adoc.contains(staleCheck.explain()) && adoc.contains(correctCheck.explain()), adoc);
        assertTrue(adoc.contains("`NOT_LINEARIZABLE`") && adoc.contains("`LINEARIZABLE`"), adoc);
        String svg = StaleRead.checkSvg(staleCheck);
        assertTrue(svg.startsWith("<svg") && svg.contains("cannot be placed"), "the checker's picture of the failure");
    }
}
