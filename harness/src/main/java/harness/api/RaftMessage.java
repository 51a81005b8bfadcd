package harness.api;

/**
 * Any message one Raft server sends another, or a client and a server exchange. Every Raft RPC and reply carries the sender's term
 * (Figure 2), which is all the harness needs to know about a message to route, count, hold or
 * trace it; the rest is the implementation's business.
 *
 * <p>An implementation declares its messages as records in a sealed hierarchy that extends this
 * interface. Records serialize to the JSON shapes of the course's wire format, and the simulator
 * sends every message through that encoding, so two servers never share memory.
 */
public interface RaftMessage {
    /**
     * The sender's current term when it sent the message. A client has no term: messages between
     * clients and servers (milestone 5) leave this out and carry 0.
     */
    default long term() {
        return 0;
    }
}
