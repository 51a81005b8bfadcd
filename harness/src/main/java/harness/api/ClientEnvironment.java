package harness.api;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Everything a client may do to the world outside it (milestone 5). Like a server, a client is an
 * actor: it talks to servers only by messages and waits only with timers, so in the simulator it
 * sits on the network (partitions and loss hit it too, one seed still fixes the run), and the
 * same client code can run over real sockets.
 *
 * <p>The runtime calls the client with one input at a time ({@link RaftClient#submit}, {@link
 * RaftClient#receive}, a timer action), so it needs no lock.
 */
public interface ClientEnvironment {

    /** Sends a message to server {@code to}. It may be delayed, duplicated, reordered or lost. */
    void send(int to, RaftMessage message);

    /** Runs {@code action} after {@code delay}, unless cancelled or restarted under the same name first. */
    void startTimer(String name, Duration delay, Runnable action);

    /** Cancels the pending timer of that name, if any. */
    void cancelTimer(String name);

    /** The runtime's clock. */
    Duration now();

    /** The only source of randomness a client may use. */
    RandomGenerator random();

    /** A debugging note, recorded in the run's trace. */
    void log(String message);

    /**
     * Ends the operation under way with its outcome: OK once a server said it took effect, with
     * its answer; UNKNOWN when the client cannot tell (it may take effect later, or never). The
     * harness records it, and the client may then be given its next operation.
     */
    void complete(Outcome outcome);
}
