package harness.realtime;

import harness.api.Rule;
import harness.check.SafetyViolation;
import harness.cluster.Cluster;
import harness.cluster.Network;
import harness.cluster.NodeFailure;
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
import java.util.Set;
import java.util.stream.Collectors;

import static harness.api.Role.LEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real-time runtime: threads and the wall clock. Runs are not reproducible, so these tests
 * assert only on eventual outcomes, with deadlines far longer than the runs need.
 */
class RealTimeClusterTest {

    /** Far longer than any of these runs needs; a test that reaches it has failed. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static RealTimeCluster pingers(Pinger.Options options) {
        return Cluster.builder().nodes(3).seed(1).implementation(Pinger.implementation(options)).realTime();
    }

    @Test
    void messagesFlowAndRunUntilSeesProgress() {
        try (RealTimeCluster c = pingers(new Pinger.Options())) {
            assertTrue(c.runUntil(k -> k.views().stream().allMatch(v -> v.up() && v.term() >= 3), PATIENCE),
                    "every pinger hears at least three messages");
            assertTrue(c.stats().get("Ping").delivered() >= 1);
            assertTrue(c.stats().get("Pong").delivered() >= 1);
            assertTrue(c.stats().get("Ping").sent() >= c.stats().get("Ping").delivered());
            assertTrue(c.now().compareTo(Duration.ZERO) > 0);
            assertTrue(c.trace().size() > 0);
        }
    }

    @Test
    void eachServerRunsOnItsOwnThreadAndCloseStopsThem() throws InterruptedException {
        Pinger.Options options = new Pinger.Options();
        RealTimeCluster c = pingers(options);
        try {
            assertTrue(c.runUntil(k -> options.threads.size() >= 3 && k.view(1).term() > 0, PATIENCE));
        } finally {
            c.close();
        }
        Set<String> names = options.threads.stream().map(Thread::getName).collect(Collectors.toSet());
        assertEquals(Set.of("node1", "node2", "node3"), names, "one thread per server, named after it");
        for (Thread t : options.threads) {
            t.join(PATIENCE.toMillis());
            assertFalse(t.isAlive(), t.getName() + " still runs after close()");
        }
    }

    @Test
    void aServerThatThrowsMakesRunUntilRethrowTheNodeFailure() {
        try (RealTimeCluster c = pingers(new Pinger.Options().failOn(2, "Ping"))) {
            NodeFailure f = assertThrows(NodeFailure.class, () -> c.runUntil(k -> false, PATIENCE));
            assertTrue(f.getMessage().startsWith("node2 threw java.lang.IllegalStateException: boom in Ping while handling Ping from node"),
                    f.getMessage());
            assertInstanceOf(IllegalStateException.class, f.getCause());
            NodeFailure again = assertThrows(NodeFailure.class, () -> c.runFor(Duration.ofMillis(1)));
            assertSame(f, again, "the run stays failed");
        }
    }

    @Test
    void aServerThatThrowsMakesRunForRethrowTheNodeFailure() {
        try (RealTimeCluster c = pingers(new Pinger.Options().failOn(3, "ping"))) {
            NodeFailure f = assertThrows(NodeFailure.class, () -> c.runFor(PATIENCE));
            assertTrue(f.getMessage().contains("node3 threw") && f.getMessage().contains("while running its ping timer"), f.getMessage());
        }
    }

    @Test
    void aSafetyViolationOnAServerThreadIsRethrown() {
        // node1 claims to lead term 1 although nobody, not even itself, voted for it: no ordering between threads matters
        TestImplementation impl = Scripted.implementation(Map.of(1, List.of(Step.at(10, LEADER, 1, null))));
        try (RealTimeCluster c = Cluster.builder().nodes(3).seed(1).implementation(impl).realTime()) {
            SafetyViolation v = assertThrows(SafetyViolation.class, () -> c.runUntil(k -> false, PATIENCE));
            assertEquals(Rule.MAJORITY_TO_WIN, v.rule());
            assertTrue(v.getMessage().contains("node1 became leader of term 1"), v.getMessage());
        }
    }

    @Test
    void crashAndRestartWork() {
        try (RealTimeCluster c = pingers(new Pinger.Options())) {
            assertTrue(c.runUntil(k -> k.view(3).term() > 0, PATIENCE));
            Recorder r = Recorder.on(c);
            c.crash(3);
            assertFalse(c.isUp(3));
            assertThrows(IllegalStateException.class, () -> c.restart(1));
            c.restart(3);
            assertTrue(c.isUp(3));
            assertTrue(r.events().stream().anyMatch(e -> e instanceof TraceEvent.Crashed x && x.node() == 3));
            assertTrue(r.events().stream().anyMatch(e -> e instanceof TraceEvent.Restarted x && x.node() == 3));
            assertTrue(c.runUntil(k -> k.view(3).term() > 0, PATIENCE), "the restarted server hears pings again");
        }
    }

    @Test
    void heldMessagesArriveAfterRelease() {
        try (RealTimeCluster c = pingers(new Pinger.Options())) {
            Network.Held held = c.network().holdWhere(p -> p.is("Ping") && p.to() == 1);
            Recorder r = Recorder.on(c);
            assertTrue(c.runUntil(k -> heldPings(r).size() >= 3, PATIENCE));
            held.release();
            Set<Long> heldIds = heldPings(r); // all traced as held so far, so all held before the release
            assertTrue(c.runUntil(k -> r.of(TraceEvent.Delivered.class).stream().map(d -> d.packet().id())
                    .collect(Collectors.toSet()).containsAll(heldIds), PATIENCE), "every held ping arrives");
        }
    }

    private static Set<Long> heldPings(Recorder r) {
        return r.of(TraceEvent.Sent.class).stream()
                .filter(s -> s.outcome() == Network.Outcome.HELD).map(s -> s.packet().id()).collect(Collectors.toSet());
    }
}
