package harness.cluster;

import harness.api.ClientConfig;
import harness.api.ClientEnvironment;
import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Operation;
import harness.api.Outcome;
import harness.api.RaftClient;
import harness.api.RaftImplementation;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.StateMachine;
import harness.history.Call;
import harness.testing.Messages;
import harness.testing.Messages.Ping;
import harness.testing.Messages.Pong;
import harness.testing.Pinger;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clients as actors: on the network like servers, placed by partitions, their calls recorded by the harness. */
class ClientsTest {

    /**
     * Servers that answer every Ping with a Pong, and a client that pings server 1 and reports
     * the Pong as OK, or UNKNOWN when its timer runs out first.
     */
    private static final RaftImplementation PING_SERVICE = new RaftImplementation() {
        @Override
        public String name() {
            return "ping-service";
        }

        @Override
        public int milestone() {
            return 5;
        }

        @Override
        public Class<? extends RaftMessage> messageType() {
            return Messages.class;
        }

        @Override
        public RaftNode create(NodeConfig config, Environment environment) {
            return new Pinger(config, environment, new Pinger.Options());
        }

        @Override
        public StateMachine newStateMachine() {
            return command -> null;
        }

        @Override
        public RaftClient createClient(ClientConfig config, ClientEnvironment env) {
            return new RaftClient() {
                int seq;

                @Override
                public void submit(Operation operation) {
                    env.send(1, new Ping(0, ++seq));
                    env.startTimer("give-up", Duration.ofMillis(100), () -> env.complete(Outcome.unknown("no pong")));
                }

                @Override
                public void receive(int from, RaftMessage message) {
                    if (message instanceof Pong pong && pong.seq() == seq) {
                        env.cancelTimer("give-up");
                        env.complete(Outcome.ok("pong " + pong.seq(), from, 0));
                    }
                }
            };
        }
    };

    private static Cluster cluster(long seed) {
        return Cluster.builder().implementation(PING_SERVICE).nodes(3).clients(2).seed(seed).simulated();
    }

    @Test
    void aClientCallIsRecordedAtItsEdgeWithTheAnswerAndBothTimes() {
        Cluster c = cluster(1);
        c.runFor(Duration.ofMillis(5));
        Outcome outcome = c.perform(1, Operation.get("x"), Duration.ofSeconds(1));
        assertEquals(Outcome.ok("pong 1", 1, 0), outcome);
        Call call = c.history().calls().get(0);
        assertEquals(101, call.client());
        assertEquals(5_000, call.invoked());
        assertTrue(call.completed() >= call.invoked() + 2_000, "a round trip takes two network delays: " + call);
        assertTrue(c.trace().recentLines(50).contains("client1 → node1"), c.trace().recentLines(50));
    }

    @Test
    void aClientPlacedWithACutOffServerReachesNoOtherAndOneInNoGroupReachesAll() {
        Cluster c = cluster(2);
        c.partition(List.of(2, 3, c.clientId(1)), List.of(1));
        Outcome cut = c.perform(1, Operation.get("x"), Duration.ofSeconds(1));
        assertEquals(Outcome.Status.UNKNOWN, cut.status(), "client1 is on the side without node1: " + cut);
        Outcome free = c.perform(2, Operation.get("x"), Duration.ofSeconds(1));
        assertTrue(free.isOk(), "client2 is in no group, so it reaches every server: " + free);
        c.isolate(1);
        assertEquals(Outcome.Status.UNKNOWN, c.perform(2, Operation.get("x"), Duration.ofSeconds(1)).status(),
                "isolating a server cuts its clients' links too");
    }

    @Test
    void clientsRunOnRealThreadsToo() {
        try (Cluster c = Cluster.builder().implementation(PING_SERVICE).nodes(3).clients(1).seed(5).realTime()) {
            Outcome outcome = c.perform(1, Operation.get("x"), Duration.ofSeconds(5));
            assertEquals(Outcome.ok("pong 1", 1, 0), outcome);
            assertFalse(c.history().anyPending());
        }
    }

    @Test
    void aClientRunsOneOperationAtATime() {
        Cluster c = cluster(3);
        c.submit(1, Operation.get("x"));
        assertTrue(c.busy(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.submit(1, Operation.get("y")));
        assertTrue(e.getMessage().contains("client1 is still running call #1"), e.getMessage());
        assertFalse(c.busy(2));
        assertThrows(IllegalArgumentException.class, () -> c.submit(3, Operation.get("x")));
    }

    @Test
    void aWorkloadKeepsEveryClientBusyAndOneSeedFixesTheHistory() {
        List<String> first = closedLoop(4);
        assertTrue(first.size() > 20, "two clients in a closed loop for 200 ms: " + first.size() + " calls");
        assertEquals(first, closedLoop(4));
    }

    private static List<String> closedLoop(long seed) {
        Cluster c = cluster(seed);
        Workload workload = Workload.random(c, seed, List.of("x", "y")).start();
        c.runFor(Duration.ofMillis(200));
        workload.stop();
        c.runFor(Duration.ofMillis(200));
        assertTrue(c.history().calls().stream().noneMatch(Call::isPending));
        return c.history().calls().stream().map(Call::toString).toList();
    }

    @Test
    void theNetworkPlacesClientsOnlyWhereAGroupNamesThem() {
        Network net = new Network(List.of(1, 2, 3), List.of(101, 102), Conditions.reliable(), packet -> { });
        net.partition(List.of(1, 101), List.of(2, 3));
        assertTrue(net.connected(101, 1));
        assertFalse(net.connected(101, 2));
        assertFalse(net.connected(3, 101));
        assertTrue(net.connected(102, 1) && net.connected(102, 3) && net.connected(2, 102));
        net.ring(1);
        assertTrue(net.connected(101, 2), "a ring links servers; clients reach every one");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.packet(101, 102, "Ping", 0, "{}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("a client talks only to the servers"), e.getMessage());
    }
}
