package harness.check;

import harness.api.Role;
import harness.api.Rule;
import harness.observe.NodeView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Set;

import static harness.api.Role.CANDIDATE;
import static harness.api.Role.FOLLOWER;
import static harness.api.Role.LEADER;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetyCheckerTest {

    private static NodeView up(int id, Role role, long term, Integer votedFor) {
        return new NodeView(id, true, role, term, votedFor);
    }

    private static SafetyViolation violation(Rule rule, Executable step) {
        SafetyViolation v = assertThrows(SafetyViolation.class, step);
        assertEquals(rule, v.rule());
        assertTrue(v.getMessage().startsWith(rule.label() + " "), v.getMessage());
        assertTrue(v.getMessage().endsWith("\n  The rule: " + rule.statement() + "."), v.getMessage());
        return v;
    }

    /** Node {@code candidate} wins {@code term} with the votes of {@code voters} (itself included if listed). */
    private static void elect(SafetyChecker c, int candidate, long term, List<Integer> voters, long time) {
        for (int voter : voters) {
            if (voter != candidate) {
                c.onChange(time, up(voter, FOLLOWER, term - 1, null), up(voter, FOLLOWER, term, candidate));
            }
        }
        NodeView candidateView = up(candidate, CANDIDATE, term, candidate);
        c.onChange(time, up(candidate, FOLLOWER, term - 1, null), candidateView);
        c.onChange(time, candidateView, up(candidate, LEADER, term, candidate));
    }

    @Test
    void aLegalHistoryOfElectionsPasses() {
        SafetyChecker c = new SafetyChecker(5);
        assertDoesNotThrow(() -> {
            elect(c, 1, 1, List.of(1, 2, 3), 1_000);
            elect(c, 4, 2, List.of(4, 5, 3), 2_000); // a new term, a new leader: fine
            elect(c, 1, 3, List.of(1, 2, 3, 4, 5), 3_000);
            // a leader observed again in the same term, for example after a vote change elsewhere
            c.onChange(4_000, up(1, LEADER, 3, 1), up(1, LEADER, 3, 1));
            // the same server voting for the same candidate again in the same term
            c.onChange(4_000, up(2, FOLLOWER, 3, 1), up(2, FOLLOWER, 3, 1));
        });
        assertEquals(Set.of(1, 2, 3, 4, 5), c.votersFor(1, 3));
        assertEquals(Set.of(3, 4, 5), c.votersFor(4, 2));
        assertEquals(Set.of(), c.votersFor(2, 3));
        assertEquals(List.of(1, 2, 3, 4, 5), List.copyOf(c.votersFor(1, 3)), "voters in order");
    }

    @Test
    void aSingleServerElectsItselfWithItsOwnVote() {
        SafetyChecker c = new SafetyChecker(1);
        assertDoesNotThrow(() -> c.onChange(150_000, up(1, FOLLOWER, 0, null), up(1, LEADER, 1, 1)));
        assertDoesNotThrow(() -> c.onChange(300_000, null, up(1, LEADER, 2, 1)));
        assertEquals(Set.of(1), c.votersFor(1, 1));
    }

    @Test
    void twoLeadersInOneTermBreakElectionSafety() {
        SafetyChecker c = new SafetyChecker(5);
        elect(c, 1, 2, List.of(1, 2, 3), 2_000);
        SafetyViolation v = violation(Rule.ELECTION_SAFETY, () -> elect(c, 4, 2, List.of(4, 5), 5_000));
        assertEquals(Rule.ELECTION_SAFETY.violated("node1 and node4 were both leaders of term 2 (node1 since 2.0 ms, node4 since 5.0 ms)"),
                v.getMessage());
    }

    @Test
    void twoLeadersOfDifferentTermsAreFine() {
        SafetyChecker c = new SafetyChecker(3);
        elect(c, 1, 1, List.of(1, 2), 1_000);
        assertDoesNotThrow(() -> elect(c, 3, 2, List.of(3, 2), 2_000));
    }

    @Test
    void changingAVoteWithinATermBreaksOneVotePerTerm() {
        SafetyChecker c = new SafetyChecker(3);
        c.onChange(1_000, up(2, FOLLOWER, 0, null), up(2, FOLLOWER, 4, 1));
        SafetyViolation v = violation(Rule.ONE_VOTE_PER_TERM,
                () -> c.onChange(7_500, up(2, FOLLOWER, 4, 1), up(2, FOLLOWER, 4, 3)));
        assertTrue(v.getMessage().contains("node2 voted for node1 and then for node3 in term 4 (the second vote at 7.5 ms)"), v.getMessage());
    }

    @Test
    void theVoteHistorySurvivesARestart() {
        // before == null: the server booted again and claims a different vote in a term it voted in
        SafetyChecker c = new SafetyChecker(3);
        c.onChange(1_000, up(2, FOLLOWER, 0, null), up(2, FOLLOWER, 4, 1));
        violation(Rule.ONE_VOTE_PER_TERM, () -> c.onChange(9_000, null, up(2, FOLLOWER, 4, 3)));
    }

    @Test
    void votingAgainInALaterTermIsFine() {
        SafetyChecker c = new SafetyChecker(3);
        c.onChange(1_000, up(2, FOLLOWER, 0, null), up(2, FOLLOWER, 4, 1));
        assertDoesNotThrow(() -> c.onChange(2_000, up(2, FOLLOWER, 4, 1), up(2, FOLLOWER, 5, 3)));
        assertEquals(Set.of(2), c.votersFor(3, 5));
        assertEquals(Set.of(2), c.votersFor(1, 4));
    }

    @Test
    void aLeaderWithoutAMajorityBreaksMajorityToWin() {
        SafetyChecker c = new SafetyChecker(5);
        SafetyViolation v = violation(Rule.MAJORITY_TO_WIN, () -> elect(c, 1, 1, List.of(1, 2), 3_000));
        assertTrue(v.getMessage().contains("node1 became leader of term 1 at 3.0 ms although only node1, node2 voted for it in term 1;"
                + " it needs 3 of 5"), v.getMessage());
    }

    @Test
    void votesOfAnotherTermDoNotCount() {
        SafetyChecker c = new SafetyChecker(3);
        c.onChange(1_000, up(2, FOLLOWER, 0, null), up(2, FOLLOWER, 1, 1)); // node2 votes for node1 in term 1
        SafetyViolation v = violation(Rule.MAJORITY_TO_WIN,
                () -> c.onChange(2_000, up(1, CANDIDATE, 1, 1), up(1, LEADER, 2, 1))); // but node1 leads term 2
        assertTrue(v.getMessage().contains("although only node1 voted for it in term 2; it needs 2 of 3"), v.getMessage());
    }

    @Test
    void aLeaderNobodyVotedForIsCaught() {
        SafetyChecker c = new SafetyChecker(3);
        SafetyViolation v = violation(Rule.MAJORITY_TO_WIN, () -> c.onChange(0, null, up(3, LEADER, 1, null)));
        assertTrue(v.getMessage().contains("no server"), v.getMessage());
    }

    @Test
    void aServerThatIsDownIsNotChecked() {
        SafetyChecker c = new SafetyChecker(3);
        assertDoesNotThrow(() -> c.onChange(0, null, new NodeView(3, false, LEADER, 1, null)));
        assertEquals(Set.of(), c.votersFor(3, 1));
    }

    // ---- onDelivery: adopt a higher term -----------------------------------------------------

    @Test
    void handlingAHigherTermWithoutAdoptingItBreaksHigherTerm() {
        SafetyChecker c = new SafetyChecker(3);
        SafetyViolation v = violation(Rule.HIGHER_TERM,
                () -> c.onDelivery(12_300, "AppendEntries", 5, up(2, FOLLOWER, 3, null), up(2, FOLLOWER, 4, null)));
        assertTrue(v.getMessage().contains("node2 was Follower in term 3 and handled AppendEntries of term 5 at 12.3 ms,"
                + " but then was Follower in term 4"), v.getMessage());
    }

    @Test
    void aLeaderThatAdoptsTheTermButStaysLeaderBreaksHigherTerm() {
        SafetyChecker c = new SafetyChecker(3);
        SafetyViolation v = violation(Rule.HIGHER_TERM,
                () -> c.onDelivery(1_000, "RequestVote", 5, up(1, LEADER, 3, 1), up(1, LEADER, 5, null)));
        assertTrue(v.getMessage().contains("but then was Leader in term 5"), v.getMessage());
        violation(Rule.HIGHER_TERM, () -> c.onDelivery(1_000, "RequestVote", 5, up(1, CANDIDATE, 3, 1), up(1, CANDIDATE, 5, 1)));
    }

    @Test
    void legalDeliveriesPass() {
        SafetyChecker c = new SafetyChecker(3);
        assertDoesNotThrow(() -> {
            c.onDelivery(0, "AppendEntries", 5, up(1, LEADER, 3, 1), up(1, FOLLOWER, 5, null)); // steps down
            c.onDelivery(0, "RequestVote", 5, up(2, FOLLOWER, 3, null), up(2, FOLLOWER, 5, 3)); // adopts and votes
            c.onDelivery(0, "AppendEntries", 3, up(1, LEADER, 3, 1), up(1, LEADER, 3, 1)); // same term: nothing to adopt
            c.onDelivery(0, "AppendEntries", 2, up(1, LEADER, 3, 1), up(1, LEADER, 3, 1)); // stale: ignored
            c.onDelivery(0, "AppendEntries", 9, null, up(1, LEADER, 3, 1)); // no earlier view
            c.onDelivery(0, "AppendEntries", 9, up(1, LEADER, 3, 1), new NodeView(1, false, LEADER, 3, 1)); // went down
        });
    }
}
