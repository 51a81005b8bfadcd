package harness.api;

/**
 * What a server applies committed commands to (§5.3), one at a time, in log order. It must be
 * deterministic: every server applies the same commands in the same order and so reaches the
 * same state. Servers reach theirs through {@link Environment#apply}.
 */
public interface StateMachine {

    /** Applies {@code command} and returns its result, for the client. */
    String apply(String command);

    /**
     * From milestone 5: answers a command that only reads (a get) from the state as it is now,
     * without changing it: how a leader answers a read by read-index (thesis §6.4), with no log
     * entry. A command that would change the state is refused.
     */
    default String query(String command) {
        throw new UnsupportedOperationException("this state machine answers no queries: reads by read-index start at milestone 5");
    }
}
