package harness.api;

/**
 * A client of the replicated key-value store (milestone 5, §8): it takes one operation at a time,
 * finds the leader, sends the operation to it, and reports the outcome through {@link
 * ClientEnvironment#complete}. It acts only through its environment, like a server.
 */
public interface RaftClient {

    /** Starts {@code operation}; the client has no other operation under way. */
    void submit(Operation operation);

    /** A message from server {@code from} has arrived. */
    void receive(int from, RaftMessage message);
}
