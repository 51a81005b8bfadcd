package harness.api;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Everything a Raft server may do to the world outside it. A server calls nothing else: no
 * threads, no clock, no {@code new Random()}, no sockets. The runtime that hosts the server
 * (the simulator, or real threads with a wall clock) implements this interface, so the same
 * server code runs under both and one seed fixes a whole simulated run.
 *
 * <p>The runtime calls the server on one thread at a time, and only with one of its inputs
 * ({@link RaftNode#start()}, {@link RaftNode#receive}, a timer action, a client request), so a
 * server never needs a lock.
 */
public interface Environment {

    /** Sends a message to server {@code to}. It may be delayed, duplicated, reordered or lost. */
    void send(int to, RaftMessage message);

    /**
     * Runs {@code action} after {@code delay}, unless the timer is cancelled or restarted first.
     * Starting a timer under a name that is already pending replaces the pending one.
     */
    void startTimer(String name, Duration delay, Runnable action);

    /** Cancels the pending timer of that name, if any. */
    void cancelTimer(String name);

    /** The runtime's clock: time since the runtime started (virtual time in the simulator). */
    Duration now();

    /** The only source of randomness a server may use (seeded by the runtime). */
    RandomGenerator random();

    /** A debugging note, recorded in the run's trace with the time and the server's id. */
    void log(String message);

    /**
     * From milestone 3: applies the committed entry at {@code index} to this server's state
     * machine and returns the result. Entries must be applied once each, in index order, and only
     * once committed (Figure 2: lastApplied follows commitIndex); the harness checks that every
     * server applies the same command at each index (State Machine Safety, Figure 3).
     */
    String apply(long index, String command);

    /**
     * From milestone 5: answers a read-only command (a get) from this server's state machine as
     * it is now, without a log entry. A leader may do so only when the answer is linearizable: it
     * has confirmed it is still leader since the read arrived and applied at least up to the
     * commit index it noted then (read-index, thesis §6.4).
     */
    default String query(String command) {
        throw new UnsupportedOperationException("this runtime answers no queries: reads by read-index start at milestone 5");
    }

    /**
     * From milestone 4: this server's stable storage (Figure 2, persistent state). It survives
     * crashes; see {@link Storage} for what is durable when.
     */
    default Storage storage() {
        throw new UnsupportedOperationException("this runtime gives servers no storage: persistence starts at milestone 4");
    }
}
