package harness.api;

/**
 * What a server applies committed commands to (§5.3), one at a time, in log order. It must be
 * deterministic: every server applies the same commands in the same order and so reaches the
 * same state. Servers reach theirs through {@link Environment#apply}.
 */
public interface StateMachine {

    /** Applies {@code command} and returns its result, for the client. */
    String apply(String command);
}
