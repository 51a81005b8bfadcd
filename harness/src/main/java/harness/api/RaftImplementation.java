package harness.api;

import java.util.List;

/**
 * A Raft implementation as the graded suites find it. A milestone module registers exactly one,
 * in {@code META-INF/services/harness.api.RaftImplementation} (the JDK's {@link
 * java.util.ServiceLoader}), so suites can grade any implementation without naming its classes.
 */
public interface RaftImplementation extends NodeFactory {

    /** A short name for reports, such as "milestone-1-election". */
    String name();

    /** The last milestone this implementation completes; grading runs suites 1 to this one. */
    int milestone();

    /** The sealed interface all of this implementation's messages implement (for decoding JSON). */
    Class<? extends RaftMessage> messageType();

    /**
     * Deliberately broken variants, each breaking one rule, used to prove the graded suites catch
     * that rule and to let notebooks break Raft on purpose. Empty for a learner's own code.
     */
    default List<Bug> bugZoo() {
        return List.of();
    }

    /**
     * From milestone 5: a fresh state machine for a server that serves clients (the key-value
     * store), made at every boot. Null, before milestone 5: the harness then applies commands to a
     * log of its own.
     */
    default StateMachine newStateMachine() {
        return null;
    }

    /** From milestone 5: a client of the key-value store, which talks to servers through {@code environment}. */
    default RaftClient createClient(ClientConfig config, ClientEnvironment environment) {
        throw new UnsupportedOperationException("this implementation has no client: clients and the key-value store start at"
                + " milestone 5 (return one from createClient in your Milestone)");
    }
}
