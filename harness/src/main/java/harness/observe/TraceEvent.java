package harness.observe;

import harness.api.Role;
import harness.cluster.Network;
import harness.cluster.Packet;

import java.util.Set;
import java.util.stream.Collectors;

/** One thing that happened in a run, at a time on the run's clock (microseconds). */
public sealed interface TraceEvent {

    long timeMicros();

    /** The event in a line, without the time. */
    String describe();

    /** The server (or client) the event is about, or 0 for the network and the scenario. */
    int node();

    /** "node3" or "client1". */
    private static String nameOf(int id) {
        return harness.api.ClientConfig.name(id);
    }

    /** The time and the event, as trace listings print them. */
    default String line() {
        return Time.column(timeMicros()) + "  " + describe();
    }

    record Sent(long timeMicros, Packet packet, Network.Outcome outcome) implements TraceEvent {
        public int node() { return packet.from(); }
        public String describe() {
            String fate = switch (outcome) {
                case DELIVER -> "";
                case LOST_TO_PARTITION -> "   (lost: no link)";
                case LOST_TO_RULE -> "   (dropped by a fault rule)";
                case LOST_AT_RANDOM -> "   (lost)";
                case HELD -> "   (held back)";
            };
            return nameOf(packet.from()) + " → " + nameOf(packet.to()) + "  " + packet.type() + " " + packet.json() + fate;
        }
    }

    record Delivered(long timeMicros, Packet packet) implements TraceEvent {
        public int node() { return packet.to(); }
        public String describe() {
            return nameOf(packet.to()) + " ← " + nameOf(packet.from()) + "  " + packet.type() + " #" + packet.id();
        }
    }

    record Lost(long timeMicros, Packet packet, String reason) implements TraceEvent {
        public int node() { return packet.to(); }
        public String describe() {
            return nameOf(packet.to()) + " ✗ " + nameOf(packet.from()) + "  " + packet.type() + " #" + packet.id() + " lost: " + reason;
        }
    }

    record TimerFired(long timeMicros, int node, String name) implements TraceEvent {
        public String describe() {
            return nameOf(node) + " timer " + name;
        }
    }

    /**
     * A server's role changed. For a new leader, {@code votes} are the votes it had counted: its
     * own and the granted RequestVoteReplies of its term delivered to it before it won (votes cast
     * for it but still on the wire are not among them); empty for other changes.
     */
    record RoleChanged(long timeMicros, int node, Role from, Role to, long term, Set<Integer> votes) implements TraceEvent {
        public String describe() {
            String s = "node" + node + " " + from.title() + " → " + to.title() + " in term " + term;
            if (to == Role.LEADER) {
                s += " with votes from " + votes.stream().map(v -> "node" + v).collect(Collectors.joining(", "));
            }
            return s;
        }
    }

    record TermChanged(long timeMicros, int node, Role role, long from, long to) implements TraceEvent {
        public String describe() {
            return "node" + node + " " + role.title() + " term " + from + " → " + to;
        }
    }

    record Voted(long timeMicros, int node, long term, int candidate) implements TraceEvent {
        public String describe() {
            return "node" + node + " votes for node" + candidate + " in term " + term;
        }
    }

    record Applied(long timeMicros, int node, long index, String command) implements TraceEvent {
        public String describe() {
            return "node" + node + " applies #" + index + " " + command;
        }
    }

    record Crashed(long timeMicros, int node) implements TraceEvent {
        public String describe() {
            return "node" + node + " crashes";
        }
    }

    record Restarted(long timeMicros, int node) implements TraceEvent {
        public String describe() {
            return "node" + node + " restarts";
        }
    }

    /** The connectivity or the conditions of the network changed. */
    record NetworkChanged(long timeMicros, String description) implements TraceEvent {
        public int node() { return 0; }
        public String describe() {
            return "network: " + description;
        }
    }

    /** A remark: a server's {@code Environment.log}, or a scenario's own narration (node 0). */
    record Note(long timeMicros, int node, String text) implements TraceEvent {
        public String describe() {
            return node == 0 ? "— " + text : nameOf(node) + ": " + text;
        }
    }

    /** A client was asked to run an operation (milestone 5): call {@code call} of the history begins. */
    record Invoked(long timeMicros, int node, int call, harness.api.Operation operation) implements TraceEvent {
        public String describe() {
            return nameOf(node) + " invokes #" + call + " " + operation;
        }
    }

    /** A client answered call {@code call}: the operation is over, with this outcome. */
    record Completed(long timeMicros, int node, int call, harness.api.Operation operation, harness.api.Outcome outcome) implements TraceEvent {
        public String describe() {
            return nameOf(node) + " completes #" + call + " " + operation + " → " + outcome;
        }
    }
}
