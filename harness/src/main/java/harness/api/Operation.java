package harness.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One operation a client asks of the replicated key-value store (milestone 5, §8). Its command,
 * the string a server puts in its log, is the course's JSON: {@code {"op":"put","key":"x","value":"1"}}.
 *
 * <ul>
 *   <li>{@code put(key, value)} sets the key; it answers nothing;</li>
 *   <li>{@code get(key)} answers the key's value, or null if it has none;</li>
 *   <li>{@code delete(key)} removes the key; it answers nothing;</li>
 *   <li>{@code append(key, value)} adds {@code value} to the end of the key's value (an absent key
 *       counts as empty); it answers nothing;</li>
 *   <li>{@code cas(key, expected, value)} compare-and-set: if the key's value is {@code expected}
 *       (null: the key is absent) it becomes {@code value} and the answer is "true"; otherwise
 *       nothing changes and the answer is "false".</li>
 * </ul>
 *
 * @param kind     what to do
 * @param key      the key it concerns
 * @param value    the value to put or append, or cas's new value; null for get and delete
 * @param expected cas's expected value (null: absent); null for the other kinds
 */
public record Operation(Kind kind, String key, String value, String expected) {

    /** The five operations; {@link #word()} is the name on the wire and the command line. */
    public enum Kind {
        PUT, GET, DELETE, APPEND, CAS;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether the operation can change the store (every kind but get). */
        public boolean writes() {
            return this != GET;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public Operation {
        Objects.requireNonNull(kind, "an operation needs a kind");
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a " + kind.word() + " needs a key, got " + (key == null ? "none" : "an empty one"));
        }
        boolean takesValue = kind == Kind.PUT || kind == Kind.APPEND || kind == Kind.CAS;
        if (takesValue && value == null) {
            throw new IllegalArgumentException("a " + kind.word() + " needs a value: " + kind.word() + " " + key + " VALUE");
        }
        if (!takesValue && value != null) {
            throw new IllegalArgumentException("a " + kind.word() + " takes no value, got \"" + value + "\"");
        }
        if (kind != Kind.CAS && expected != null) {
            throw new IllegalArgumentException("only cas takes an expected value; a " + kind.word() + " got \"" + expected + "\"");
        }
    }

    public static Operation put(String key, String value) {
        return new Operation(Kind.PUT, key, value, null);
    }

    public static Operation get(String key) {
        return new Operation(Kind.GET, key, null, null);
    }

    public static Operation delete(String key) {
        return new Operation(Kind.DELETE, key, null, null);
    }

    public static Operation append(String key, String value) {
        return new Operation(Kind.APPEND, key, value, null);
    }

    /** Compare-and-set: {@code expected} null means "only if the key is absent". */
    public static Operation cas(String key, String expected, String value) {
        return new Operation(Kind.CAS, key, value, expected);
    }

    /** Whether the operation can change the store. */
    public boolean writes() {
        return kind.writes();
    }

    /** The command as the log holds it: {@code {"op":"cas","key":"x","expected":"1","value":"2"}}. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("op", kind.word());
        node.put("key", key);
        if (kind == Kind.CAS) {
            node.put("expected", expected); // written as null when the key must be absent
        }
        if (value != null) {
            node.put("value", value);
        }
        return node.toString();
    }

    /**
     * Reads a command written by {@link #toJson()}; anything else gets an error that says what was
     * wrong, for a server to answer with rather than to crash on.
     */
    public static Operation fromJson(String command) {
        JsonNode node;
        try {
            node = JSON.readTree(command);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a key-value command (not JSON): " + abbreviate(command));
        }
        if (node == null || !node.isObject() || !node.path("op").isTextual()) {
            throw new IllegalArgumentException("not a key-value command (no \"op\"): " + abbreviate(command));
        }
        Kind kind;
        try {
            kind = Kind.valueOf(node.get("op").asText().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown operation \"" + node.get("op").asText() + "\" in " + abbreviate(command)
                    + "; the store knows put, get, delete, append and cas");
        }
        return new Operation(kind, text(node, "key"), text(node, "value"), text(node, "expected"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** "put x 1", "get x", "cas x 1 2": how reports, pictures and the command line show it. */
    @Override
    public String toString() {
        return switch (kind) {
            case GET, DELETE -> kind.word() + " " + key;
            case PUT, APPEND -> kind.word() + " " + key + " " + value;
            case CAS -> "cas " + key + " " + (expected == null ? "(absent)" : expected) + " " + value;
        };
    }
}
