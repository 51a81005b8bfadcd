package harness.observe;

import harness.cluster.Network;
import harness.cluster.Packet;
import harness.sim.SimulatedCluster;
import harness.cluster.Cluster;
import harness.testing.Pinger;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static harness.api.Role.CANDIDATE;
import static harness.api.Role.FOLLOWER;
import static harness.api.Role.LEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class TimelineTest {

    private static final Packet PING = new Packet(7, 1, 2, "Ping", 3, "{\"term\":3,\"seq\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void roleChangesAreToldInWords() {
        assertEquals("node2 times out and stands for election in term 3",
                Timeline.story(new TraceEvent.RoleChanged(0, 2, FOLLOWER, CANDIDATE, 3, Set.of())));
        assertEquals("node2 wins term 3 with votes from node1, node2, node5",
                Timeline.story(new TraceEvent.RoleChanged(0, 2, CANDIDATE, LEADER, 3, new java.util.TreeSet<>(Set.of(5, 1, 2)))));
        assertEquals("node2 steps down: it has seen term 4",
                Timeline.story(new TraceEvent.RoleChanged(0, 2, LEADER, FOLLOWER, 4, Set.of())));
        assertEquals("node2 gives up its election: term 3 has a leader or a newer candidate",
                Timeline.story(new TraceEvent.RoleChanged(0, 2, CANDIDATE, FOLLOWER, 3, Set.of())));
    }

    @Test
    void aCandidateStartingAnotherElectionIsPartOfTheStoryButOtherTermChangesAreNot() {
        assertEquals("node4 times out again and stands for election in term 6",
                Timeline.story(new TraceEvent.TermChanged(0, 4, CANDIDATE, 5, 6)));
        assertNull(Timeline.story(new TraceEvent.TermChanged(0, 4, FOLLOWER, 5, 6)));
        assertNull(Timeline.story(new TraceEvent.TermChanged(0, 4, LEADER, 5, 6)));
    }

    @Test
    void crashesRestartsNetworkChangesAndNotes() {
        assertEquals("✗ node1 crashes", Timeline.story(new TraceEvent.Crashed(0, 1)));
        assertEquals("↻ node1 restarts", Timeline.story(new TraceEvent.Restarted(0, 1)));
        assertEquals("network: {1} | {2,3}", Timeline.story(new TraceEvent.NetworkChanged(0, "{1} | {2,3}")));
        assertEquals("— the leader is isolated", Timeline.story(new TraceEvent.Note(0, 0, "the leader is isolated")));
        assertEquals("node3: my timer is 212 ms", Timeline.story(new TraceEvent.Note(0, 3, "my timer is 212 ms")));
    }

    @Test
    void clientsOperationsAskedAndAnswered() {
        harness.api.Operation put = harness.api.Operation.put("x", "1");
        assertEquals("client1 invokes #1 put x 1", Timeline.story(new TraceEvent.Invoked(0, 101, 1, put)));
        assertEquals("client1 completes #1 put x 1 → ok (node2, index 2)",
                Timeline.story(new TraceEvent.Completed(0, 101, 1, put, harness.api.Outcome.ok(null, 2, 2))));
    }

    @Test
    void messagesTimersAndVotesAreNotPartOfTheStory() {
        assertNull(Timeline.story(new TraceEvent.Sent(0, PING, Network.Outcome.DELIVER)));
        assertNull(Timeline.story(new TraceEvent.Delivered(0, PING)));
        assertNull(Timeline.story(new TraceEvent.Lost(0, PING, "the link was cut")));
        assertNull(Timeline.story(new TraceEvent.TimerFired(0, 1, "election")));
        assertNull(Timeline.story(new TraceEvent.Voted(0, 1, 3, 2)));
    }

    @Test
    void eventDescriptions() {
        assertEquals("node1 → node2  Ping {\"term\":3,\"seq\":1}   (held back)",
                new TraceEvent.Sent(0, PING, Network.Outcome.HELD).describe());
        assertEquals("node1 → node2  Ping {\"term\":3,\"seq\":1}   (lost: no link)",
                new TraceEvent.Sent(0, PING, Network.Outcome.LOST_TO_PARTITION).describe());
        assertEquals("node2 ← node1  Ping #7", new TraceEvent.Delivered(0, PING).describe());
        assertEquals("node2 ✗ node1  Ping #7 lost: node2 crashed", new TraceEvent.Lost(0, PING, "node2 crashed").describe());
        assertEquals("node1 votes for node2 in term 3", new TraceEvent.Voted(0, 1, 3, 2).describe());
        assertEquals(1, new TraceEvent.Sent(0, PING, Network.Outcome.DELIVER).node());
        assertEquals(2, new TraceEvent.Delivered(0, PING).node());
        assertEquals(0, new TraceEvent.NetworkChanged(0, "x").node());
        assertEquals(col("1234.5 ms") + "  node1 crashes", new TraceEvent.Crashed(1_234_500, 1).line());
    }

    /** A time right-aligned in 12 characters, as trace listings print it. */
    private static String col(String time) {
        return " ".repeat(12 - time.length()) + time;
    }

    private static String print(boolean everyEvent, List<TraceEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Timeline timeline = new Timeline(out, everyEvent);
        events.forEach(timeline);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aTimelinePrintsTheStoryWithTimesAndEverythingElseOnlyIfAsked() {
        List<TraceEvent> events = List.of(
                new TraceEvent.TimerFired(150_000, 1, "election"),
                new TraceEvent.RoleChanged(150_000, 1, FOLLOWER, CANDIDATE, 1, Set.of()),
                new TraceEvent.Sent(150_000, PING, Network.Outcome.DELIVER),
                new TraceEvent.Crashed(2_000_000, 2));
        String n = System.lineSeparator();
        assertEquals(col("150.0 ms") + "  node1 times out and stands for election in term 1" + n
                + col("2000.0 ms") + "  ✗ node2 crashes" + n, print(false, events));
        assertEquals(col("150.0 ms") + "      node1 timer election" + n
                + col("150.0 ms") + "  node1 times out and stands for election in term 1" + n
                + col("150.0 ms") + "      node1 → node2  Ping {\"term\":3,\"seq\":1}" + n
                + col("2000.0 ms") + "  ✗ node2 crashes" + n, print(true, events));
    }

    @Test
    void aTimelineOfARunLeavesMessagesOut() {
        SimulatedCluster c = Cluster.builder().nodes(3).seed(2).implementation(Pinger.implementation()).simulated();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        c.trace().subscribe(new Timeline(new PrintStream(bytes, true, StandardCharsets.UTF_8), false));
        c.runFor(Duration.ofMillis(100));
        c.crash(3);
        c.note("node3 is down");
        c.runFor(Duration.ofMillis(100));
        c.restart(3);
        String story = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(List.of(col("100.0 ms") + "  ✗ node3 crashes", col("100.0 ms") + "  — node3 is down",
                        col("200.0 ms") + "  ↻ node3 restarts"),
                story.lines().toList());
        assertFalse(story.contains("Ping"));
    }

    // ---- Trace and Time ---------------------------------------------------------------------------

    @Test
    void theTraceKeepsTheLastEventsAndAFingerprintOfAll() {
        Trace a = new Trace();
        Trace b = new Trace();
        assertEquals(a.fingerprint(), b.fingerprint());
        assertEquals(16, a.fingerprint().length());
        for (int i = 0; i < 500; i++) {
            a.record(new TraceEvent.TimerFired(i, 1, "t"));
            b.record(new TraceEvent.TimerFired(i, 1, "t"));
        }
        assertEquals(a.fingerprint(), b.fingerprint());
        assertEquals(500, a.size());
        assertEquals(400, a.recent(1_000).size(), "at most 400 kept");
        assertEquals(new TraceEvent.TimerFired(499, 1, "t"), a.recent(1).get(0));
        assertEquals(new TraceEvent.TimerFired(100, 1, "t"), a.recent(1_000).get(0));
        assertEquals(List.of(new TraceEvent.TimerFired(498, 1, "t").line(), new TraceEvent.TimerFired(499, 1, "t").line()),
                a.recentLines(2).lines().toList());

        b.record(new TraceEvent.TimerFired(500, 2, "t"));
        a.record(new TraceEvent.TimerFired(500, 1, "t"));
        assertFalse(a.fingerprint().equals(b.fingerprint()), "one different event changes the fingerprint");
        Trace c = new Trace();
        c.record(new TraceEvent.TimerFired(1, 1, "t"));
        Trace d = new Trace();
        d.record(new TraceEvent.TimerFired(2, 1, "t"));
        assertFalse(c.fingerprint().equals(d.fingerprint()), "the time is part of the fingerprint");
    }

    @Test
    void subscribersSeeEventsUntilTheyUnsubscribe() {
        Trace t = new Trace();
        List<TraceEvent> seen = new java.util.ArrayList<>();
        java.util.function.Consumer<TraceEvent> s = seen::add;
        t.subscribe(s);
        t.record(new TraceEvent.Crashed(1, 1));
        t.unsubscribe(s);
        t.record(new TraceEvent.Crashed(2, 1));
        assertEquals(List.of(new TraceEvent.Crashed(1, 1)), seen);
    }

    @Test
    void timesAreWrittenInMilliseconds() {
        assertEquals("0.0 ms", Time.format(0));
        assertEquals("1234.6 ms", Time.format(1_234_560));
        assertEquals("0.1 ms", Time.format(50));
        assertEquals("      0.0 ms", Time.column(0));
        assertEquals(" 123456.7 ms", Time.column(123_456_700));
        assertEquals(12, Time.column(123_456_700).length());
        assertEquals("12345678.9 ms", Time.column(12_345_678_900L), "wider times are not cut");
        assertEquals("1.5 s", Time.format(Duration.ofMillis(1500)));
        assertEquals("2 s", Time.format(Duration.ofSeconds(2)));
        assertEquals("250 ms", Time.format(Duration.ofMillis(250)));
        assertEquals("1250 ms", Time.format(Duration.ofMillis(1250)));
    }
}
