package harness.api;

import harness.cluster.Subject;
import harness.testing.Pinger;
import harness.testing.TestImplementation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small value types of the contract: rules, roles, configurations, timing, subjects. */
class ApiTest {

    @Test
    void rulesNameThemselvesInFailures() {
        assertEquals("[§5.2 one vote per term]", Rule.ONE_VOTE_PER_TERM.label());
        assertEquals("[§5.2, Figure 3 Election Safety]", Rule.ELECTION_SAFETY.label());
        assertEquals("[§5.1 adopt a higher term] node2 stayed leader\n  The rule: " + Rule.HIGHER_TERM.statement() + ".",
                Rule.HIGHER_TERM.violated("node2 stayed leader"));
        for (Rule r : Rule.values()) {
            assertTrue(r.label().startsWith("[" + r.section() + " "), r.label());
            assertTrue(!r.statement().isBlank() && !r.title().isBlank());
        }
        assertNull(Rule.HIGHER_TERM.beyondThePaper(), "a rule the paper states");
    }

    @Test
    void rulesThatAskMoreThanFigure2SaySoInTheirSectionAndTheirFailures() {
        assertEquals("[§5.3 (optional) back up a whole term at a time]", Rule.FAST_BACKUP.label());
        String backup = Rule.FAST_BACKUP.violated("node3 sent node4 77 AppendEntries");
        assertTrue(backup.startsWith("[§5.3 (optional) back up a whole term at a time] node3 sent node4 77 AppendEntries\n  The rule: "),
                backup);
        assertTrue(backup.endsWith("\n  Beyond the paper: " + Rule.FAST_BACKUP.beyondThePaper() + "."), backup);
        assertTrue(Rule.FAST_BACKUP.beyondThePaper().contains("decrement nextIndex and retry"));
        assertTrue(Rule.FAST_BACKUP.beyondThePaper().contains("§5.3"));

        assertEquals("[course design append, don't rewrite]", Rule.WRITE_BUDGET.label());
        assertTrue(Rule.WRITE_BUDGET.violated("node2 wrote 1 MB").contains("\n  Beyond the paper: Figure 2 asks only"));
        for (Rule r : Rule.values()) {
            if (r.beyondThePaper() != null) {
                assertTrue(!r.section().equals("Figure 2") && !r.section().matches("§[0-9.]+"),
                        r + " asks more than the paper, so its section must not present it as the paper's: " + r.section());
            }
        }
    }

    @Test
    void rolesHaveTitles() {
        assertEquals("Follower", Role.FOLLOWER.title());
        assertEquals("Candidate", Role.CANDIDATE.title());
        assertEquals("Leader", Role.LEADER.title());
    }

    @Test
    void nodeConfigValidatesIdsAndPeers() {
        NodeConfig c = new NodeConfig(2, List.of(1, 3), Timing.DEFAULT);
        assertEquals(3, c.clusterSize());
        assertEquals("server ids start at 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new NodeConfig(0, List.of(1), Timing.DEFAULT)).getMessage());
        assertEquals("server 2 lists itself among its peers [1, 2]",
                assertThrows(IllegalArgumentException.class, () -> new NodeConfig(2, List.of(1, 2), Timing.DEFAULT)).getMessage());
        assertEquals("peer list [1, 3, 1] names a server twice",
                assertThrows(IllegalArgumentException.class, () -> new NodeConfig(2, List.of(1, 3, 1), Timing.DEFAULT)).getMessage());
        List<Integer> peers = new java.util.ArrayList<>(List.of(1, 3));
        NodeConfig copy = new NodeConfig(2, peers, Timing.DEFAULT);
        peers.add(4);
        assertEquals(List.of(1, 3), copy.peers(), "the peer list is copied");
    }

    @Test
    void timingValidatesItsIntervals() {
        assertEquals(Duration.ofMillis(50), Timing.DEFAULT.heartbeatInterval());
        Timing t = Timing.electionTimeout(300, 600);
        assertEquals(Duration.ofMillis(100), t.heartbeatInterval());
        assertEquals(Duration.ofMillis(1), Timing.electionTimeout(2, 4).heartbeatInterval());
        assertEquals("the election timeout must be positive, not 0 ms",
                assertThrows(IllegalArgumentException.class, () -> Timing.electionTimeout(0, 10)).getMessage());
        assertEquals("the election timeout interval is empty: max 100 ms is below min 200 ms",
                assertThrows(IllegalArgumentException.class, () -> Timing.electionTimeout(200, 100)).getMessage());
        assertEquals("the heartbeat interval (150 ms) must be positive and below the smallest election timeout (150 ms)",
                assertThrows(IllegalArgumentException.class, () -> new Timing(Duration.ofMillis(150), Duration.ofMillis(300), Duration.ofMillis(150))).getMessage());
    }

    @Test
    void aSubjectIsAnImplementationOrOneOfItsBugs() {
        NodeFactory broken = (config, env) -> null;
        TestImplementation base = Pinger.implementation();
        RaftImplementation withZoo = new RaftImplementation() {
            public String name() { return "zoo"; }
            public int milestone() { return 1; }
            public Class<? extends RaftMessage> messageType() { return base.messageType(); }
            public RaftNode create(NodeConfig c, Environment e) { return base.create(c, e); }
            public List<Bug> bugZoo() { return List.of(new Bug("votes-twice", Rule.ONE_VOTE_PER_TERM, "votes twice", broken)); }
        };
        Subject plain = new Subject(withZoo);
        assertNull(plain.bug());
        assertSame(withZoo, plain.factory());
        assertEquals("zoo", plain.toString());

        Subject bug = plain.withBug("votes-twice");
        assertSame(broken, bug.factory());
        assertEquals("zoo with bug \"votes-twice\"", bug.toString());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.withBug("nope"));
        assertEquals("no bug-zoo variant \"nope\" in zoo; its variants are [votes-twice]", e.getMessage());
        assertEquals(List.of(), base.bugZoo());
    }
}
