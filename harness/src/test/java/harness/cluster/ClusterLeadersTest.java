package harness.cluster;

import harness.api.Rule;
import harness.check.SafetyViolation;
import harness.observe.TraceEvent;
import harness.sim.SimulatedCluster;
import harness.testing.Pinger;
import harness.testing.Scripted;
import harness.testing.Scripted.Step;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static harness.api.Role.CANDIDATE;
import static harness.api.Role.FOLLOWER;
import static harness.api.Role.LEADER;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leaders as a cluster sees them, and safety violations thrown out of a run. Scripted servers set the state. */
class ClusterLeadersTest {

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    /**
     * Five servers: node1 wins term 1 with votes of 1, 2, 3 (at 3 ms); node5 wins term 2 with votes
     * of 3, 4, 5 (at 7 ms). node1 never hears of term 2, so it is a stale leader.
     */
    private static SimulatedCluster twoLeaders() {
        Map<Integer, List<Step>> script = Map.of(
                1, List.of(Step.at(1, CANDIDATE, 1, 1), Step.at(3, LEADER, 1, 1)),
                2, List.of(Step.at(1, FOLLOWER, 1, 1)),
                3, List.of(Step.at(1, FOLLOWER, 1, 1), Step.at(5, FOLLOWER, 2, 5)),
                4, List.of(Step.at(5, FOLLOWER, 2, 5)),
                5, List.of(Step.at(5, CANDIDATE, 2, 5), Step.at(7, LEADER, 2, 5)));
        SimulatedCluster c = Cluster.builder().nodes(5).seed(1).implementation(Scripted.implementation(script)).simulated();
        c.runFor(ms(10));
        return c;
    }

    @Test
    void theLeaderIsTheHighestTermLeaderThatReachesAMajority() {
        SimulatedCluster c = twoLeaders();
        assertEquals(List.of(1, 5), c.leaders());
        assertEquals(Optional.of(5), c.leader());
        assertEquals(2, c.maxTerm());
        for (int id : c.ids()) assertTrue(c.reachesMajority(id));

        c.isolate(5);
        assertEquals(List.of(1, 5), c.leaders(), "an isolated leader still believes it leads");
        assertFalse(c.reachesMajority(5));
        assertEquals(Optional.of(1), c.leader(), "the stale leader is the one that can lead now");

        c.isolate(1);
        assertFalse(c.reachesMajority(1));
        assertEquals(Optional.empty(), c.leader());

        c.heal();
        c.partition(List.of(1, 2, 3), List.of(4, 5));
        assertEquals(Optional.of(1), c.leader());
        assertTrue(c.reachesMajority(2));
        assertFalse(c.reachesMajority(4));
    }

    @Test
    void aMajorityCountsOnlyRunningServersButOfTheWholeCluster() {
        SimulatedCluster c = twoLeaders();
        c.crash(1);
        c.crash(2);
        assertEquals(List.of(5), c.leaders(), "a crashed leader is no leader");
        assertTrue(c.reachesMajority(5), "3, 4, 5 are 3 of 5");
        assertEquals(Optional.of(5), c.leader());
        c.crash(3);
        assertFalse(c.reachesMajority(5), "4, 5 are 2 of 5");
        assertEquals(Optional.empty(), c.leader());
        assertEquals(2, c.maxTerm());
        c.crash(4);
        c.crash(5);
        assertEquals(0, c.maxTerm(), "no running server");
    }

    @Test
    void aOneWayLinkIsNotEnoughToReachAMajority() {
        SimulatedCluster c = twoLeaders();
        c.network().cut(5, 3);
        c.network().cut(4, 5);
        assertTrue(c.reachesMajority(5), "5 still exchanges messages both ways with 1 and 2");
        c.network().cut(1, 5);
        assertFalse(c.reachesMajority(5), "5 exchanges messages both ways only with 2: 2 of 5");
        assertTrue(c.reachesMajority(1), "1 reaches 2, 3, 4 both ways");
        assertTrue(c.network().topology().equals("custom: 1↛5 4↛5 5↛3"), c.network().topology());
    }

    @Test
    void theStateTableShowsEveryServer() {
        SimulatedCluster c = twoLeaders();
        c.crash(2);
        String table = c.stateTable();
        List<String> lines = table.lines().toList();
        assertEquals(6, lines.size(), table);
        assertEquals(String.format("%-7s %-10s %5s  %-9s", "node", "role", "term", "votedFor"), lines.get(0));
        assertEquals(String.format("%-7s %-10s %5d  %-9s", "node1", "Leader", 1, "node1"), lines.get(1));
        assertEquals(String.format("%-7s %-10s %5d  %-9s", "node2", "(down)", 1, "node1"), lines.get(2));
        assertEquals(String.format("%-7s %-10s %5d  %-9s", "node4", "Follower", 2, "node5"), lines.get(4));
    }

    /** Scripted servers vote without sending a reply: the winner counted only its own vote. See VotesCountedTest. */
    @Test
    void winningAnElectionIsTracedWithTheVotesTheWinnerReceived() {
        SimulatedCluster c = Cluster.builder().nodes(5).seed(1).implementation(Scripted.implementation(Map.of(
                1, List.of(Step.at(1, CANDIDATE, 1, 1), Step.at(3, LEADER, 1, 1)),
                2, List.of(Step.at(1, FOLLOWER, 1, 1)),
                3, List.of(Step.at(1, FOLLOWER, 1, 1))))).simulated();
        List<TraceEvent> events = new java.util.ArrayList<>();
        c.trace().subscribe(events::add);
        c.runFor(ms(10));
        TraceEvent.RoleChanged won = events.stream().filter(TraceEvent.RoleChanged.class::isInstance)
                .map(TraceEvent.RoleChanged.class::cast).filter(e -> e.to() == LEADER).findFirst().orElseThrow();
        assertEquals(new TraceEvent.RoleChanged(3_000, 1, CANDIDATE, LEADER, 1, Set.of(1)), won);
        assertEquals("node1 Candidate → Leader in term 1 with votes from node1", won.describe());
    }

    @Test
    void awaitLeaderReturnsTheLeaderOrFailsWithTheStateTable() {
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(Scripted.implementation(Map.of(
                2, List.of(Step.at(40, CANDIDATE, 1, 2), Step.at(50, LEADER, 1, 2)),
                3, List.of(Step.at(40, FOLLOWER, 1, 2))))).simulated();
        assertEquals(2, c.awaitLeader(ms(100)));
        assertEquals(ms(50), c.now());

        SimulatedCluster none = Cluster.builder().nodes(3).seed(1).implementation(Pinger.implementation()).simulated();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> none.awaitLeader(ms(100)));
        assertTrue(e.getMessage().startsWith("no leader within 100 ms (at 100.0 ms)\nnode "), e.getMessage());
    }

    // ---- Safety violations out of a run ------------------------------------------------------

    @Test
    void twoLeadersOfOneTermStopTheRun() {
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(Scripted.implementation(Map.of(
                1, List.of(Step.at(1, CANDIDATE, 1, 1), Step.at(2, LEADER, 1, 1)),
                2, List.of(Step.at(1, FOLLOWER, 1, 1)),
                3, List.of(Step.at(3, LEADER, 1, 3))))).simulated();
        SafetyViolation v = assertThrows(SafetyViolation.class, () -> c.runFor(ms(10)));
        assertEquals(Rule.ELECTION_SAFETY, v.rule());
        assertTrue(v.getMessage().startsWith(Rule.ELECTION_SAFETY.label()
                + " node1 and node3 were both leaders of term 1 (node1 since 2.0 ms, node3 since 3.0 ms)"), v.getMessage());
        assertEquals(ms(3), c.now(), "the run stops at the event that broke the rule");
        List<TraceEvent> last = c.trace().recent(2);
        assertEquals(List.of(new TraceEvent.RoleChanged(3_000, 3, FOLLOWER, LEADER, 1, Set.of(3)), new TraceEvent.Voted(3_000, 3, 1, 3)),
                last, "the trace shows the change that broke the rule");
    }

    @Test
    void ignoringAHigherTermStopsTheRun() {
        Map<Integer, List<Step>> script = Map.of(1, List.of(Step.at(1, FOLLOWER, 0, null).sending(5)));
        SimulatedCluster deaf = Cluster.builder().nodes(3).seed(1).implementation(Scripted.implementation(script)).simulated();
        SafetyViolation v = assertThrows(SafetyViolation.class, () -> deaf.runFor(ms(20)));
        assertEquals(Rule.HIGHER_TERM, v.rule());
        assertTrue(v.getMessage().matches("(?s)\\Q" + Rule.HIGHER_TERM.label() + "\\E node[23] was Follower in term 0 and handled Ping"
                + " of term 5 at .* ms, but then was Follower in term 0\n.*"), v.getMessage());

        SimulatedCluster listening = Cluster.builder().nodes(3).seed(1).implementation(Scripted.implementation(script, true)).simulated();
        assertDoesNotThrow(() -> listening.runFor(ms(20)));
        assertEquals(5, listening.view(2).term());
        assertEquals(5, listening.maxTerm());
    }

    @Test
    void changingAVoteStopsTheRun() {
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(Scripted.implementation(Map.of(
                2, List.of(Step.at(1, FOLLOWER, 1, 1), Step.at(2, FOLLOWER, 1, 3))))).simulated();
        SafetyViolation v = assertThrows(SafetyViolation.class, () -> c.runFor(ms(10)));
        assertEquals(Rule.ONE_VOTE_PER_TERM, v.rule());
        assertTrue(v.getMessage().contains(Rule.ONE_VOTE_PER_TERM.label()), v.getMessage());
    }

    @Test
    void winningWithoutAMajorityStopsTheRun() {
        SimulatedCluster c = Cluster.builder().nodes(5).seed(1).implementation(Scripted.implementation(Map.of(
                1, List.of(Step.at(1, CANDIDATE, 1, 1), Step.at(2, LEADER, 1, 1)),
                2, List.of(Step.at(1, FOLLOWER, 1, 1))))).simulated();
        SafetyViolation v = assertThrows(SafetyViolation.class, () -> c.runFor(ms(10)));
        assertEquals(Rule.MAJORITY_TO_WIN, v.rule());
        assertTrue(v.getMessage().contains("it needs 3 of 5"), v.getMessage());
    }

    @Test
    void aSingleServerClusterElectsItself() {
        SimulatedCluster c = Cluster.builder().nodes(1).seed(1).implementation(Scripted.implementation(Map.of(
                1, List.of(Step.at(150, LEADER, 1, 1))))).simulated();
        assertEquals(1, c.awaitLeader(ms(300)));
        assertTrue(c.reachesMajority(1));
        assertEquals(List.of(), c.others(1));
    }
}
