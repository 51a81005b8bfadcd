package harness;

import harness.api.RaftMessage;
import harness.check.SafetyChecker;
import harness.check.SafetyViolation;
import harness.cluster.Cluster;
import harness.cluster.Network;
import harness.cluster.NodeFailure;
import harness.grade.Seeds;
import harness.observe.NodeView;
import harness.observe.TraceEvent;
import harness.sim.SimulatedCluster;
import harness.testing.Messages;
import harness.testing.Pinger;
import harness.testing.Recorder;
import harness.testing.TestImplementation;
import harness.wire.MessageCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bugs found in the harness, each pinned by the test that first showed it. */
class RegressionTest {

    @Test
    void topologyOfLinksThatAreNotTransitiveIsCustomNotOverlappingGroups() {
        Network net = new Network(List.of(1, 2, 3, 4), p -> { });
        net.ring(1);      // links 1-2, 2-3, 3-4, 4-1
        net.isolate(2);   // left: 1-4 and 4-3; 1 and 3 cannot talk
        assertTrue(net.topology().startsWith("custom: "), net.topology());
    }

    @Test
    void isolatingTwoThenReconnectingOneDescribesTheLinksLeft() {
        Network net = new Network(List.of(1, 2, 3, 4, 5), p -> { });
        net.isolate(3);
        net.isolate(5);
        net.reconnect(5); // restores every link of 5, including 5-3, while 3 stays cut from 1, 2, 4
        assertTrue(net.topology().startsWith("custom: "), net.topology());
    }

    @Test
    void crashBeforeTheFirstRunTakesEffect() {
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(Pinger.implementation()).simulated();
        c.crash(1);
        c.runFor(Duration.ofMillis(100));
        assertFalse(c.isUp(1));
    }

    @Test
    void restartOfARunningServerBeforeTheFirstRunIsRefused() {
        TestImplementation impl = Pinger.implementation();
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(impl).simulated();
        Recorder r = Recorder.on(c);
        assertThrows(IllegalStateException.class, () -> c.restart(1));
        c.runFor(Duration.ofMillis(100));
        assertEquals(1, impl.created(1).size());
        assertEquals(List.of(), r.of(TraceEvent.Restarted.class));
    }

    sealed interface Beats extends RaftMessage permits Beat {
    }

    record Beat(long term, int leaderId) implements Beats {
        public boolean isHeartbeat() {
            return true;
        }

        public int getDoubled() {
            return 2 * leaderId;
        }
    }

    @Test
    void onlyRecordComponentsAreWireFields() {
        MessageCodec codec = new MessageCodec(Beats.class);
        assertEquals("{\"term\":1,\"leader_id\":2}", new String(codec.encode(new Beat(1, 2)), StandardCharsets.UTF_8));
        assertEquals(new Beat(1, 2), codec.decode("Beat", codec.encode(new Beat(1, 2))));
    }

    @Test
    void aServerWhoseConstructorThrowsIsANodeFailureAndStaysDown() {
        TestImplementation impl = new TestImplementation("ctor", Messages.class,
                (config, env) -> {
                    throw new IllegalStateException("ctor boom");
                });
        NodeFailure failure = assertThrows(NodeFailure.class,
                () -> Cluster.builder().nodes(2).seed(1).implementation(impl).simulated());
        assertTrue(failure.getMessage().contains("node1"), failure.getMessage());
        assertTrue(failure.getMessage().contains("created"), failure.getMessage());
    }

    @Test
    void aZeroDefaultSeedCountDoesNotBlameThePropertyNobodySet() {
        String one = System.clearProperty(Seeds.ONE);
        String many = System.clearProperty(Seeds.MANY);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seeds.forScenario(0));
            assertFalse(e.getMessage().startsWith("raft.seeds"), e.getMessage());
        } finally {
            if (one != null) System.setProperty(Seeds.ONE, one);
            if (many != null) System.setProperty(Seeds.MANY, many);
        }
    }

    @Test
    void aServerMayNotSendToItself() {
        Network net = new Network(List.of(1, 2, 3), p -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.packet(2, 2, "Ping", 1, new byte[0]));
        assertTrue(e.getMessage().contains("itself"), e.getMessage());
    }

    @Test
    void aLeaderNobodyVotedForIsDescribedPlainly() {
        SafetyChecker checker = new SafetyChecker(3);
        checker.onChange(0, null, new NodeView(1, true, harness.api.Role.FOLLOWER, 1, null));
        SafetyViolation v = assertThrows(SafetyViolation.class,
                () -> checker.onChange(10, new NodeView(1, true, harness.api.Role.FOLLOWER, 1, null),
                        new NodeView(1, true, harness.api.Role.LEADER, 1, null)));
        assertFalse(v.getMessage().contains("only no server"), v.getMessage());
    }

    @Test
    void aClosedRealTimeClusterSaysItIsClosed() {
        Cluster c = Cluster.builder().nodes(2).seed(1).implementation(Pinger.implementation()).realTime();
        c.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.view(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> c.runFor(Duration.ofMillis(10)));
        assertDoesNotThrow(c::close);
    }

    @Test
    void everyNetworkChangeIsTracedOnceWhoeverMakesIt() {
        SimulatedCluster c = Cluster.builder().nodes(5).seed(1).implementation(Pinger.implementation()).simulated();
        Recorder r = Recorder.on(c);
        c.network().isolate(2);                                   // straight on the network, not through Cluster
        c.bridge(3, List.of(1, 2), List.of(4, 5));
        c.network().setConditions(harness.cluster.Conditions.unreliable());
        assertEquals(List.of(
                        new TraceEvent.NetworkChanged(0, "{1,3,4,5} | {2}"),
                        new TraceEvent.NetworkChanged(0, "{1,2} ⟷ node3 ⟷ {4,5}"),
                        new TraceEvent.NetworkChanged(0, harness.cluster.Conditions.unreliable().toString())),
                r.of(TraceEvent.NetworkChanged.class));
    }
}
