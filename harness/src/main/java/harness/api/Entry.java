package harness.api;

/**
 * One entry of a Raft log (Figure 2): the client's command and the term in which a leader first
 * received it. An entry's index is its position in the log, counting from 1.
 */
public record Entry(long term, String command) {

    /**
     * The command of the entry a new leader appends at the start of its term when it serves
     * clients (§8): it changes no state, and committing it commits every earlier entry with it.
     */
    public static final String NO_OP = "no-op";

    /** Whether this is a leader's no-op entry. */
    public boolean isNoOp() {
        return NO_OP.equals(command);
    }
}
