package harness.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network on its own: connectivity, topology descriptions, routing, fault rules and counters. */
class NetworkTest {

    private final List<Packet> released = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(7);

    private Network network(int n) {
        List<Integer> ids = new ArrayList<>();
        for (int i = n; i >= 1; i--) ids.add(i); // any order: the network sorts them
        return new Network(ids, released::add);
    }

    private static Packet ping(Network net, int from, int to) {
        return net.packet(from, to, "Ping", 1, "{\"term\":1,\"seq\":7}".getBytes(StandardCharsets.UTF_8));
    }

    private static void assertLinks(Network net, int n, boolean[][] expected) {
        for (int a = 1; a <= n; a++) {
            for (int b = 1; b <= n; b++) {
                assertEquals(expected[a][b], net.connected(a, b), "link " + a + "→" + b);
            }
        }
    }

    // ---- Connectivity and topology -------------------------------------------------------------

    @Test
    void aNewNetworkIsFullyConnected() {
        Network net = network(3);
        assertEquals("fully connected", net.topology());
        for (int a = 1; a <= 3; a++) for (int b = 1; b <= 3; b++) assertTrue(net.connected(a, b));
    }

    @Test
    void isolateCutsEveryLinkOfOneServerBothWaysAndReconnectRestoresThem() {
        Network net = network(5);
        net.isolate(3);
        assertEquals("{1,2,4,5} | {3}", net.topology());
        for (int other : List.of(1, 2, 4, 5)) {
            assertFalse(net.connected(3, other));
            assertFalse(net.connected(other, 3));
        }
        assertTrue(net.connected(1, 5));
        assertTrue(net.connected(3, 3), "a server always reaches itself");

        net.isolate(5);
        assertEquals("{1,2,4} | {3} | {5}", net.topology());

        assertFalse(net.connected(3, 5));

        net.heal();
        net.isolate(2);
        net.reconnect(2);
        assertEquals("fully connected", net.topology());
        assertTrue(net.connected(2, 1));
    }

    @Test
    void reconnectRestoresEveryLinkOfThatServerEvenToAnIsolatedOne() {
        // As documented: "Restores every link to and from id". So reconnecting 3 also re-links it
        // with 5, which was isolated; 5 still cannot reach 1, 2 or 4.
        Network net = network(5);
        net.isolate(3);
        net.isolate(5);
        net.reconnect(3);
        assertTrue(net.connected(3, 1));
        assertTrue(net.connected(3, 5));
        assertTrue(net.connected(5, 3));
        assertFalse(net.connected(5, 1));
        assertFalse(net.connected(4, 5));
    }

    @Test
    void partitionSplitsIntoGroupsAndIsolatesServersInNoGroup() {
        Network net = network(5);
        net.partition(List.of(1, 2), List.of(3, 4, 5));
        assertEquals("{1,2} | {3,4,5}", net.topology());
        assertTrue(net.connected(1, 2));
        assertTrue(net.connected(5, 3));
        assertFalse(net.connected(2, 3));
        assertFalse(net.connected(4, 1));

        net.partition(List.of(4, 2));
        assertEquals("{1} | {2,4} | {3} | {5}", net.topology());
        assertTrue(net.connected(4, 2));
        assertFalse(net.connected(1, 2));

        net.heal();
        assertEquals("fully connected", net.topology());
        assertTrue(net.connected(1, 2));
    }

    @Test
    void partitionRejectsAServerInTwoGroupsAndUnknownServers() {
        Network net = network(3);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> net.partition(List.of(1, 2), List.of(2, 3)));
        assertEquals("node2 is in two groups of the partition", twice.getMessage());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> net.partition(List.of(1, 9)));
        assertEquals("there is no node9 in this cluster; the nodes are [1, 2, 3]", unknown.getMessage());
        assertEquals("fully connected", net.topology(), "a rejected partition changes nothing");
    }

    @Test
    void unknownServersAreRejectedEverywhere() {
        Network net = network(3);
        assertThrows(IllegalArgumentException.class, () -> net.isolate(4));
        assertThrows(IllegalArgumentException.class, () -> net.reconnect(0));
        assertThrows(IllegalArgumentException.class, () -> net.cut(1, 4));
        assertThrows(IllegalArgumentException.class, () -> net.cut(4, 1));
    }

    @Test
    void aBridgeJoinsTwoSidesThatCannotTalk() {
        Network net = network(5);
        net.bridge(3, List.of(1, 2), List.of(4, 5));
        assertEquals("{1,2} ⟷ node3 ⟷ {4,5}", net.topology());
        boolean[][] expected = new boolean[6][6];
        for (int a = 1; a <= 5; a++) {
            for (int b = 1; b <= 5; b++) {
                boolean sameSide = (a <= 2 && b <= 2) || (a >= 4 && b >= 4);
                expected[a][b] = a == b || a == 3 || b == 3 || sameSide;
            }
        }
        assertLinks(net, 5, expected);
    }

    @Test
    void aRingLinksEachServerToItsNearestNeighbours() {
        Network net = network(5);
        net.ring(1);
        assertEquals("ring [1, 2, 3, 4, 5] (each linked to 1 on either side)", net.topology());
        boolean[][] expected = new boolean[6][6];
        for (int a = 1; a <= 5; a++) {
            for (int b = 1; b <= 5; b++) {
                int d = Math.abs(a - b);
                expected[a][b] = Math.min(d, 5 - d) <= 1;
            }
        }
        assertLinks(net, 5, expected);
        assertTrue(net.connected(1, 5), "the ring wraps around");
        assertFalse(net.connected(1, 3));

        net.ring(2);
        for (int a = 1; a <= 5; a++) for (int b = 1; b <= 5; b++) assertTrue(net.connected(a, b));
    }

    @Test
    void cutIsOneWay() {
        Network net = network(3);
        net.cut(1, 2);
        assertEquals("custom: 1↛2", net.topology());
        assertFalse(net.connected(1, 2));
        assertTrue(net.connected(2, 1));
        net.cut(3, 1);
        assertEquals("custom: 1↛2 3↛1", net.topology());
        net.heal();
        assertEquals("fully connected", net.topology());
        assertTrue(net.connected(1, 2));
    }

    // ---- Packets -------------------------------------------------------------------------------

    @Test
    void packetsGetIncreasingIds() {
        Network net = network(3);
        Packet a = ping(net, 1, 2);
        Packet b = ping(net, 2, 3);
        assertTrue(b.id() > a.id());
        assertEquals("Ping", a.type());
        assertTrue(a.is("Ping"));
        assertFalse(a.is("Pong"));
        assertEquals("{\"term\":1,\"seq\":7}", a.json());
        assertEquals("node1 → node2 Ping {\"term\":1,\"seq\":7}", a.toString());
    }

    @Test
    void aPacketToAServerNotInTheClusterIsAClearError() {
        Network net = network(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ping(net, 1, 9));
        assertEquals("node1 sent a Ping to node9, which is not in the cluster [1, 2, 3]; send only to the ids in NodeConfig.peers(),"
                + " or back to a client that sent a request", e.getMessage());
        IllegalArgumentException from = assertThrows(IllegalArgumentException.class, () -> ping(net, 7, 1));
        assertTrue(from.getMessage().contains("no node7"), from.getMessage());
    }

    // ---- Routing -------------------------------------------------------------------------------

    @Test
    void aReliableNetworkDeliversOnceWithinTheLatencyBounds() {
        Network net = network(3);
        for (int i = 0; i < 200; i++) {
            Network.Route r = net.route(ping(net, 1, 2), random);
            assertEquals(Network.Outcome.DELIVER, r.outcome());
            assertEquals(1, r.delaysMicros().length);
            long d = r.delaysMicros()[0];
            assertTrue(d >= 1_000 && d <= 5_000, "delay " + d + " µs outside 1–5 ms");
        }
        assertEquals(200, net.stats().sent("Ping"));
        assertEquals(0, net.stats().get("Ping").dropped());
    }

    @Test
    void aFixedLatencyIsExact() {
        Network net = network(2);
        net.setConditions(Conditions.reliable().withLatency(Duration.ofMillis(3), Duration.ofMillis(3)));
        assertArrayEquals(new long[] {3_000}, net.route(ping(net, 1, 2), random).delaysMicros());
    }

    @Test
    void dropRateOneLosesEveryMessage() {
        Network net = network(3);
        net.setConditions(Conditions.reliable().withDropRate(1));
        for (int i = 0; i < 50; i++) {
            Network.Route r = net.route(ping(net, 1, 2), random);
            assertEquals(Network.Outcome.LOST_AT_RANDOM, r.outcome());
            assertEquals(0, r.delaysMicros().length);
        }
        MessageStats.Counters c = net.stats().get("Ping");
        assertEquals(50, c.sent());
        assertEquals(50, c.dropped());
        assertEquals(0, c.delivered());
        assertEquals(0, c.duplicated());
    }

    @Test
    void duplicateRateOneDeliversTwoCopiesEachWithItsOwnLatency() {
        Network net = network(3);
        net.setConditions(Conditions.reliable().withLatency(Duration.ofMillis(1), Duration.ofMillis(50)).withDuplicateRate(1));
        boolean differentDelays = false;
        for (int i = 0; i < 20; i++) {
            Network.Route r = net.route(ping(net, 2, 3), random);
            assertEquals(Network.Outcome.DELIVER, r.outcome());
            assertEquals(2, r.delaysMicros().length);
            for (long d : r.delaysMicros()) assertTrue(d >= 1_000 && d <= 50_000, "delay " + d);
            differentDelays |= r.delaysMicros()[0] != r.delaysMicros()[1];
        }
        assertTrue(differentDelays, "each copy draws its own latency");
        MessageStats.Counters c = net.stats().get("Ping");
        assertEquals(20, c.sent());
        assertEquals(20, c.duplicated());
        assertEquals(0, c.dropped());
    }

    @Test
    void reorderingAddsUpToTheReorderDelay() {
        Network net = network(2);
        net.setConditions(Conditions.reliable().withLatency(Duration.ofMillis(1), Duration.ofMillis(1))
                .withReordering(1, Duration.ofMillis(100)));
        long max = 0;
        for (int i = 0; i < 100; i++) {
            long d = net.route(ping(net, 1, 2), random).delaysMicros()[0];
            assertTrue(d >= 1_000 && d <= 101_000, "delay " + d);
            max = Math.max(max, d);
        }
        assertTrue(max > 1_000, "some message was held back");
    }

    @Test
    void aPartitionLosesMessagesBeforeAnyOtherRule() {
        Network net = network(3);
        net.setConditions(Conditions.reliable().withDropRate(1));
        net.dropWhere(p -> true);
        net.isolate(2);
        Network.Route r = net.route(ping(net, 1, 2), random);
        assertEquals(Network.Outcome.LOST_TO_PARTITION, r.outcome());
        assertEquals(0, r.delaysMicros().length);
        assertEquals(1, net.stats().get("Ping").dropped());
        assertEquals(Network.Outcome.LOST_TO_RULE, net.route(ping(net, 1, 3), random).outcome());
    }

    @Test
    void aOneWayCutLosesOnlyThatDirection() {
        Network net = network(2);
        net.cut(1, 2);
        assertEquals(Network.Outcome.LOST_TO_PARTITION, net.route(ping(net, 1, 2), random).outcome());
        assertEquals(Network.Outcome.DELIVER, net.route(ping(net, 2, 1), random).outcome());
    }

    @Test
    void aDropRuleDropsWhatItMatchesUntilRemoved() {
        Network net = network(3);
        Network.Rule rule = net.dropWhere(p -> p.is("Ping") && p.to() == 3);
        assertEquals(Network.Outcome.LOST_TO_RULE, net.route(ping(net, 1, 3), random).outcome());
        assertEquals(Network.Outcome.DELIVER, net.route(ping(net, 1, 2), random).outcome());
        Packet pong = net.packet(1, 3, "Pong", 1, new byte[] {'{', '}'});
        assertEquals(Network.Outcome.DELIVER, net.route(pong, random).outcome());
        assertEquals(1, net.stats().get("Ping").dropped());

        rule.remove();
        assertEquals(Network.Outcome.DELIVER, net.route(ping(net, 1, 3), random).outcome());
        assertEquals(1, net.stats().get("Ping").dropped());
    }

    @Test
    void aHoldRuleKeepsMessagesUntilReleasedThenHandsThemToTheRuntimeInOrder() {
        Network net = network(3);
        Network.Held held = net.holdWhere(p -> p.from() == 1);
        Packet a = ping(net, 1, 2);
        Packet b = ping(net, 1, 3);
        Packet c = ping(net, 2, 3);
        assertEquals(Network.Outcome.HELD, net.route(a, random).outcome());
        assertEquals(Network.Outcome.HELD, net.route(b, random).outcome());
        assertEquals(Network.Outcome.DELIVER, net.route(c, random).outcome());
        assertEquals(2, held.count());
        assertTrue(released.isEmpty());
        assertEquals(0, net.stats().get("Ping").dropped(), "a held message is not lost");

        held.release();
        assertEquals(List.of(a, b), released);
        assertEquals(0, held.count());
        assertEquals(Network.Outcome.DELIVER, net.route(ping(net, 1, 2), random).outcome(), "release removes the rule");
        held.release();
        assertEquals(2, released.size(), "a second release has nothing to let go");
    }

    @Test
    void theFirstMatchingRuleDecides() {
        Network net = network(2);
        Network.Held held = net.holdWhere(p -> true);
        net.dropWhere(p -> true);
        assertEquals(Network.Outcome.HELD, net.route(ping(net, 1, 2), random).outcome());
        held.release();
        assertEquals(Network.Outcome.LOST_TO_RULE, net.route(ping(net, 1, 2), random).outcome());
    }

    @Test
    void aReleasedPacketDrawsAFreshLatency() {
        Network net = network(2);
        net.setConditions(Conditions.reliable().withLatency(Duration.ofMillis(4), Duration.ofMillis(4)));
        assertEquals(4_000, net.latencyForReleased(random));
    }

    @Test
    void arrivalChecksTheLinkAgain() {
        Network net = network(3);
        Packet p = ping(net, 1, 2);
        assertEquals(Network.Outcome.DELIVER, net.route(p, random).outcome());
        net.isolate(1); // cut while the packet is in flight
        assertFalse(net.arrives(p));
        net.heal();
        Packet q = ping(net, 1, 2);
        net.route(q, random);
        assertTrue(net.arrives(q));
        MessageStats.Counters c = net.stats().get("Ping");
        assertEquals(2, c.sent());
        assertEquals(1, c.dropped());
        assertEquals(1, c.delivered());
    }

    // ---- Counters -------------------------------------------------------------------------------

    @Test
    void statsCountEveryFateAndTheBytesSent() {
        Network net = network(3);
        byte[] json = "{\"term\":1,\"seq\":7}".getBytes(StandardCharsets.UTF_8);
        Packet p1 = ping(net, 1, 2);
        Packet p2 = ping(net, 1, 3);
        Packet pong = net.packet(2, 1, "Pong", 1, new byte[5]);
        net.route(p1, random);
        net.route(p2, random);
        net.route(pong, random);
        net.arrives(p1);
        net.arrives(p1); // a duplicate arriving
        net.lostToCrash(p2);

        MessageStats stats = net.stats();
        MessageStats.Counters ping = stats.get("Ping");
        assertEquals(2, ping.sent());
        assertEquals(2, ping.delivered());
        assertEquals(1, ping.dropped());
        assertEquals(2L * json.length, ping.bytes());
        assertEquals(5, stats.get("Pong").bytes());
        assertEquals(3, stats.totalSent());
        assertEquals(2L * json.length + 5, stats.totalBytes());

        MessageStats.Counters none = stats.get("RequestVote");
        assertEquals(0, none.sent());
        assertEquals(0, none.bytes());

        String table = stats.table();
        assertTrue(table.startsWith(String.format("%-22s %10s %10s %9s %10s %12s%n", "message", "sent", "delivered", "lost", "duplicated", "bytes sent")), table);
        assertTrue(table.contains(String.format("%-22s %10d %10d %9d %10d %12d", "Ping", 2, 2, 1, 0, 2L * json.length)), table);
        assertTrue(table.indexOf("Ping") < table.indexOf("Pong"), "rows sorted by type");
        assertEquals(table, stats.toString());
    }

    @Test
    void countersAreASnapshot() {
        Network net = network(2);
        MessageStats.Counters before = net.stats().get("Ping");
        net.route(ping(net, 1, 2), random);
        assertEquals(0, before.sent());
        assertEquals(1, net.stats().get("Ping").sent());
    }
}
