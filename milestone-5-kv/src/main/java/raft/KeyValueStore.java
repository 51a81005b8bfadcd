package raft;

import harness.api.Entry;
import harness.api.Operation;
import harness.api.StateMachine;

import java.util.HashMap;
import java.util.Map;

/**
 * The replicated state machine of milestone 5 (§8): a map from keys to values. Every server
 * applies the same committed commands in the same order, so every server's map goes through the
 * same states. Commands and answers are described in {@link Operation}.
 */
// tag::store[]
public final class KeyValueStore implements StateMachine {

    private final Map<String, String> values = new HashMap<>();

    /** Applies a committed command and returns the client's answer (null: nothing to answer). */
    @Override
    public String apply(String command) {
        if (command.equals(Entry.NO_OP)) {
            return null; // a new leader's no-op changes nothing (§8)
        }
        Operation op;
        try {
            op = Operation.fromJson(command);
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage(); // every server refuses it alike, so they stay the same
        }
        String key = op.key();
        return switch (op.kind()) {
            case GET -> values.get(key);
            case PUT -> {
                values.put(key, op.value());
                yield null;
            }
            case DELETE -> {
                values.remove(key);
                yield null;
            }
            case APPEND -> {
                values.merge(key, op.value(), String::concat);
                yield null;
            }
            case CAS -> compareAndSet(key, op.expected(), op.value());
        };
    }

    /** Sets the key only if it holds {@code expected} (null: if it is absent); answers whether it did. */
    private String compareAndSet(String key, String expected, String value) {
        if (!java.util.Objects.equals(values.get(key), expected)) {
            return "false";
        }
        values.put(key, value);
        return "true";
    }

    /** Answers a get from the map as it is now, for a read by read-index (thesis §6.4). */
    @Override
    public String query(String command) {
        Operation op = Operation.fromJson(command);
        if (op.writes()) {
            throw new IllegalArgumentException("a query only reads, but \"" + op + "\" writes: send it through the log");
        }
        return values.get(op.key());
    }
}
// end::store[]
