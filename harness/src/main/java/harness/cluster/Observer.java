package harness.cluster;

import harness.api.Role;
import harness.check.SafetyChecker;
import harness.observe.NodeView;
import harness.observe.Trace;
import harness.observe.TraceEvent;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Looks at a server after each of its inputs: turns what changed into trace events (a new role,
 * term or vote) and hands the change to the safety checker.
 */
final class Observer {

    private final Map<Integer, NodeView> last = new HashMap<>();
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
            trace.record(new TraceEvent.RoleChanged(time, id, from, after.role(), after.term(), checker.votersFor(id, after.term())));
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
        NodeView v = last.remove(id);
        if (v != null) {
            beforeRestart.put(id, v);
        }
    }

    /** Records a crash: the server keeps its last view, marked down. */
    synchronized void down(int id) {
        NodeView v = last.get(id);
        if (v != null) {
            last.put(id, v.down());
        }
        checker.down(id);
    }
}
