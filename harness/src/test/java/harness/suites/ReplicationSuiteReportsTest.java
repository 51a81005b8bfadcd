package harness.suites;

import harness.cluster.Network;
import harness.cluster.Packet;
import harness.observe.TraceEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What suite 2's failure reports say, from the pieces that write it. */
class ReplicationSuiteReportsTest {

    private static Packet packet(long id, int from, int to, String type, String json) {
        return new Packet(id, from, to, type, 4, json.getBytes(StandardCharsets.UTF_8));
    }

    private static final Packet HEARTBEAT = packet(1, 5, 2, "AppendEntries",
            "{\"term\":4,\"leader_id\":5,\"prev_log_index\":150,\"prev_log_term\":1,\"entries\":[]}");
    private static final Packet SUCCESS = packet(2, 2, 5, "AppendEntriesReply",
            "{\"term\":4,\"success\":true,\"match_index\":150,\"conflict_term\":0,\"conflict_index\":0}");
    private static final Packet REFUSAL = packet(3, 2, 5, "AppendEntriesReply",
            "{\"term\":4,\"success\":false,\"match_index\":0,\"conflict_term\":0,\"conflict_index\":1}");

    @Test
    void aFollowerThatAnswersSuccessWithAShortLogIsNamed() {
        Map<Integer, Long> logs = new HashMap<>(Map.of(2, 0L));
        FalseSuccess watch = new FalseSuccess(2, logs::get);
        watch.accept(new TraceEvent.Delivered(2_433_500, HEARTBEAT));
        watch.accept(new TraceEvent.Sent(2_433_500, SUCCESS, Network.Outcome.DELIVER));
        assertEquals("at 2433.5 ms node2 answered success to node5's AppendEntries with prev_log_index 150 and prev_log_term 1,"
                + " while its log held no entry", watch.first());

        logs.put(2, 149L);
        FalseSuccess shortByOne = new FalseSuccess(2, logs::get);
        shortByOne.accept(new TraceEvent.Delivered(1_000, HEARTBEAT));
        shortByOne.accept(new TraceEvent.Sent(1_000, SUCCESS, Network.Outcome.DELIVER));
        assertEquals("at 1.0 ms node2 answered success to node5's AppendEntries with prev_log_index 150 and prev_log_term 1,"
                + " while its log held 149 entries", shortByOne.first());
    }

    @Test
    void honestAnswersAreNotNamed() {
        Map<Integer, Long> logs = new HashMap<>(Map.of(2, 150L));
        FalseSuccess watch = new FalseSuccess(2, logs::get);
        watch.accept(new TraceEvent.Delivered(1_000, HEARTBEAT));
        watch.accept(new TraceEvent.Sent(1_000, SUCCESS, Network.Outcome.DELIVER));
        assertNull(watch.first(), "its log holds index 150");

        logs.put(2, 0L);
        watch.accept(new TraceEvent.Delivered(2_000, HEARTBEAT));
        watch.accept(new TraceEvent.Sent(2_000, REFUSAL, Network.Outcome.DELIVER));
        assertNull(watch.first(), "a refusal");

        watch.accept(new TraceEvent.TimerFired(3_000, 2, "election"));
        watch.accept(new TraceEvent.Sent(3_000, SUCCESS, Network.Outcome.DELIVER));
        assertNull(watch.first(), "not sent while handling an AppendEntries");

        FalseSuccess other = new FalseSuccess(3, id -> 0);
        other.accept(new TraceEvent.Delivered(4_000, HEARTBEAT));
        other.accept(new TraceEvent.Sent(4_000, SUCCESS, Network.Outcome.DELIVER));
        assertNull(other.first(), "another follower's answer");
    }

    @Test
    void figure7FailuresSayWhichOfOurTermsPlaysEachOfThePapers() {
        assertEquals(4, Figure7.Terms.paperTerm("t4-i5"));
        assertEquals(12, Figure7.Terms.paperTerm("t12-i1"));
        Map<Integer, Long> ours = new TreeMap<>(Map.of(1, 1L, 4, 7L, 6, 9L));
        assertEquals("The terms: commands name Figure 7's entries by the paper's term and index (\"t4-i5\": term 4, index 5),"
                + " while the terms shown beside them are the servers' own, which run higher: paper's term 1 = our term 1,"
                + " paper's term 4 = our term 7, paper's term 6 = our term 9", Figure7.Terms.legend(ours));
        assertEquals("The terms: commands name Figure 7's entries by the paper's term and index (\"t4-i5\": term 4, index 5);"
                + " no entry had been proposed yet", Figure7.Terms.legend(Map.of()));
    }
}
