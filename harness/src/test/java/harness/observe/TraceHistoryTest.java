package harness.observe;

import harness.cluster.Cluster;
import harness.cluster.Network;
import harness.cluster.Packet;
import harness.sim.SimulatedCluster;
import harness.testing.Pinger;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static harness.api.Role.CANDIDATE;
import static harness.api.Role.FOLLOWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trace's history: every event of the run but messages and timers, for pictures of the whole run. */
class TraceHistoryTest {

    private static final Packet PING = new Packet(7, 1, 2, "Ping", 3, "{\"term\":3,\"seq\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void theHistoryKeepsStateEventsInOrderAndLeavesOutMessagesAndTimers() {
        List<TraceEvent> state = List.of(
                new TraceEvent.RoleChanged(2, 1, FOLLOWER, CANDIDATE, 1, Set.of()),
                new TraceEvent.TermChanged(3, 2, FOLLOWER, 0, 1),
                new TraceEvent.Voted(3, 2, 1, 1),
                new TraceEvent.Crashed(5, 3),
                new TraceEvent.Restarted(6, 3),
                new TraceEvent.NetworkChanged(7, "{1} | {2,3}"),
                new TraceEvent.Note(8, 0, "a step"),
                new TraceEvent.Note(9, 2, "a server's log line"));
        Trace t = new Trace();
        t.record(new TraceEvent.TimerFired(1, 1, "election"));
        t.record(state.get(0));
        t.record(new TraceEvent.Sent(2, PING, Network.Outcome.DELIVER));
        t.record(state.get(1));
        t.record(state.get(2));
        t.record(new TraceEvent.Delivered(4, PING));
        t.record(new TraceEvent.Lost(4, PING, "the link was cut"));
        state.subList(3, state.size()).forEach(t::record);

        assertEquals(state, t.history());
        assertEquals(12, t.size());
        assertEquals(12, t.recent(100).size(), "the recent events still include messages and timers");
    }

    @Test
    void theHistoryOutlivesTheRecentEventsButIsBoundedAt100000() {
        Trace t = new Trace();
        for (int i = 0; i < 100_005; i++) {
            t.record(new TraceEvent.Crashed(i, 1));
        }
        List<TraceEvent> history = t.history();
        assertEquals(100_000, history.size());
        assertEquals(new TraceEvent.Crashed(5, 1), history.get(0), "the oldest are dropped");
        assertEquals(new TraceEvent.Crashed(100_004, 1), history.get(history.size() - 1));
        assertEquals(400, t.recent(1_000).size());
    }

    @Test
    void theHistoryIsACopy() {
        Trace t = new Trace();
        t.record(new TraceEvent.Crashed(1, 1));
        List<TraceEvent> before = t.history();
        t.record(new TraceEvent.Restarted(2, 1));
        assertEquals(List.of(new TraceEvent.Crashed(1, 1)), before);
        assertEquals(2, t.history().size());
    }

    @Test
    void theHistoryOfABusyRunHasItsCrashesRestartsAndNotesButNoMessages() {
        SimulatedCluster c = Cluster.builder().nodes(3).seed(2).implementation(Pinger.implementation()).simulated();
        c.runFor(Duration.ofMillis(1000));
        c.crash(3);
        c.note("node3 is down");
        c.runFor(Duration.ofMillis(100));
        c.restart(3);
        List<TraceEvent> history = c.trace().history();
        assertTrue(c.trace().size() > 400, "more events than the recent buffer holds: " + c.trace().size());
        assertTrue(history.stream().noneMatch(e -> e instanceof TraceEvent.Sent || e instanceof TraceEvent.Delivered
                || e instanceof TraceEvent.Lost || e instanceof TraceEvent.TimerFired));
        List<TraceEvent> story = history.stream()
                .filter(e -> e instanceof TraceEvent.Crashed || e instanceof TraceEvent.Note || e instanceof TraceEvent.Restarted)
                .toList();
        assertEquals(List.of(new TraceEvent.Crashed(1_000_000, 3), new TraceEvent.Note(1_000_000, 0, "node3 is down"),
                new TraceEvent.Restarted(1_100_000, 3)), story);
        assertTrue(history.get(0).timeMicros() < 50_000, "the history starts at the start of the run");
    }
}
