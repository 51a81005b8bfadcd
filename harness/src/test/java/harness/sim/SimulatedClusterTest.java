package harness.sim;

import harness.api.RaftNode;
import harness.api.Role;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.cluster.NodeFailure;
import harness.observe.NodeView;
import harness.observe.Time;
import harness.observe.TraceEvent;
import harness.testing.Pinger;
import harness.testing.Recorder;
import harness.testing.Scripted;
import harness.testing.Scripted.Step;
import harness.testing.TestImplementation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static harness.api.Role.CANDIDATE;
import static harness.api.Role.FOLLOWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A simulated cluster running the test implementations: determinism, crashes, restarts, failures, tracing. */
class SimulatedClusterTest {

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    private static SimulatedCluster pingers(int n, long seed) {
        return Cluster.builder().nodes(n).seed(seed).implementation(Pinger.implementation()).simulated();
    }

    private static long micros(Cluster c) {
        return c.now().toNanos() / 1000;
    }

    // ---- Determinism ---------------------------------------------------------------------------

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnotherRun() {
        String[] fingerprints = new String[3];
        long[] sizes = new long[3];
        long[] seeds = {7, 7, 8};
        for (int i = 0; i < 3; i++) {
            SimulatedCluster c = Cluster.builder().nodes(4).seed(seeds[i]).implementation(Pinger.implementation())
                    .network(Conditions.unreliable()).simulated();
            c.runFor(Duration.ofSeconds(1));
            fingerprints[i] = c.trace().fingerprint();
            sizes[i] = c.trace().size();
            assertTrue(sizes[i] > 500, "a busy run: " + sizes[i] + " events");
        }
        assertEquals(fingerprints[0], fingerprints[1]);
        assertEquals(sizes[0], sizes[1]);
        assertNotEquals(fingerprints[0], fingerprints[2]);
    }

    @Test
    void theClockIsVirtualAndRunUntilStopsWhenTheConditionHolds() {
        SimulatedCluster c = pingers(3, 1);
        assertEquals(Duration.ZERO, c.now());
        c.runFor(ms(250));
        assertEquals(ms(250), c.now());
        assertTrue(c.simulation().executed() > 0);

        long target = c.view(1).term() + 5;
        assertTrue(c.runUntil(k -> k.view(1).term() >= target, Duration.ofSeconds(10)));
        assertEquals(target, c.view(1).term(), "stopped right after the event that made it true");
        assertTrue(c.now().compareTo(Duration.ofSeconds(1)) < 0, "long before the deadline: " + c.now());

        Duration before = c.now();
        assertTrue(c.runUntil(k -> true, Duration.ofSeconds(10)), "already true");
        assertEquals(before, c.now(), "no time passes for a condition that already holds");

        assertFalse(c.runUntil(k -> false, ms(100)));
        assertEquals(before.plus(ms(100)), c.now());
    }

    @Test
    void builderRejectsImpossibleSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cluster.builder().nodes(0));
        assertEquals("a cluster has 1 to 99 servers, not 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cluster.builder().nodes(100));
    }

    @Test
    void aClusterKnowsItsServers() {
        SimulatedCluster c = Cluster.builder().nodes(4).seed(99).implementation(Pinger.implementation()).simulated();
        assertEquals(List.of(1, 2, 3, 4), c.ids());
        assertEquals(4, c.size());
        assertEquals(List.of(1, 2, 4), c.others(3));
        assertEquals(99, c.seed());
        assertEquals("pinger", c.subject().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.view(5));
        assertEquals("there is no node5 in this cluster; the nodes are [1, 2, 3, 4]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.crash(0));
    }

    // ---- Crashes and restarts -----------------------------------------------------------------

    @Test
    void aCrashedServerGetsNoTimersAndNoMessages() {
        SimulatedCluster c = pingers(3, 3);
        c.runFor(ms(200));
        long termAtCrash = c.view(3).term();
        assertTrue(termAtCrash > 0);
        long crashAt = micros(c);
        Recorder r = Recorder.on(c);

        c.crash(3);
        c.crash(3); // crashing a crashed server changes nothing
        c.runFor(ms(300));

        List<TraceEvent> events = r.events();
        assertEquals(new TraceEvent.Crashed(crashAt, 3), events.get(0));
        assertEquals(1, r.of(TraceEvent.Crashed.class).size());
        assertTrue(r.of(TraceEvent.TimerFired.class).stream().noneMatch(e -> e.node() == 3), "a crashed server's timer fired");
        assertTrue(r.of(TraceEvent.Sent.class).stream().noneMatch(e -> e.node() == 3), "a crashed server sent");
        assertTrue(r.of(TraceEvent.Delivered.class).stream().noneMatch(e -> e.packet().to() == 3), "a crashed server received");

        List<TraceEvent.Lost> lost = r.of(TraceEvent.Lost.class);
        assertTrue(lost.size() >= 10, "the others keep pinging node3: " + lost.size());
        assertTrue(lost.stream().allMatch(l -> l.packet().to() == 3 && l.reason().equals("node3 crashed")), lost.toString());
        long dropped = c.stats().get("Ping").dropped() + c.stats().get("Pong").dropped();
        assertEquals(lost.size(), dropped, "every message lost to the crash is counted, and nothing else was lost");

        NodeView v = c.view(3);
        assertFalse(v.up());
        assertFalse(c.isUp(3));
        assertEquals(termAtCrash, v.term(), "a crashed server shows its last state");
        assertTrue(c.isUp(1));
    }

    @Test
    void restartCreatesAFreshServerAndIsTraced() {
        TestImplementation impl = Pinger.implementation();
        SimulatedCluster c = Cluster.builder().nodes(3).seed(5).implementation(impl).simulated();
        c.runFor(ms(200));
        RaftNode first = impl.created(2).get(0);
        assertEquals(1, impl.created(2).size());
        assertTrue(c.view(2).term() > 0);

        c.crash(2);
        c.runFor(ms(100));
        Recorder r = Recorder.on(c);
        c.restart(2);

        assertEquals(new TraceEvent.Restarted(micros(c), 2), r.events().get(0));
        List<RaftNode> created = impl.created(2);
        assertEquals(2, created.size());
        assertNotSame(first, created.get(1));
        NodeView fresh = c.view(2);
        assertTrue(fresh.up());
        assertEquals(0, fresh.term(), "the new server starts from nothing (no durable state yet)");

        c.runFor(ms(200));
        assertTrue(c.view(2).term() > 0, "the restarted server takes part again");
        assertTrue(r.of(TraceEvent.TimerFired.class).stream().anyMatch(e -> e.node() == 2));
    }

    @Test
    void messagesInFlightToAnEarlierIncarnationAreLost() {
        // latency 10 ms: node1's pings are on their way when node2 crashes and restarts at once
        TestImplementation impl = Scripted.implementation(Map.of(1, List.of(Step.at(1, FOLLOWER, 0, null).sending(0))));
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(impl)
                .network(Conditions.reliable().withLatency(ms(10), ms(10))).simulated();
        c.runFor(ms(5));
        c.crash(2);
        c.restart(2);
        Recorder r = Recorder.on(c);
        c.runFor(ms(20));
        List<TraceEvent.Lost> lost = r.of(TraceEvent.Lost.class);
        assertEquals(1, lost.size(), lost.toString());
        assertEquals(2, lost.get(0).packet().to());
        assertEquals("node2 crashed", lost.get(0).reason());
        assertEquals(1, r.of(TraceEvent.Delivered.class).size(), "node3 still gets its ping");
    }

    @Test
    void restartingARunningServerIsAnError() {
        SimulatedCluster c = pingers(3, 1);
        c.runFor(ms(10));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.restart(1));
        assertEquals("node1 is running; crash it before restarting it", e.getMessage());
    }

    // ---- A server that throws -------------------------------------------------------------------

    @Test
    void aServerThatThrowsWhileHandlingAMessageStopsTheRunWithANodeFailure() {
        Pinger.Options options = new Pinger.Options().failOn(2, "Pong");
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(Pinger.implementation(options)).simulated();
        NodeFailure f = assertThrows(NodeFailure.class, () -> c.runFor(Duration.ofSeconds(1)));
        assertTrue(f.getMessage().startsWith("node2 threw java.lang.IllegalStateException: boom in Pong while handling Pong from node"),
                f.getMessage());
        assertTrue(f.getMessage().contains(" at " + Time.format(micros(c)) + ": this is a bug in the server's code"), f.getMessage());
        assertTrue(f.getMessage().contains("thrown here:\n    at harness.testing.Pinger.maybeFail(Pinger.java:")
                && f.getMessage().contains("\n    at harness.testing.Pinger.receive(Pinger.java:"), "the server's own frames: " + f.getMessage());
        assertFalse(f.getMessage().contains("harness.cluster.") || f.getMessage().contains("org.junit"),
                "without the harness's and JUnit's frames: " + f.getMessage());
        assertTrue(f.getMessage().matches("(?s).*\\(\\d+ frames of the JDK, the harness or the test runner left out\\)"), f.getMessage());
        assertInstanceOf(IllegalStateException.class, f.getCause());
        assertTrue(c.now().compareTo(Duration.ofSeconds(1)) < 0, "the run stopped at the failure");
    }

    @Test
    void aNodeFailureNamesTimersAndStart() {
        SimulatedCluster timer = Cluster.builder().nodes(3).seed(1)
                .implementation(Pinger.implementation(new Pinger.Options().failOn(3, "ping"))).simulated();
        NodeFailure f = assertThrows(NodeFailure.class, () -> timer.runFor(Duration.ofSeconds(1)));
        assertTrue(f.getMessage().startsWith("node3 threw java.lang.IllegalStateException: boom in ping while running its ping timer at "),
                f.getMessage());

        // Servers start as the cluster is built, so a failing start fails the build of the cluster.
        NodeFailure s = assertThrows(NodeFailure.class, () -> Cluster.builder().nodes(3).seed(1)
                .implementation(Pinger.implementation(new Pinger.Options().failOn(1, "start"))).simulated());
        assertTrue(s.getMessage().startsWith("node1 threw java.lang.IllegalStateException: boom in start while starting at 0.0 ms"),
                s.getMessage());
    }

    @Test
    void sendingToAServerThatDoesNotExistIsAClearError() {
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1)
                .implementation(Pinger.implementation(new Pinger.Options().alsoSendTo(9))).simulated();
        NodeFailure f = assertThrows(NodeFailure.class, () -> c.runFor(Duration.ofSeconds(1)));
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, f.getCause());
        assertTrue(cause.getMessage().matches("node[123] sent a Ping to node9, which is not in the cluster \\[1, 2, 3]; "
                + "send only to the ids in NodeConfig.peers\\(\\), or back to a client that sent a request"), cause.getMessage());
        assertTrue(f.getMessage().contains("while running its ping timer"), f.getMessage());
    }

    // ---- The trace ------------------------------------------------------------------------------

    @Test
    void messagesSentDuringAnInputAreTracedAfterTheStateChangeOfThatInput() {
        // the scripted server sends first and changes its state afterwards, in one timer input
        TestImplementation impl = Scripted.implementation(Map.of(1, List.of(Step.at(5, CANDIDATE, 1, 1).sending(0))));
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(impl).simulated();
        Recorder r = Recorder.on(c);
        c.runFor(ms(20));

        List<TraceEvent> at5 = r.events().stream().filter(e -> e.timeMicros() == 5_000).toList();
        assertEquals(5, at5.size(), at5.toString());
        assertEquals(new TraceEvent.TimerFired(5_000, 1, "step1"), at5.get(0));
        TraceEvent.RoleChanged role = assertInstanceOf(TraceEvent.RoleChanged.class, at5.get(1));
        assertEquals(Role.FOLLOWER, role.from());
        assertEquals(Role.CANDIDATE, role.to());
        assertEquals(1, role.term());
        assertEquals(new TraceEvent.Voted(5_000, 1, 1, 1), at5.get(2));
        for (TraceEvent e : at5.subList(3, 5)) {
            TraceEvent.Sent sent = assertInstanceOf(TraceEvent.Sent.class, e);
            assertEquals(1, sent.packet().from());
            assertEquals("{\"term\":0,\"seq\":0}", sent.packet().json());
        }
        assertEquals("node1 → node2  Ping {\"term\":0,\"seq\":0}", at5.get(3).describe());
    }

    @Test
    void termChangesAreTraced() {
        SimulatedCluster c = pingers(2, 1);
        Recorder r = Recorder.on(c);
        c.runFor(ms(200));
        List<TraceEvent.TermChanged> changes = r.of(TraceEvent.TermChanged.class);
        assertFalse(changes.isEmpty());
        for (TraceEvent.TermChanged t : changes) {
            assertEquals(t.from() + 1, t.to(), "a pinger counts one message at a time");
        }
        assertEquals(c.view(1).term(), changes.stream().filter(t -> t.node() == 1).mapToLong(TraceEvent.TermChanged::to).max().orElse(0));
    }

    @Test
    void notesAndNetworkChangesAreTraced() {
        SimulatedCluster c = pingers(5, 1);
        c.runFor(ms(10));
        Recorder r = Recorder.on(c);
        c.note("step one");
        c.partition(List.of(1, 2), List.of(3, 4, 5));
        c.heal();
        assertEquals(List.of(new TraceEvent.Note(10_000, 0, "step one"),
                        new TraceEvent.NetworkChanged(10_000, "{1,2} | {3,4,5}"),
                        new TraceEvent.NetworkChanged(10_000, "fully connected")),
                r.events());
        assertTrue(c.report().contains("network: fully connected; latency 1–5 ms"), c.report());
        assertTrue(c.report().startsWith("Cluster of 5 running pinger, seed 1, at 10.0 ms\n"), c.report());
    }
}
