package harness.api;

import java.util.List;

/**
 * What a server knows when it boots: its own id, the ids of the other servers, and its timing.
 * Ids are small positive integers; the course writes server 3 as "node3".
 *
 * <p>{@code servesClients} is true when the server runs a state machine for clients (milestone 5
 * on): then a new leader appends a no-op entry of its term at once (§8). Clusters that only
 * replicate the harness's commands, such as the scenarios built on the paper's Figures 7 and 8,
 * whose logs hold no no-ops, run with it false.
 *
 * <p>{@code orderedLinks} is true when the network delivers the messages from one server to
 * another in the order they were sent, as one TCP connection does: the real cluster, and the
 * simulator when a scenario asks for it. A leader may then pipeline AppendEntries (milestone 5,
 * thesis §10.2). Safety never depends on it, only how many messages a leader sends again.
 */
public record NodeConfig(int id, List<Integer> peers, Timing timing, boolean servesClients, boolean orderedLinks) {

    /** A server of the Raft core (milestones 1–4), which serves no clients. */
    public NodeConfig(int id, List<Integer> peers, Timing timing) {
        this(id, peers, timing, false);
    }

    /** A server on a network that may reorder messages, as the simulator's does unless told otherwise. */
    public NodeConfig(int id, List<Integer> peers, Timing timing, boolean servesClients) {
        this(id, peers, timing, servesClients, false);
    }

    public NodeConfig {
        peers = List.copyOf(peers);
        if (id < 1) {
            throw new IllegalArgumentException("server ids start at 1, got " + id);
        }
        if (peers.contains(id)) {
            throw new IllegalArgumentException("server " + id + " lists itself among its peers " + peers);
        }
        if (peers.stream().distinct().count() != peers.size()) {
            throw new IllegalArgumentException("peer list " + peers + " names a server twice");
        }
    }

    /** The number of servers in the cluster, this one included. */
    public int clusterSize() {
        return peers.size() + 1;
    }
}
