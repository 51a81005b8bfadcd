package harness.api;

/**
 * Everything a Raft server may do to the world outside it: what every actor may do (send,
 * timers, clock, random, notes; see {@link ActorEnvironment}), and apply committed entries, and
 * from milestone 4 keep stable storage. A server calls nothing else, so the same server code runs
 * in the simulator and in real time, and one seed fixes a whole simulated run.
 *
 * <p>The runtime calls the server on one thread at a time, and only with one of its inputs
 * ({@link RaftNode#start()}, {@link RaftNode#receive}, a timer action, a client request), so a
 * server never needs a lock.
 */
public interface Environment extends ActorEnvironment {

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
