package harness.check;

import harness.api.Entry;
import harness.api.Role;
import harness.api.Rule;
import harness.observe.NodeView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static harness.api.Role.CANDIDATE;
import static harness.api.Role.FOLLOWER;
import static harness.api.Role.LEADER;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log properties of {@link SafetyChecker}: Leader Append-Only, Log Matching, commitIndex within
 * the log, committed entries that agree, Leader Completeness, and applying in order the same
 * command everywhere. Views are built by hand with the 9-argument {@link NodeView} constructor.
 */
class LogSafetyCheckerTest {

    // ---- Building views ------------------------------------------------------------------------

    private static Entry e(long term, String command) {
        return new Entry(term, command);
    }

    /** A running server with its log from index 1, nothing applied. */
    private static NodeView node(int id, Role role, long term, Integer votedFor, long commitIndex, Entry... log) {
        return new NodeView(id, true, role, term, votedFor, List.of(log), 1, commitIndex, 0);
    }

    private static NodeView leader(int id, long term, long commitIndex, Entry... log) {
        return node(id, LEADER, term, id, commitIndex, log);
    }

    private static NodeView follower(int id, long term, long commitIndex, Entry... log) {
        return node(id, FOLLOWER, term, null, commitIndex, log);
    }

    /** The same view, its log starting at {@code logStart} (the entries before it are in a snapshot). */
    private static NodeView from(long logStart, NodeView v) {
        return new NodeView(v.id(), v.up(), v.role(), v.term(), v.votedFor(), v.log(), logStart, v.commitIndex(), v.lastApplied());
    }

    /** A log whose entries have these terms; an entry's command names its index and term, as in Figure 7. */
    private static Entry[] terms(long... terms) {
        Entry[] log = new Entry[terms.length];
        for (int i = 0; i < terms.length; i++) {
            log[i] = e(terms[i], "x" + (i + 1) + "t" + terms[i]);
        }
        return log;
    }

    /** {@code voters} vote for {@code candidate} in {@code term}, their logs empty. */
    private static void votes(SafetyChecker c, long time, long term, int candidate, int... voters) {
        for (int voter : voters) {
            c.onChange(time, null, node(voter, FOLLOWER, term, candidate, 0));
        }
    }

    /** {@code v} becomes leader of its term with its own vote and that of {@code voter}. */
    private static void elect(SafetyChecker c, long time, NodeView v, int voter) {
        votes(c, time, v.term(), v.id(), voter);
        c.onChange(time, null, v);
    }

    private static SafetyViolation violation(Rule rule, Executable step) {
        SafetyViolation v = assertThrows(SafetyViolation.class, step);
        assertEquals(rule, v.rule(), v.getMessage());
        assertTrue(v.getMessage().startsWith(rule.label() + " "), v.getMessage());
        assertTrue(v.getMessage().endsWith("\n  The rule: " + rule.statement() + "."), v.getMessage());
        return v;
    }

    private static void assertMessage(Rule rule, String whatHappened, SafetyViolation v) {
        assertEquals(rule.violated(whatHappened), v.getMessage());
    }

    // ---- Leader Append-Only ----------------------------------------------------------------------

    @Test
    void aLeaderThatOverwritesItsOwnEntryBreaksLeaderAppendOnly() {
        SafetyChecker c = new SafetyChecker(3);
        NodeView before = leader(1, 2, 0, e(1, "a"), e(2, "b"));
        elect(c, 1_000, before, 3);
        SafetyViolation v = violation(Rule.LEADER_APPEND_ONLY,
                () -> c.onChange(5_000, before, leader(1, 2, 0, e(1, "a"), e(2, "c"))));
        assertMessage(Rule.LEADER_APPEND_ONLY,
                "node1, leader of term 2, changed its own entry at index 2 from (term 2, \"b\") to (term 2, \"c\") at 5.0 ms", v);
    }

    @Test
    void aLeaderThatDeletesEntriesBreaksLeaderAppendOnly() {
        SafetyChecker c = new SafetyChecker(3);
        NodeView before = leader(2, 3, 0, e(1, "a"), e(3, "b"), e(3, "c"));
        SafetyViolation v = violation(Rule.LEADER_APPEND_ONLY, () -> c.onChange(7_000, before, leader(2, 3, 0, e(1, "a"))));
        assertMessage(Rule.LEADER_APPEND_ONLY,
                "node2, leader of term 3, changed its own entry at index 2 from (term 3, \"b\") to nothing at 7.0 ms", v);
        SafetyViolation emptied = violation(Rule.LEADER_APPEND_ONLY, () -> c.onChange(8_000, before, leader(2, 3, 0)));
        assertTrue(emptied.getMessage().contains("changed its own entry at index 1 from (term 1, \"a\") to nothing"), emptied.getMessage());
    }

    @Test
    void aLeaderThatOnlyAppendsAndCompactsIsFine() {
        SafetyChecker c = new SafetyChecker(3);
        NodeView one = leader(1, 2, 0, e(1, "a"));
        NodeView two = leader(1, 2, 0, e(1, "a"), e(2, "b"));
        NodeView three = leader(1, 2, 2, e(1, "a"), e(2, "b"), e(2, "c"));
        // a snapshot discards a prefix: not a deletion of entries (milestone 7)
        NodeView compacted = from(3, leader(1, 2, 3, e(2, "c"), e(2, "d")));
        assertDoesNotThrow(() -> {
            elect(c, 1_000, one, 2);
            c.onChange(2_000, one, two);
            c.onChange(3_000, two, three);
            c.onChange(4_000, three, compacted);
        });
    }

    @Test
    void aServerThatNoLongerLeadsMayLoseEntries() {
        // only a leader, within its term, is bound by Leader Append-Only; a follower's conflicting
        // suffix is overwritten by the next leader (§5.3)
        SafetyChecker c = new SafetyChecker(3);
        NodeView leading = leader(1, 2, 0, e(1, "a"), e(2, "b"));
        NodeView deposed = node(1, FOLLOWER, 3, null, 0, e(1, "a"));
        NodeView overwritten = node(1, FOLLOWER, 3, null, 0, e(1, "a"), e(3, "c"));
        assertDoesNotThrow(() -> {
            elect(c, 1_000, leading, 2);
            c.onChange(2_000, leading, deposed);
            c.onChange(3_000, deposed, overwritten);
        });
    }

    // ---- Log Matching ------------------------------------------------------------------------------

    @Test
    void logsThatAgreeOnAnEntryButDifferBeforeItBreakLogMatching() {
        SafetyChecker c = new SafetyChecker(3);
        c.onChange(1_000, null, follower(1, 2, 0, e(1, "a"), e(1, "b"), e(2, "c")));
        SafetyViolation v = violation(Rule.LOG_MATCHING,
                () -> c.onChange(3_000, null, follower(2, 2, 0, e(1, "a"), e(1, "x"), e(2, "c"))));
        assertMessage(Rule.LOG_MATCHING, "node2 and node1 both hold an entry of term 2 at index 3, but differ at index 2:"
                + " (term 1, \"x\") against (term 1, \"b\") (at 3.0 ms)", v);
    }

    @Test
    void entriesOfTheSameIndexAndTermWithDifferentCommandsBreakLogMatching() {
        SafetyChecker c = new SafetyChecker(3);
        c.onChange(1_000, null, follower(1, 1, 0, e(1, "a"), e(1, "b")));
        SafetyViolation v = violation(Rule.LOG_MATCHING, () -> c.onChange(2_000, null, follower(3, 1, 0, e(1, "a"), e(1, "z"))));
        assertMessage(Rule.LOG_MATCHING, "node3 and node1 both hold an entry of term 1 at index 2, but differ at index 2:"
                + " (term 1, \"z\") against (term 1, \"b\") (at 2.0 ms)", v);
    }

    @Test
    void logMatchingIsCheckedWhenALogChangesNotOnlyAtBoot() {
        SafetyChecker c = new SafetyChecker(3);
        NodeView node2 = follower(2, 1, 0, e(1, "a"));
        c.onChange(1_000, null, follower(1, 1, 0, e(1, "a"), e(1, "b")));
        c.onChange(1_000, null, node2);
        SafetyViolation v = violation(Rule.LOG_MATCHING, () -> c.onChange(2_000, node2, follower(2, 1, 0, e(1, "a"), e(1, "q"))));
        assertTrue(v.getMessage().contains("node2 and node1 both hold an entry of term 1 at index 2, but differ at index 2"), v.getMessage());
    }

    @Test
    void logMatchingComparesOnlyIndexesBothLogsHold() {
        SafetyChecker c = new SafetyChecker(3);
        // node1 compacted indexes 1 and 2 into a snapshot; its log holds indexes 3 and 4
        c.onChange(1_000, null, from(3, follower(1, 2, 0, e(1, "c"), e(2, "d"))));
        // node2 differs only at index 2, which node1 no longer holds: nothing to compare there
        assertDoesNotThrow(() -> c.onChange(2_000, null, follower(2, 2, 0, e(1, "a"), e(1, "other"), e(1, "c"), e(2, "d"))));
        // node3 differs at index 3, which both hold, below their common entry of term 2 at index 4
        SafetyViolation v = violation(Rule.LOG_MATCHING,
                () -> c.onChange(3_000, null, follower(3, 2, 0, e(1, "a"), e(1, "other"), e(1, "C"), e(2, "d"))));
        assertTrue(v.getMessage().contains("node3 and node1 both hold an entry of term 2 at index 4, but differ at index 3:"
                + " (term 1, \"C\") against (term 1, \"c\")"), v.getMessage());
    }

    @Test
    void aServerThatIsDownTakesNoPartInLogMatchingUntilItIsBack() {
        SafetyChecker c = new SafetyChecker(3);
        NodeView node1 = follower(1, 1, 0, e(1, "a"));
        c.onChange(1_000, null, node1);
        c.onChange(2_000, node1, node1.down()); // a down view is not recorded...
        c.down(1); // ...and down(id) forgets the server's log
        assertDoesNotThrow(() -> c.onChange(3_000, null, follower(2, 1, 0, e(1, "b"))));
        // node1 boots again with its old log: now the two logs are compared again
        SafetyViolation v = violation(Rule.LOG_MATCHING, () -> c.onChange(4_000, null, node1));
        assertTrue(v.getMessage().contains("node1 and node2 both hold an entry of term 1 at index 1, but differ at index 1:"
                + " (term 1, \"a\") against (term 1, \"b\")"), v.getMessage());
    }

    @Test
    void withoutDownTheSameLogsBreakLogMatching() {
        // the control for the test above: without down(1), node1's log takes part
        SafetyChecker c = new SafetyChecker(3);
        c.onChange(1_000, null, follower(1, 1, 0, e(1, "a")));
        violation(Rule.LOG_MATCHING, () -> c.onChange(3_000, null, follower(2, 1, 0, e(1, "b"))));
    }

    // ---- commitIndex within the log --------------------------------------------------------------

    @Test
    void aCommitIndexPastTheEndOfTheLogBreaksCommitWithinLog() {
        SafetyChecker c = new SafetyChecker(3);
        SafetyViolation v = violation(Rule.COMMIT_WITHIN_LOG, () -> c.onChange(1_000, null, follower(2, 1, 2, e(1, "a"))));
        assertMessage(Rule.COMMIT_WITHIN_LOG, "node2 set commitIndex to 2 at 1.0 ms, but its log ends at index 1", v);
        SafetyViolation empty = violation(Rule.COMMIT_WITHIN_LOG, () -> c.onChange(2_000, null, follower(3, 1, 1)));
        assertTrue(empty.getMessage().contains("node3 set commitIndex to 1 at 2.0 ms, but its log ends at index 0"), empty.getMessage());
    }

    @Test
    void aCommitIndexWithinTheLogOrItsSnapshotIsFine() {
        SafetyChecker c = new SafetyChecker(3);
        assertDoesNotThrow(() -> {
            c.onChange(1_000, null, follower(1, 1, 2, e(1, "a"), e(1, "b"), e(1, "c")));
            c.onChange(1_000, null, from(4, follower(2, 1, 3))); // everything up to 3 in a snapshot, nothing after
        });
        SafetyViolation v = violation(Rule.COMMIT_WITHIN_LOG, () -> c.onChange(2_000, null, from(4, follower(3, 1, 4))));
        assertTrue(v.getMessage().contains("node3 set commitIndex to 4 at 2.0 ms, but its log ends at index 3"), v.getMessage());
    }

    @Test
    void aCommitIndexThatGoesDownBreaksCommitMonotonicUntilARestart() {
        SafetyChecker c = new SafetyChecker(3);
        NodeView three = follower(2, 1, 3, e(1, "a"), e(1, "b"), e(1, "c"));
        c.onChange(1_000, null, three);
        SafetyViolation v = violation(Rule.COMMIT_MONOTONIC, () -> c.onChange(2_000, three, follower(2, 1, 2, e(1, "a"), e(1, "b"), e(1, "c"))));
        assertMessage(Rule.COMMIT_MONOTONIC, "node2's commitIndex went down from 3 to 2 at 2.0 ms (a leaderCommit or a match older"
                + " than what it already knew?)", v);
        assertDoesNotThrow(() -> c.onChange(3_000, null, follower(2, 1, 0, e(1, "a"), e(1, "b"), e(1, "c"))), "a restart starts again from 0");
    }

    @Test
    void applyingPastCommitIndexBreaksCommitMonotonic() {
        SafetyChecker c = new SafetyChecker(3);
        NodeView ahead = new NodeView(2, true, FOLLOWER, 1, null, List.of(e(1, "a"), e(1, "b")), 1, 1, 2);
        SafetyViolation v = violation(Rule.COMMIT_MONOTONIC, () -> c.onChange(1_000, null, ahead));
        assertMessage(Rule.COMMIT_MONOTONIC, "node2 has applied up to 2 but its commitIndex is 1 at 1.0 ms", v);
    }

    // ---- Committed entries agree -----------------------------------------------------------------

    @Test
    void serversCountingDifferentEntriesAsCommittedBreakStateMachineSafety() {
        SafetyChecker c = new SafetyChecker(3);
        c.onChange(1_000, null, follower(1, 1, 1, e(1, "a")));
        SafetyViolation v = violation(Rule.STATE_MACHINE_SAFETY, () -> c.onChange(2_000, null, follower(2, 2, 1, e(2, "b"))));
        assertMessage(Rule.STATE_MACHINE_SAFETY,
                "node2 counts (term 2, \"b\") as committed at index 1 at 2.0 ms, but node1 committed (term 1, \"a\") there", v);
    }

    @Test
    void whatWasCommittedIsRememberedAfterItsServerGoesDown() {
        SafetyChecker c = new SafetyChecker(3);
        c.onChange(1_000, null, follower(1, 1, 2, e(1, "a"), e(1, "b")));
        c.down(1);
        assertDoesNotThrow(() -> c.onChange(2_000, null, follower(2, 2, 0, e(1, "a"), e(2, "x")))); // not committed: fine
        SafetyViolation v = violation(Rule.STATE_MACHINE_SAFETY, () -> c.onChange(3_000, null, follower(3, 2, 2, e(1, "a"), e(2, "x"))));
        assertTrue(v.getMessage().contains("node3 counts (term 2, \"x\") as committed at index 2 at 3.0 ms,"
                + " but node1 committed (term 1, \"b\") there"), v.getMessage());
    }

    @Test
    void serversCommittingTheSameEntriesAtTheirOwnPaceIsFine() {
        SafetyChecker c = new SafetyChecker(3);
        assertDoesNotThrow(() -> {
            elect(c, 1_000, leader(1, 1, 3, e(1, "a"), e(1, "b"), e(1, "c"), e(1, "d")), 2);
            c.onChange(2_000, null, follower(2, 1, 1, e(1, "a"), e(1, "b")));
            c.onChange(3_000, null, follower(3, 1, 3, e(1, "a"), e(1, "b"), e(1, "c")));
        });
    }

    // ---- Leader Completeness -----------------------------------------------------------------------

    /** Three servers: node1 leads term 1 with the votes of 1 and 2 and has committed "a" and "b". */
    private static SafetyChecker committedInTermOne() {
        SafetyChecker c = new SafetyChecker(3);
        votes(c, 1_000, 1, 1, 2);
        c.onChange(1_000, node(1, CANDIDATE, 1, 1, 0), leader(1, 1, 2, e(1, "a"), e(1, "b")));
        return c;
    }

    @Test
    void aNewLeaderWithoutACommittedEntryBreaksLeaderCompleteness() {
        SafetyChecker c = committedInTermOne();
        votes(c, 5_000, 2, 3, 2, 3);
        SafetyViolation v = violation(Rule.LEADER_COMPLETENESS,
                () -> c.onChange(5_000, node(3, CANDIDATE, 2, 3, 0, e(1, "a")), leader(3, 2, 0, e(1, "a"))));
        assertMessage(Rule.LEADER_COMPLETENESS, "node3 became leader of term 2 at 5.0 ms without the committed entry"
                + " (term 1, \"b\") at index 2 (its log ends at 1)", v);
    }

    @Test
    void aNewLeaderHoldingAnotherEntryWhereOneWasCommittedBreaksLeaderCompleteness() {
        SafetyChecker c = committedInTermOne();
        votes(c, 5_000, 3, 3, 2, 3);
        // node3 holds an uncommitted entry of a term-2 leader at index 2, and becomes leader of term 3
        SafetyViolation v = violation(Rule.LEADER_COMPLETENESS,
                () -> c.onChange(5_000, node(3, CANDIDATE, 3, 3, 0, e(1, "a"), e(2, "z")), leader(3, 3, 0, e(1, "a"), e(2, "z"))));
        assertTrue(v.getMessage().contains("node3 became leader of term 3 at 5.0 ms without the committed entry (term 1, \"b\")"
                + " at index 2; it holds (term 2, \"z\")"), v.getMessage());
    }

    @Test
    void aNewLeaderHoldingEveryCommittedEntryIsFine() {
        SafetyChecker c = committedInTermOne();
        votes(c, 5_000, 2, 3, 2, 3);
        assertDoesNotThrow(() -> c.onChange(5_000, node(3, CANDIDATE, 2, 3, 0, e(1, "a"), e(1, "b"), e(1, "c")),
                leader(3, 2, 0, e(1, "a"), e(1, "b"), e(1, "c"))));
    }

    @Test
    void committedEntriesCompactedIntoTheNewLeadersSnapshotAreSkipped() {
        SafetyChecker c = committedInTermOne();
        votes(c, 5_000, 2, 3, 2, 3);
        // node3's log starts at 3: indexes 1 and 2 are in its snapshot, committed by construction
        assertDoesNotThrow(() -> c.onChange(5_000, from(3, node(3, CANDIDATE, 2, 3, 2)), from(3, leader(3, 2, 2, e(2, "c")))));

        SafetyChecker c2 = committedInTermOne();
        votes(c2, 5_000, 2, 3, 2, 3);
        // the control: a log starting at 2 still has to hold the committed entry at index 2
        SafetyViolation v = violation(Rule.LEADER_COMPLETENESS,
                () -> c2.onChange(5_000, from(2, node(3, CANDIDATE, 2, 3, 1)), from(2, leader(3, 2, 1))));
        assertTrue(v.getMessage().contains("without the committed entry (term 1, \"b\") at index 2 (its log ends at 1)"), v.getMessage());
    }

    @Test
    void leaderCompletenessIsCheckedOnlyWhenALeaderIsElected() {
        // a follower missing committed entries is normal: it catches up from the leader
        SafetyChecker c = committedInTermOne();
        assertDoesNotThrow(() -> c.onChange(5_000, null, follower(3, 1, 0)));
    }

    /**
     * Leader Completeness binds the leaders of terms <em>higher</em> than the one in which an
     * entry was committed (§5.4, Figure 3). A candidate of term 2 that was cut off, whose vote
     * replies arrive late, may win term 2 after the leader of term 3 has committed entries it
     * never saw: legal Raft (its term is stale; it will step down when it hears of term 3).
     */
    @Test
    void aLateLeaderOfAnEarlierTermNeedNotHoldEntriesCommittedInALaterTerm() {
        SafetyChecker c = new SafetyChecker(5);
        // term 1: node1 leads with the votes of 1, 2, 3 and gives "a" to node2 only
        votes(c, 1_000, 1, 1, 1, 2, 3);
        c.onChange(1_000, node(1, CANDIDATE, 1, 1, 0), leader(1, 1, 0, e(1, "a")));
        c.onChange(1_500, null, node(2, FOLLOWER, 1, 1, 0, e(1, "a")));
        // term 2: node4 (empty log) asks 3 and 5 for their votes and gets them (node3's log is empty too)
        votes(c, 2_000, 2, 4, 3, 4, 5);
        NodeView candidate4 = node(4, CANDIDATE, 2, 4, 0);
        c.onChange(2_000, null, candidate4);
        // term 3: node1 wins with 1, 2, 3, replicates a term-3 entry to 2 and 3 and commits both entries
        c.onChange(3_000, null, node(3, FOLLOWER, 3, 1, 0));
        c.onChange(3_000, null, node(2, FOLLOWER, 3, 1, 0, e(1, "a")));
        c.onChange(3_000, leader(1, 1, 0, e(1, "a")), node(1, CANDIDATE, 3, 1, 0, e(1, "a")));
        c.onChange(3_000, node(1, CANDIDATE, 3, 1, 0, e(1, "a")), leader(1, 3, 0, e(1, "a"), e(3, "b")));
        c.onChange(3_500, null, node(2, FOLLOWER, 3, 1, 0, e(1, "a"), e(3, "b")));
        c.onChange(3_500, null, node(3, FOLLOWER, 3, 1, 0, e(1, "a"), e(3, "b")));
        c.onChange(4_000, leader(1, 3, 0, e(1, "a"), e(3, "b")), leader(1, 3, 2, e(1, "a"), e(3, "b")));
        // node4, still in term 2, now receives the late vote replies of term 2 and becomes its leader
        assertDoesNotThrow(() -> c.onChange(5_000, candidate4, leader(4, 2, 0)),
                "a leader of term 2 need not hold entries committed in term 3");
        assertEquals(Set.of(3, 4, 5), c.votersFor(4, 2));
    }

    // ---- Applying ----------------------------------------------------------------------------------

    @Test
    void applyingInOrderTheSameCommandsEverywhereIsFine() {
        SafetyChecker c = new SafetyChecker(3);
        assertDoesNotThrow(() -> {
            c.onApply(1_000, 1, 1, "a", 0, 2);
            c.onApply(1_000, 1, 2, "b", 1, 2);
            c.onApply(2_000, 2, 1, "a", 0, 1); // another server, later, the same command: fine
            c.onApply(3_000, 1, 3, "c", 2, 3);
            c.onApply(4_000, 2, 2, "b", 1, 3);
            c.onApply(4_000, 2, 3, "c", 2, 3);
            c.onApply(9_000, 1, 1, "a", 0, 3); // node1 restarted: a fresh state machine applies from 1 again
        });
    }

    @Test
    void applyingOutOfOrderBreaksApplyInOrder() {
        SafetyChecker c = new SafetyChecker(3);
        SafetyViolation v = violation(Rule.APPLY_IN_ORDER, () -> c.onApply(2_500, 1, 2, "b", 0, 2));
        assertMessage(Rule.APPLY_IN_ORDER, "node1 applied index 2 at 2.5 ms after applying up to 0, with commitIndex 2:"
                + " entries are applied one by one, in order", v);
    }

    @Test
    void skippingAnIndexBreaksApplyInOrder() {
        SafetyChecker c = new SafetyChecker(3);
        c.onApply(1_000, 3, 1, "a", 0, 3);
        SafetyViolation v = violation(Rule.APPLY_IN_ORDER, () -> c.onApply(2_000, 3, 3, "c", 1, 3));
        assertTrue(v.getMessage().contains("node3 applied index 3 at 2.0 ms after applying up to 1, with commitIndex 3:"
                + " entries are applied one by one, in order"), v.getMessage());
    }

    @Test
    void applyingAnIndexTwiceBreaksApplyInOrder() {
        SafetyChecker c = new SafetyChecker(3);
        c.onApply(1_000, 2, 1, "a", 0, 2);
        SafetyViolation v = violation(Rule.APPLY_IN_ORDER, () -> c.onApply(2_000, 2, 1, "a", 1, 2));
        assertTrue(v.getMessage().contains("node2 applied index 1 at 2.0 ms after applying up to 1"), v.getMessage());
    }

    @Test
    void applyingBeyondCommitIndexBreaksApplyInOrder() {
        SafetyChecker c = new SafetyChecker(3);
        c.onApply(1_000, 2, 1, "a", 0, 1);
        SafetyViolation v = violation(Rule.APPLY_IN_ORDER, () -> c.onApply(2_000, 2, 2, "b", 1, 1));
        assertMessage(Rule.APPLY_IN_ORDER, "node2 applied index 2 at 2.0 ms after applying up to 1, with commitIndex 1:"
                + " the entry is not known to be committed", v);
        SafetyViolation none = violation(Rule.APPLY_IN_ORDER, () -> new SafetyChecker(3).onApply(0, 1, 1, "a", 0, 0));
        assertTrue(none.getMessage().endsWith("with commitIndex 0: the entry is not known to be committed\n  The rule: "
                + Rule.APPLY_IN_ORDER.statement() + "."), none.getMessage());
    }

    @Test
    void twoServersApplyingDifferentCommandsAtOneIndexBreakStateMachineSafety() {
        SafetyChecker c = new SafetyChecker(3);
        c.onApply(1_000, 1, 1, "a", 0, 1);
        SafetyViolation v = violation(Rule.STATE_MACHINE_SAFETY, () -> c.onApply(2_000, 2, 1, "b", 0, 1));
        assertMessage(Rule.STATE_MACHINE_SAFETY, "node2 applied \"b\" at index 1 at 2.0 ms, but node1 applied \"a\" there", v);
    }

    @Test
    void aServerReapplyingADifferentCommandAfterARestartBreaksStateMachineSafety() {
        SafetyChecker c = new SafetyChecker(3);
        c.onApply(1_000, 1, 1, "a", 0, 1);
        SafetyViolation v = violation(Rule.STATE_MACHINE_SAFETY, () -> c.onApply(9_000, 1, 1, "z", 0, 1));
        assertTrue(v.getMessage().contains("node1 applied \"z\" at index 1 at 9.0 ms, but node1 applied \"a\" there"), v.getMessage());
    }

    // ---- A legal history: Figure 7 -------------------------------------------------------------------

    /**
     * Figure 7 of the paper: the leader of term 8 (node1) and six followers (a)–(f) as nodes 2–7,
     * with logs shorter than the leader's, longer, or with divergent uncommitted suffixes of other
     * terms. Then the leader brings every follower's log in line with its own, appends an entry of
     * its term, commits, and everyone applies everything. Nothing of this breaks a rule.
     */
    @Test
    void figureSevenAndItsRepairAreLegal() {
        Entry[] leaderLog = terms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6);
        List<Entry[]> followers = List.of(
                terms(1, 1, 1, 4, 4, 5, 5, 6, 6),          // (a) missing an entry
                terms(1, 1, 1, 4),                          // (b) missing many
                terms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6),     // (c) an extra uncommitted entry of term 6
                terms(1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7),  // (d) extra entries of term 7
                terms(1, 1, 1, 4, 4, 4, 4),                 // (e) a divergent suffix of term 4
                terms(1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3));    // (f) a divergent suffix of terms 2 and 3
        long[] commitIndexes = {9, 3, 9, 10, 3, 3};
        SafetyChecker c = new SafetyChecker(7);
        List<NodeView> views = new ArrayList<>();
        assertDoesNotThrow(() -> {
            for (int i = 0; i < followers.size(); i++) {
                int id = i + 2;
                boolean votes = id == 2 || id == 3 || id == 6; // (a), (b) and (e) vote for node1 in term 8
                NodeView v = node(id, FOLLOWER, 8, votes ? 1 : null, commitIndexes[i], followers.get(i));
                c.onChange(1_000, null, v);
                views.add(v);
            }
            NodeView candidate = node(1, CANDIDATE, 8, 1, 9, leaderLog);
            c.onChange(1_000, null, candidate);
            NodeView elected = leader(1, 8, 9, leaderLog);
            c.onChange(2_000, candidate, elected);

            // the leader appends an entry of term 8 and brings every follower in line (§5.3)
            List<Entry> full = new ArrayList<>(List.of(leaderLog));
            full.add(e(8, "x11t8"));
            Entry[] fullLog = full.toArray(Entry[]::new);
            NodeView appended = leader(1, 8, 9, fullLog);
            c.onChange(3_000, elected, appended);
            for (NodeView before : views) {
                NodeView repaired = node(before.id(), FOLLOWER, 8, before.votedFor(), before.commitIndex(), fullLog);
                c.onChange(4_000, before, repaired);
                c.onChange(5_000, repaired, node(before.id(), FOLLOWER, 8, before.votedFor(), 11, fullLog));
            }
            c.onChange(5_000, appended, leader(1, 8, 11, fullLog));
            for (int id = 1; id <= 7; id++) {
                for (int index = 1; index <= 11; index++) {
                    c.onApply(6_000, id, index, fullLog[index - 1].command(), index - 1, 11);
                }
            }
        });
        assertEquals(Set.of(1, 2, 3, 6), c.votersFor(1, 8));
    }
}
