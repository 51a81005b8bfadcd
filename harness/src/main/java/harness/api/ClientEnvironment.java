package harness.api;

/**
 * Everything a client may do to the world outside it (milestone 5): what every actor may do (see
 * {@link ActorEnvironment}), and report the outcome of its operation. Like a server, a client is an
 * actor: it talks to servers only by messages and waits only with timers, so in the simulator it
 * sits on the network (partitions and loss hit it too, one seed still fixes the run), and the
 * same client code can run over real sockets.
 *
 * <p>The runtime calls the client with one input at a time ({@link RaftClient#submit}, {@link
 * RaftClient#receive}, a timer action), so it needs no lock.
 */
public interface ClientEnvironment extends ActorEnvironment {

    /**
     * Ends the operation under way with its outcome: OK once a server said it took effect, with
     * its answer; UNKNOWN when the client cannot tell (it may take effect later, or never). The
     * harness records it, and the client may then be given its next operation.
     */
    void complete(Outcome outcome);
}
