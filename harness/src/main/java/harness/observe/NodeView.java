package harness.observe;

import harness.api.Role;

/**
 * What the harness sees of one server after each of its inputs. A crashed server keeps the
 * values it last showed, with {@code up} false.
 */
public record NodeView(int id, boolean up, Role role, long term, Integer votedFor) {

    public NodeView down() {
        return new NodeView(id, false, role, term, votedFor);
    }

    public boolean isLeader() {
        return up && role == Role.LEADER;
    }
}
