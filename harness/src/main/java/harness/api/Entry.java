package harness.api;

/**
 * One entry of a Raft log (Figure 2): the client's command and the term in which a leader first
 * received it. An entry's index is its position in the log, counting from 1.
 */
public record Entry(long term, String command) {
}
