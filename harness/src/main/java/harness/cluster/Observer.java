package harness.cluster;

import harness.api.Role;
import harness.check.SafetyChecker;
import harness.observe.NodeView;
import harness.observe.Trace;
import harness.observe.TraceEvent;
import harness.wire.MessageCodec;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Looks at a server after each of its inputs: turns what changed into trace events (a new role,
 * term or vote) and hands the change to the safety checker.
 *
 * <p>A new leader is traced with the votes it had counted. A candidate's vote count is private,
 * so the observer keeps its own from what the candidate was told: its vote for itself and every
 * granted RequestVoteReply of its term delivered to it while it stood. A vote cast for it whose
 * reply is still on the wire when it wins is not among them.
 */
final class Observer {

    /** The granted votes of {@code term} delivered to a candidate so far. */
    private record Received(long term, Set<Integer> voters) {
    }

    private final Map<Integer, NodeView> last = new HashMap<>();
    private final Map<Integer, Received> received = new HashMap<>();
    /** What each restarting server showed when it went down, until its first view after the restart. */
    private final Map<Integer, NodeView> beforeRestart = new HashMap<>();
    private final Trace trace;
    private final SafetyChecker checker;

    Observer(Trace trace, SafetyChecker checker) {
        this.trace = trace;
        this.checker = checker;
    }

    synchronized void observe(long time, NodeView after) {
        NodeView before = last.put(after.id(), after);
        if (after.equals(before)) {
            return;
        }
        try {
            checker.onChange(time, before, after);
        } finally {
            if (after.up()) {
                describeChange(time, before, after); // also when the change broke a property: the trace shows it
            }
        }
    }

    /**
     * A message is about to be handled by the server whose view was {@code receiver}: a granted
     * vote for it, as a candidate in the vote's term, is a vote it can count.
     */
    synchronized void delivering(Packet packet, NodeView receiver) {
        if (!packet.is("RequestVoteReply") || receiver == null || receiver.role() != Role.CANDIDATE
                || receiver.term() != packet.term()) {
            return;
        }
        Boolean granted = MessageCodec.booleanField(packet.bytes(), "vote_granted");
        if (granted == null) { // a reply without the field: the vote its sender was seen to cast decides
            granted = checker.votersFor(packet.to(), packet.term()).contains(packet.from());
        }
        if (!granted) {
            return;
        }
        Received tally = received.get(packet.to());
        if (tally == null || tally.term() != packet.term()) {
            tally = new Received(packet.term(), new TreeSet<>());
            received.put(packet.to(), tally);
        }
        tally.voters().add(packet.from());
    }

    /** The votes a server that just won {@code term} had counted: its own and the granted replies delivered to it. */
    private Set<Integer> votesCounted(NodeView winner) {
        Set<Integer> votes = new TreeSet<>();
        if (Objects.equals(winner.votedFor(), winner.id())) {
            votes.add(winner.id());
        }
        Received tally = received.get(winner.id());
        if (tally != null && tally.term() == winner.term()) {
            votes.addAll(tally.voters());
        }
        return votes;
    }

    private void describeChange(long time, NodeView before, NodeView after) {
        int id = after.id();
        NodeView whenDown = beforeRestart.remove(id);
        if (before == null && whenDown != null && whenDown.term() != after.term()) {
            // Until milestone 4 a restarted server forgets its term: say so, or timelines would
            // show it in its old term.
            trace.record(new TraceEvent.TermChanged(time, id, after.role(), whenDown.term(), after.term()));
        }
        boolean voteRestored = before == null && whenDown != null && whenDown.term() == after.term()
                && Objects.equals(whenDown.votedFor(), after.votedFor()); // from milestone 4: read back from disk
        boolean roleChanged = before == null ? after.role() != Role.FOLLOWER : before.role() != after.role();
        boolean termChanged = before != null && before.term() != after.term();
        if (roleChanged) {
            Role from = before == null ? Role.FOLLOWER : before.role();
            Set<Integer> votes = after.role() == Role.LEADER ? votesCounted(after) : Set.of();
            trace.record(new TraceEvent.RoleChanged(time, id, from, after.role(), after.term(), votes));
        } else if (termChanged) {
            trace.record(new TraceEvent.TermChanged(time, id, after.role(), before.term(), after.term()));
        }
        boolean newVote = after.votedFor() != null && !voteRestored
                && (before == null || before.term() != after.term() || !Objects.equals(before.votedFor(), after.votedFor()));
        if (newVote) {
            trace.record(new TraceEvent.Voted(time, id, after.term(), after.votedFor()));
        }
    }

    /** The server restarts with fresh state: its next view is a first boot, not a change. */
    synchronized void forget(int id) {
        received.remove(id); // the votes a candidate had counted were volatile
        NodeView v = last.remove(id);
        if (v != null) {
            beforeRestart.put(id, v);
        }
    }

    /** Records a crash: the server keeps its last view, marked down. */
    synchronized void down(int id) {
        received.remove(id);
        NodeView v = last.get(id);
        if (v != null) {
            last.put(id, v.down());
        }
        checker.down(id);
    }
}
