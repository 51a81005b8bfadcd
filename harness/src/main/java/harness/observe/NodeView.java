package harness.observe;

import harness.api.Entry;
import harness.api.Role;

import java.util.List;

/**
 * What the harness sees of one server after each of its inputs: Figure 2's state. A crashed
 * server keeps the values it last showed, with {@code up} false. Before milestone 2 the log is
 * empty; before milestone 3 nothing is committed or applied.
 *
 * @param log         the server's log, from index {@code logStart} on
 * @param logStart    the index of the log's first entry (1 until snapshots, milestone 7)
 * @param commitIndex the highest index the server knows is committed
 * @param lastApplied the highest index the server has applied to its state machine
 */
public record NodeView(int id, boolean up, Role role, long term, Integer votedFor,
                       List<Entry> log, long logStart, long commitIndex, long lastApplied) {

    public NodeView {
        log = List.copyOf(log);
    }

    /** A server without a log (milestone 1). */
    public NodeView(int id, boolean up, Role role, long term, Integer votedFor) {
        this(id, up, role, term, votedFor, List.of(), 1, 0, 0);
    }

    public NodeView down() {
        return new NodeView(id, false, role, term, votedFor, log, logStart, commitIndex, lastApplied);
    }

    public boolean isLeader() {
        return up && role == Role.LEADER;
    }

    /** The index of the last entry of the log (logStart − 1 if the log is empty). */
    public long lastLogIndex() {
        return logStart + log.size() - 1;
    }

    /** The entry at {@code index}, or null if the log does not hold that index. */
    public Entry entryAt(long index) {
        return index >= logStart && index <= lastLogIndex() ? log.get((int) (index - logStart)) : null;
    }
}
