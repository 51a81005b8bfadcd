package harness.api;

import java.time.Duration;
import java.util.List;

/**
 * What a client knows when it starts (milestone 5): its own id, the servers of the cluster, and
 * how patient to be. Client k has id {@code 100 + k}, so clients and servers (1 to 99) never share
 * an id on the network.
 *
 * @param id               this client's id on the network (101, 102, ...)
 * @param servers          the ids of the cluster's servers, any of which may be the leader
 * @param retryAfter       how long to wait for one server's answer before asking another (reads)
 * @param giveUpAfter      how long an operation may take before the client reports it as unknown
 * @param readsThroughLog  true: a get goes through the log like a write (the simple, slower way,
 *                         §8); false: the leader answers it by read-index (thesis §6.4)
 */
public record ClientConfig(int id, List<Integer> servers, Duration retryAfter, Duration giveUpAfter, boolean readsThroughLog) {

    /** Client ids start here: client k is {@code FIRST_ID + k - 1}. */
    public static final int FIRST_ID = 101;

    public ClientConfig {
        servers = List.copyOf(servers);
        if (id < FIRST_ID) {
            throw new IllegalArgumentException("client ids start at " + FIRST_ID + " (server ids end at 99), got " + id);
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one server to talk to");
        }
        if (retryAfter.isNegative() || retryAfter.isZero() || giveUpAfter.compareTo(retryAfter) < 0) {
            throw new IllegalArgumentException("a client retries after a positive time (" + retryAfter.toMillis() + " ms) and gives up"
                    + " no sooner (" + giveUpAfter.toMillis() + " ms)");
        }
    }

    /** Whether {@code id} is a client's (101 and above) rather than a server's. */
    public static boolean isClient(int id) {
        return id >= FIRST_ID;
    }

    /** "node3" for a server, "client1" for a client: how traces and reports name an id. */
    public static String name(int id) {
        return isClient(id) ? "client" + (id - FIRST_ID + 1) : "node" + id;
    }
}
