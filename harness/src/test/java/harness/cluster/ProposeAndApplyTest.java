package harness.cluster;

import harness.api.Entry;
import harness.api.Proposal;
import harness.api.Rule;
import harness.api.StateMachine;
import harness.check.SafetyViolation;
import harness.display.LogMatrix;
import harness.display.Show;
import harness.observe.NodeView;
import harness.observe.TraceEvent;
import harness.sim.SimulatedCluster;
import harness.testing.LogScripted;
import harness.testing.LogScripted.Step;
import harness.testing.Scripted;
import harness.testing.TestImplementation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static harness.api.Role.CANDIDATE;
import static harness.api.Role.FOLLOWER;
import static harness.api.Role.LEADER;
import static harness.testing.LogScripted.steps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proposals, applying and logs through a simulated cluster: {@link Cluster#propose}, {@link
 * harness.api.Environment#apply} with the checks and the state machine behind it, the log in {@link
 * Cluster#view}, and {@link Show#logRows}. {@link LogScripted} servers set the state.
 */
class ProposeAndApplyTest {

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    private static Entry e(long term, String command) {
        return new Entry(term, command);
    }

    private static final Entry A = e(1, "a");
    private static final Entry B = e(1, "b");

    /** node1 wins term 1 at 2 ms with the votes of 1 and 2; node3 stays a follower of term 0. */
    private static Map<Integer, List<Step>> elected() {
        return Map.of(
                1, steps(Step.at(1, CANDIDATE, 1, 1), Step.at(2, LEADER, 1, 1)),
                2, steps(Step.at(1, FOLLOWER, 1, 1)));
    }

    /**
     * As {@link #elected()}, and: node1 leads with log [a, b], commits both at 4 ms and applies
     * them; node2 gets [a, b] at 3 ms, learns at 5 ms that index 1 is committed and applies it.
     */
    private static Map<Integer, List<Step>> applying() {
        return Map.of(
                1, steps(Step.at(1, CANDIDATE, 1, 1), Step.at(2, LEADER, 1, 1).log(A, B),
                        Step.at(4, LEADER, 1, 1).commit(2).apply(1, 2)),
                2, steps(Step.at(1, FOLLOWER, 1, 1), Step.at(3, FOLLOWER, 1, 1).log(A, B),
                        Step.at(5, FOLLOWER, 1, 1).commit(1).apply(1)));
    }

    private static SimulatedCluster cluster(TestImplementation implementation) {
        return Cluster.builder().nodes(3).seed(1).implementation(implementation).simulated();
    }

    private static LogScripted server(TestImplementation implementation, int id, int incarnation) {
        return (LogScripted) implementation.created(id).get(incarnation);
    }

    private static List<TraceEvent.Applied> applied(Cluster c) {
        return c.trace().history().stream().filter(TraceEvent.Applied.class::isInstance).map(TraceEvent.Applied.class::cast).toList();
    }

    /** A state machine that records "machine:command" for each command it applies, and answers with the same. */
    private static final class Recording {
        final List<String> seen = new ArrayList<>();
        final AtomicInteger made = new AtomicInteger();

        StateMachine next() {
            int machine = made.incrementAndGet();
            return command -> {
                seen.add(machine + ":" + command);
                return "machine " + machine + " did " + command;
            };
        }
    }

    // ---- Proposals ---------------------------------------------------------------------------------

    @Test
    void aProposalGoesToTheServerAndReturnsItsAnswer() {
        TestImplementation impl = LogScripted.implementation(elected());
        SimulatedCluster c = cluster(impl);
        c.runFor(ms(5));
        assertEquals(1, c.awaitLeader(ms(1)));

        assertEquals(new Proposal.Accepted(1, 1), c.propose(1, "x"));
        assertEquals(new Proposal.Accepted(2, 1), c.propose("y"), "propose(command) goes to the leader");
        assertEquals(new Proposal.NotLeader(1), c.propose(2, "z"), "a follower names the leader it knows");
        assertEquals(new Proposal.NotLeader(null), c.propose(3, "z"));

        assertEquals(List.of(e(1, "x"), e(1, "y")), server(impl, 1, 0).log());
        assertEquals(List.of(e(1, "x"), e(1, "y")), c.view(1).log(), "the view shows the appended entries at once");
        assertEquals(List.of(), c.view(2).log());
        assertEquals(List.of(), c.view(3).log());
        assertEquals(ms(5), c.now(), "a proposal takes no simulated time");
    }

    @Test
    void aProposalIsAnInputTheCheckerSees() {
        // node2 holds (term 1, "a") at index 1; the leader accepting "x" at index 1 in term 1 breaks Log Matching
        TestImplementation impl = LogScripted.implementation(Map.of(
                1, steps(Step.at(1, CANDIDATE, 1, 1), Step.at(2, LEADER, 1, 1)),
                2, steps(Step.at(1, FOLLOWER, 1, 1).log(A))));
        SimulatedCluster c = cluster(impl);
        c.runFor(ms(5));
        SafetyViolation v = assertThrows(SafetyViolation.class, () -> c.propose(1, "x"));
        assertEquals(Rule.LOG_MATCHING, v.rule(), v.getMessage());
        assertTrue(v.getMessage().contains("node1 and node2 both hold an entry of term 1 at index 1, but differ at index 1:"
                + " (term 1, \"x\") against (term 1, \"a\") (at 5.0 ms)"), v.getMessage());
    }

    @Test
    void proposingWithoutALeaderFailsAndSaysToAwaitOne() {
        SimulatedCluster none = cluster(LogScripted.implementation(Map.of()));
        none.runFor(ms(5));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> none.propose("x"));
        assertTrue(e.getMessage().startsWith("no leader to propose \"x\" to at 5.0 ms; wait for one with awaitLeader\nnode "),
                e.getMessage());

        // a leader cut off from the majority is not a leader to propose to
        TestImplementation impl = LogScripted.implementation(elected());
        SimulatedCluster c = cluster(impl);
        c.runFor(ms(5));
        c.isolate(1);
        IllegalStateException cutOff = assertThrows(IllegalStateException.class, () -> c.propose("y"));
        assertTrue(cutOff.getMessage().contains("awaitLeader"), cutOff.getMessage());
        assertEquals(List.of(), c.view(1).log(), "nothing was proposed to anyone");
    }

    @Test
    void aProposalToADownServerFailsClearly() {
        TestImplementation impl = LogScripted.implementation(elected());
        SimulatedCluster c = cluster(impl);
        c.runFor(ms(5));
        c.crash(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.propose(2, "x"));
        assertEquals("node2 is down and cannot take a proposal", e.getMessage());

        c.crash(1);
        IllegalStateException noLeader = assertThrows(IllegalStateException.class, () -> c.propose("x"));
        assertTrue(noLeader.getMessage().startsWith("no leader to propose \"x\""), noLeader.getMessage());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> c.propose(7, "x"));
        assertTrue(unknown.getMessage().contains("there is no node7"), unknown.getMessage());
    }

    @Test
    void aServerWithoutALogFailsAProposalAsABugInItsCode() {
        // a milestone-1 server keeps RaftNode's default propose
        SimulatedCluster c = cluster(Scripted.implementation(Map.of()));
        NodeFailure f = assertThrows(NodeFailure.class, () -> c.propose(1, "x"));
        assertInstanceOf(UnsupportedOperationException.class, f.getCause());
        assertTrue(f.getMessage().startsWith("node1 threw java.lang.UnsupportedOperationException: this server takes no"
                + " proposals: the log and proposals start at milestone 2 (override propose in your Server)"
                + " while taking the proposal \"x\" at 0.0 ms: this is a bug in the server's code, thrown here:\n"
                + "    at harness.api.RaftNode.propose(RaftNode.java:"), f.getMessage());
    }

    // ---- Applying ----------------------------------------------------------------------------------

    @Test
    void applyRunsTheStateMachineAndIsTraced() {
        Recording machines = new Recording();
        TestImplementation impl = LogScripted.implementation(applying());
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(impl).stateMachine(machines::next).simulated();
        assertEquals(3, machines.made.get(), "one state machine per server at boot");
        c.runFor(ms(10));

        List<String> node1 = server(impl, 1, 0).answers();
        List<String> node2 = server(impl, 2, 0).answers();
        assertEquals(2, node1.size(), node1.toString());
        assertEquals(1, node2.size(), node2.toString());
        String m1 = node1.get(0).split(" ")[1];
        String m2 = node2.get(0).split(" ")[1];
        assertNotEquals(m1, m2, "each server has its own state machine");
        assertEquals(List.of("machine " + m1 + " did a", "machine " + m1 + " did b"), node1, "apply returns the state machine's answer");
        assertEquals(List.of("machine " + m2 + " did a"), node2);
        assertEquals(List.of(m1 + ":a", m1 + ":b", m2 + ":a"), machines.seen);

        assertEquals(List.of(new TraceEvent.Applied(4_000, 1, 1, "a"), new TraceEvent.Applied(4_000, 1, 2, "b"),
                new TraceEvent.Applied(5_000, 2, 1, "a")), applied(c));
        assertEquals("node1 applies #2 b", applied(c).get(1).describe());
    }

    @Test
    void theDefaultStateMachineIsACommandLog() {
        TestImplementation impl = LogScripted.implementation(applying());
        SimulatedCluster c = cluster(impl);
        c.runFor(ms(10));
        assertEquals(List.of("applied #1", "applied #2"), server(impl, 1, 0).answers());
        assertEquals(List.of("applied #1"), server(impl, 2, 0).answers());
    }

    @Test
    void applyingOutOfOrderStopsTheRun() {
        Recording machines = new Recording();
        TestImplementation impl = LogScripted.implementation(Map.of(
                1, steps(Step.at(1, CANDIDATE, 1, 1), Step.at(2, LEADER, 1, 1).log(A, B),
                        Step.at(4, LEADER, 1, 1).commit(2).apply(2)),
                2, steps(Step.at(1, FOLLOWER, 1, 1))));
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(impl).stateMachine(machines::next).simulated();
        SafetyViolation v = assertThrows(SafetyViolation.class, () -> c.runFor(ms(10)));
        assertEquals(Rule.APPLY_IN_ORDER, v.rule(), v.getMessage());
        assertTrue(v.getMessage().startsWith(Rule.APPLY_IN_ORDER.label() + " node1 applied index 2 at 4.0 ms after applying up to 0,"
                + " with commitIndex 2: entries are applied one by one, in order"), v.getMessage());
        assertEquals(ms(4), c.now(), "the run stops at the apply");
        assertEquals(List.of(), machines.seen, "the state machine never saw the refused entry");
        assertEquals(List.of(new TraceEvent.Applied(4_000, 1, 2, "b")), applied(c), "the refused apply is in the trace of the failure");
        assertEquals(0, c.view(1).lastApplied());
    }

    @Test
    void applyingBeyondCommitIndexStopsTheRun() {
        TestImplementation impl = LogScripted.implementation(Map.of(
                1, steps(Step.at(1, CANDIDATE, 1, 1), Step.at(2, LEADER, 1, 1).log(A, B),
                        Step.at(4, LEADER, 1, 1).commit(1).apply(1, 2)),
                2, steps(Step.at(1, FOLLOWER, 1, 1))));
        SimulatedCluster c = cluster(impl);
        SafetyViolation v = assertThrows(SafetyViolation.class, () -> c.runFor(ms(10)));
        assertEquals(Rule.APPLY_IN_ORDER, v.rule(), v.getMessage());
        assertTrue(v.getMessage().contains("node1 applied index 2 at 4.0 ms after applying up to 1, with commitIndex 1:"
                + " the entry is not known to be committed"), v.getMessage());
        assertEquals(List.of(new TraceEvent.Applied(4_000, 1, 1, "a"), new TraceEvent.Applied(4_000, 1, 2, "b")), applied(c),
                "index 1 was applied before; the refused index 2 is traced");
    }

    // ---- What the harness shows ----------------------------------------------------------------------

    @Test
    void theViewShowsTheLogCommitIndexAndLastApplied() {
        SimulatedCluster c = cluster(LogScripted.implementation(applying()));
        c.runFor(ms(10));
        assertEquals(new NodeView(1, true, LEADER, 1, 1, List.of(A, B), 1, 2, 2), c.view(1));
        assertEquals(new NodeView(2, true, FOLLOWER, 1, 1, List.of(A, B), 1, 1, 1), c.view(2));
        assertEquals(new NodeView(3, true, FOLLOWER, 0, null, List.of(), 1, 0, 0), c.view(3));
        assertEquals(2, c.view(1).lastLogIndex());
        assertEquals(B, c.view(1).entryAt(2));

        c.crash(2);
        assertEquals(new NodeView(2, false, FOLLOWER, 1, 1, List.of(A, B), 1, 1, 1), c.view(2), "a crashed server keeps its last view");
    }

    @Test
    void theViewShowsWhereTheLogStarts() {
        SimulatedCluster c = cluster(LogScripted.implementation(Map.of(
                2, steps(Step.at(1, FOLLOWER, 1, null).logFrom(3, e(1, "c"), e(1, "d")).commit(3)))));
        c.runFor(ms(5));
        NodeView v = c.view(2);
        assertEquals(3, v.logStart());
        assertEquals(4, v.lastLogIndex());
        assertEquals(e(1, "c"), v.entryAt(3));
        assertEquals(null, v.entryAt(2));
        assertEquals(3, v.commitIndex());
    }

    @Test
    void logRowsMatchTheLogs() {
        SimulatedCluster c = cluster(LogScripted.implementation(Map.of(
                1, steps(Step.at(1, CANDIDATE, 1, 1), Step.at(2, LEADER, 1, 1).log(A, B),
                        Step.at(4, LEADER, 1, 1).commit(2)),
                2, steps(Step.at(1, FOLLOWER, 1, 1), Step.at(3, FOLLOWER, 1, 1).log(A).commit(1)))));
        c.runFor(ms(3));
        c.propose(1, "c"); // node1 is leader of term 1 since 2 ms: it appends at index 3
        c.runFor(ms(5));
        assertEquals(List.of(
                new LogMatrix.Row(1, true, true, List.of(1L, 1L, 1L), 2),
                new LogMatrix.Row(2, true, false, List.of(1L), 1),
                new LogMatrix.Row(3, true, false, List.of(), 0)), Show.logRows(c));

        c.crash(1);
        assertEquals(new LogMatrix.Row(1, false, false, List.of(1L, 1L, 1L), 2), Show.logRows(c).get(0),
                "a crashed leader is shown down, not leading");
    }

    /**
     * A log that starts after index 1 (milestone 7, snapshots) must be drawn at its own indexes:
     * node2's entries are at indexes 3 and 4, so in the text matrix its terms stand under the
     * columns 3 and 4, not 1 and 2.
     */
    @Test
    void logRowsPlaceALogThatStartsLaterAtItsOwnIndexes() {
        SimulatedCluster c = cluster(LogScripted.implementation(Map.of(
                1, steps(Step.at(1, FOLLOWER, 1, null).log(e(1, "a"), e(1, "b"), e(1, "c"), e(2, "d"))),
                2, steps(Step.at(1, FOLLOWER, 1, null).logFrom(3, e(1, "c"), e(2, "d"))))));
        c.runFor(ms(5));
        String text = LogMatrix.text(Show.logRows(c));
        List<String> lines = text.lines().toList();
        String header = lines.get(0);
        String node2 = lines.stream().filter(l -> l.startsWith("node2")).findFirst().orElseThrow();
        int column3 = header.indexOf('3');
        int column4 = header.indexOf('4');
        assertTrue(node2.length() > column4, "node2's row reaches column 4:\n" + text);
        assertEquals('1', node2.charAt(column3), "index 3 holds an entry of term 1:\n" + text);
        assertEquals('2', node2.charAt(column4), "index 4 holds an entry of term 2:\n" + text);
    }

    // ---- Restarts ------------------------------------------------------------------------------------

    @Test
    void aRestartedServerStartsOverWithAFreshStateMachine() {
        Recording machines = new Recording();
        TestImplementation impl = LogScripted.implementation(applying());
        SimulatedCluster c = Cluster.builder().nodes(3).seed(1).implementation(impl).stateMachine(machines::next).simulated();
        c.runFor(ms(10));
        assertEquals(1, c.view(2).lastApplied());

        c.crash(2);
        assertEquals(1, c.view(2).lastApplied(), "down, it shows its last view");
        c.restart(2);
        NodeView restarted = c.view(2);
        assertTrue(restarted.up());
        assertEquals(0, restarted.lastApplied(), "lastApplied is volatile: 0 after a restart");
        assertEquals(4, machines.made.get(), "a fresh state machine for the new boot");

        // its script plays again from the restart: it applies index 1 again, legally, to the new machine
        c.runFor(ms(10));
        assertEquals(1, c.view(2).lastApplied());
        assertEquals(List.of("machine 4 did a"), server(impl, 2, 1).answers());
        assertEquals("4:a", machines.seen.get(machines.seen.size() - 1));
        assertEquals(new TraceEvent.Applied(15_000, 2, 1, "a"), applied(c).get(applied(c).size() - 1));
        assertEquals(2, c.view(1).lastApplied(), "the others keep theirs");
        assertFalse(machines.seen.stream().skip(3).anyMatch(s -> !s.startsWith("4:")), machines.seen.toString());
    }
}
