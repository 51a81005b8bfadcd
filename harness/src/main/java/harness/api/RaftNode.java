package harness.api;

import java.util.List;

/**
 * One Raft server as the runtimes drive it and the graded suites observe it. A server reacts to
 * its inputs one at a time: {@link #start()} once when it boots, {@link #receive} for every
 * message, and the timer actions it registered with {@link Environment#startTimer}. It acts only
 * through its {@link Environment}.
 *
 * <p>The observation methods report the server's state as Figure 2 names it; the harness reads
 * them after every input to check the safety properties of Figure 3 and to draw timelines.
 * Later milestones add capabilities here as default methods that fail until implemented.
 */
public interface RaftNode {

    /** Called once after the server is created, at its first boot or after a restart. */
    void start();

    /** A message from server {@code from} has arrived. */
    void receive(int from, RaftMessage message);

    /** The server's current role. */
    Role role();

    /** Figure 2: latest term the server has seen. */
    long currentTerm();

    /** Figure 2: the candidate that received this server's vote in the current term, or null. */
    Integer votedFor();

    // ---- From milestone 2: the log --------------------------------------------------------------

    /**
     * §5.3: a client asks this server to replicate {@code command}. A leader appends it to its log
     * and answers where; any other server answers which leader it knows of.
     */
    default Proposal propose(String command) {
        throw new UnsupportedOperationException("this server takes no proposals: the log and proposals start at milestone 2 (override propose in your Server)");
    }

    /** Figure 2: the log, from index {@link #logStart()} on. Empty before milestone 2. */
    default List<Entry> log() {
        return List.of();
    }

    /** The index of the first entry of {@link #log()}: 1, until snapshots discard a prefix (milestone 7). */
    default long logStart() {
        return 1;
    }

    /** Figure 2: the highest log index known to be committed. 0 before milestone 3. */
    default long commitIndex() {
        return 0;
    }
}
