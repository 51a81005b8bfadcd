package harness.api;

import java.util.List;

/**
 * What a server knows when it boots: its own id, the ids of the other servers, and its timing.
 * Ids are small positive integers; the course writes server 3 as "node3".
 */
public record NodeConfig(int id, List<Integer> peers, Timing timing) {

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
