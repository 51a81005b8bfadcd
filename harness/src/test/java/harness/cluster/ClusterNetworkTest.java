package harness.cluster;

import harness.observe.TraceEvent;
import harness.sim.SimulatedCluster;
import harness.testing.Pinger;
import harness.testing.Recorder;
import harness.testing.Scripted;
import harness.testing.Scripted.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static harness.api.Role.FOLLOWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault injection and counters as a simulated cluster uses them. */
class ClusterNetworkTest {

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    /** Node 1 sends one Ping of term 0 to every peer at 1 ms; nothing else happens. */
    private static SimulatedCluster onePingEach(int nodes, Conditions conditions) {
        return Cluster.builder().nodes(nodes).seed(1)
                .implementation(Scripted.implementation(Map.of(1, List.of(Step.at(1, FOLLOWER, 0, null).sending(0)))))
                .network(conditions).simulated();
    }

    private static SimulatedCluster pingers(int n) {
        return Cluster.builder().nodes(n).seed(11).implementation(Pinger.implementation()).simulated();
    }

    @Test
    void countersOfAQuietRunAreExact() {
        SimulatedCluster c = onePingEach(3, Conditions.reliable());
        c.runFor(ms(20));
        MessageStats.Counters ping = c.stats().get("Ping");
        assertEquals(2, ping.sent());
        assertEquals(2, ping.delivered());
        assertEquals(0, ping.dropped());
        assertEquals(0, ping.duplicated());
        assertEquals(2L * "{\"term\":0,\"seq\":0}".length(), ping.bytes(), "bytes are the JSON on the wire");
        assertEquals(2, c.stats().totalSent());
        assertEquals(0, c.stats().get("Pong").sent());
    }

    @Test
    void duplicateRateOneDeliversEveryMessageTwice() {
        SimulatedCluster c = onePingEach(3, Conditions.reliable().withDuplicateRate(1));
        Recorder r = Recorder.on(c);
        c.runFor(ms(20));
        MessageStats.Counters ping = c.stats().get("Ping");
        assertEquals(2, ping.sent());
        assertEquals(2, ping.duplicated());
        assertEquals(4, ping.delivered());
        List<TraceEvent.Delivered> delivered = r.of(TraceEvent.Delivered.class);
        assertEquals(4, delivered.size());
        assertEquals(2, delivered.stream().map(d -> d.packet().id()).distinct().count(), "two copies of each packet");
    }

    @Test
    void orderedLinksDeliverALinksMessagesInTheOrderSentAndOthersNeedNot() {
        List<Step> pings = IntStream.rangeClosed(1, 30).mapToObj(ms -> Step.at(ms, FOLLOWER, 0, null).sending(0)).toList();
        for (boolean ordered : List.of(false, true)) {
            Cluster.Builder b = Cluster.builder().nodes(2).seed(1).implementation(Scripted.implementation(Map.of(1, pings)))
                    .network(Conditions.reliable().withLatency(ms(1), ms(20)));
            SimulatedCluster c = (ordered ? b.orderedLinks() : b).simulated();
            Recorder r = Recorder.on(c);
            c.runFor(ms(100));
            List<Long> arrived = r.of(TraceEvent.Delivered.class).stream().map(d -> d.packet().id()).toList();
            assertEquals(30, arrived.size());
            assertEquals(ordered, arrived.equals(arrived.stream().sorted().toList()),
                    (ordered ? "ordered links must keep" : "1-20 ms of jitter should upset") + " the order: " + arrived);
            assertEquals(ordered, c.configOf(1).orderedLinks(), "the servers are told whether their links keep order");
        }
    }

    @Test
    void dropRateOneLosesEverythingAtRandom() {
        SimulatedCluster c = onePingEach(3, Conditions.reliable().withDropRate(1));
        Recorder r = Recorder.on(c);
        c.runFor(ms(20));
        assertEquals(2, c.stats().get("Ping").dropped());
        assertEquals(0, c.stats().get("Ping").delivered());
        assertTrue(r.of(TraceEvent.Sent.class).stream().allMatch(s -> s.outcome() == Network.Outcome.LOST_AT_RANDOM));
        assertTrue(r.of(TraceEvent.Sent.class).get(0).describe().endsWith("   (lost)"));
        assertTrue(r.of(TraceEvent.Delivered.class).isEmpty());
    }

    @Test
    void aPartitionLosesMessagesAcrossItAndInFlight() {
        SimulatedCluster c = onePingEach(3, Conditions.reliable().withLatency(ms(10), ms(10)));
        Recorder r = Recorder.on(c);
        c.runFor(ms(5)); // both pings are on their way
        c.isolate(1);
        c.runFor(ms(20));
        List<TraceEvent.Lost> lost = r.of(TraceEvent.Lost.class);
        assertEquals(2, lost.size());
        assertTrue(lost.stream().allMatch(l -> l.reason().equals("the link was cut")));
        assertEquals(2, c.stats().get("Ping").dropped());
        assertTrue(r.events().contains(new TraceEvent.NetworkChanged(5_000, "{1} | {2,3}")));

        SimulatedCluster d = onePingEach(3, Conditions.reliable());
        d.partition(List.of(1, 2), List.of(3));
        Recorder s = Recorder.on(d);
        d.runFor(ms(20));
        Map<Integer, Network.Outcome> outcomes = s.of(TraceEvent.Sent.class).stream()
                .collect(Collectors.toMap(e -> e.packet().to(), TraceEvent.Sent::outcome));
        assertEquals(Map.of(2, Network.Outcome.DELIVER, 3, Network.Outcome.LOST_TO_PARTITION), outcomes);
        assertEquals(1, d.stats().get("Ping").delivered());
    }

    @Test
    void aDropRuleDropsOnlyWhatItMatches() {
        SimulatedCluster c = pingers(3);
        Network.Rule rule = c.network().dropWhere(p -> p.from() == 1 && p.is("Ping"));
        Recorder r = Recorder.on(c);
        c.runFor(ms(300));
        List<TraceEvent.Sent> fromOne = r.of(TraceEvent.Sent.class).stream()
                .filter(s -> s.packet().from() == 1 && s.packet().is("Ping")).toList();
        assertTrue(fromOne.size() >= 10);
        assertTrue(fromOne.stream().allMatch(s -> s.outcome() == Network.Outcome.LOST_TO_RULE));
        assertTrue(fromOne.get(0).describe().endsWith("(dropped by a fault rule)"));
        assertTrue(r.of(TraceEvent.Delivered.class).stream().noneMatch(d -> d.packet().from() == 1 && d.packet().is("Ping")));
        assertTrue(r.of(TraceEvent.Delivered.class).stream().anyMatch(d -> d.packet().from() == 2 && d.packet().is("Ping")));
        assertEquals(fromOne.size(), c.stats().get("Ping").dropped());

        rule.remove();
        Recorder after = Recorder.on(c);
        c.runFor(ms(300));
        assertTrue(after.of(TraceEvent.Delivered.class).stream().anyMatch(d -> d.packet().from() == 1 && d.packet().is("Ping")));
    }

    @Test
    void heldMessagesAreDeliveredAfterRelease() {
        SimulatedCluster c = pingers(3);
        Network.Held held = c.network().holdWhere(p -> p.is("Ping"));
        Recorder r = Recorder.on(c);
        c.runFor(ms(200));

        Set<Long> heldIds = r.of(TraceEvent.Sent.class).stream()
                .filter(s -> s.outcome() == Network.Outcome.HELD).map(s -> s.packet().id()).collect(Collectors.toSet());
        assertTrue(heldIds.size() >= 10, "pings held: " + heldIds.size());
        assertEquals(heldIds.size(), held.count());
        assertTrue(r.of(TraceEvent.Delivered.class).isEmpty(), "nothing gets through while pings are held");
        assertEquals(0, c.view(1).term() + c.view(2).term() + c.view(3).term());
        assertEquals(0, c.stats().get("Ping").dropped());

        Duration releasedAt = c.now();
        held.release();
        c.runFor(ms(6)); // a fresh latency of 1–5 ms
        Set<Long> deliveredIds = r.of(TraceEvent.Delivered.class).stream()
                .map(d -> d.packet().id()).collect(Collectors.toSet());
        assertTrue(deliveredIds.containsAll(heldIds), "every held ping arrives after the release");
        assertTrue(r.of(TraceEvent.Delivered.class).stream()
                .filter(d -> heldIds.contains(d.packet().id()))
                .allMatch(d -> d.timeMicros() > releasedAt.toNanos() / 1000), "held pings arrive only after the release");
        assertEquals(0, held.count());
        assertTrue(c.stats().get("Ping").delivered() >= heldIds.size());
    }

    @Test
    void heldMessagesToACrashedServerAreLostOnRelease() {
        SimulatedCluster c = onePingEach(3, Conditions.reliable());
        Network.Held held = c.network().holdWhere(p -> p.to() == 2);
        c.runFor(ms(10));
        assertEquals(1, held.count());
        c.crash(2);
        Recorder r = Recorder.on(c);
        held.release();
        c.runFor(ms(10));
        assertEquals(List.of("node2 crashed"), r.of(TraceEvent.Lost.class).stream().map(TraceEvent.Lost::reason).toList());
    }
}
