package harness.wire;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import harness.api.RaftMessage;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns an implementation's message records into the course's JSON wire format and back:
 * record components become snake_case fields ({@code leaderId} is {@code "leader_id"}), and the
 * record's simple class name is its type. Built from the sealed interface the implementation
 * declares, so every message type is known before the first one arrives.
 */
public final class MessageCodec {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // Only record components are wire fields: a helper such as isHeartbeat() is not.
            .visibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    private final Map<String, Class<? extends RaftMessage>> types = new LinkedHashMap<>();
    private final Map<String, ObjectReader> readers = new HashMap<>();

    public MessageCodec(Class<? extends RaftMessage> messageType) {
        register(messageType);
        if (types.isEmpty()) {
            throw new IllegalArgumentException(messageType.getName() + " has no message records: declare it as a sealed"
                    + " interface that permits one record per message type");
        }
        types.forEach((name, type) -> readers.put(name, JSON.readerFor(type)));
    }

    @SuppressWarnings("unchecked")
    private void register(Class<? extends RaftMessage> type) {
        if (type.isRecord()) {
            Class<? extends RaftMessage> previous = types.putIfAbsent(type.getSimpleName(), type);
            if (previous != null && previous != type) {
                throw new IllegalArgumentException("two message types share the name " + type.getSimpleName() + ": "
                        + previous.getName() + " and " + type.getName());
            }
        } else if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                register((Class<? extends RaftMessage>) sub);
            }
        } else {
            throw new IllegalArgumentException(type.getName() + " is neither a record nor a sealed interface: messages are"
                    + " records in a sealed hierarchy, so the wire format knows every type");
        }
    }

    /** The message type names this codec knows, such as "RequestVote". */
    public Set<String> typeNames() {
        return types.keySet();
    }

    /** The wire name of a message's type. */
    public static String typeName(RaftMessage message) {
        return message.getClass().getSimpleName();
    }

    /** The message as JSON bytes (UTF-8). */
    public byte[] encode(RaftMessage message) {
        if (types.get(typeName(message)) != message.getClass()) {
            throw new IllegalArgumentException("cannot send a " + message.getClass().getName() + ": it is not one of the"
                    + " message records " + types.keySet() + " that the implementation's message interface permits");
        }
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + message + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a message of the named type; malformed input gets an error that says what was wrong. */
    public RaftMessage decode(String typeName, byte[] json) {
        ObjectReader reader = readers.get(typeName);
        if (reader == null) {
            throw new MalformedMessageException("unknown message type \"" + typeName + "\"; this implementation knows " + types.keySet());
        }
        try {
            return reader.readValue(json);
        } catch (IOException e) {
            throw new MalformedMessageException("malformed " + typeName + " message " + new String(json, java.nio.charset.StandardCharsets.UTF_8)
                    + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /**
     * A boolean field of a message's JSON ({@code "vote_granted"}), or null if the message has no
     * such boolean field or is not JSON: the harness reads a few fields of the wire format without
     * knowing an implementation's classes.
     */
    public static Boolean booleanField(byte[] json, String field) {
        com.fasterxml.jackson.databind.JsonNode value = field(json, field);
        return value != null && value.isBoolean() ? value.booleanValue() : null;
    }

    /** A whole-number field of a message's JSON ({@code "prev_log_index"}), or null if there is none. */
    public static Long longField(byte[] json, String field) {
        com.fasterxml.jackson.databind.JsonNode value = field(json, field);
        return value != null && value.canConvertToLong() && value.isIntegralNumber() ? value.longValue() : null;
    }

    /** How many elements an array field of a message's JSON holds ({@code "entries"}), or null if there is no such array. */
    public static Integer arraySize(byte[] json, String field) {
        com.fasterxml.jackson.databind.JsonNode value = field(json, field);
        return value != null && value.isArray() ? value.size() : null;
    }

    private static com.fasterxml.jackson.databind.JsonNode field(byte[] json, String field) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(json);
            return tree == null ? null : tree.get(field);
        } catch (IOException e) {
            return null;
        }
    }

    /** Thrown for bytes that are not a valid message of the implementation. */
    public static final class MalformedMessageException extends RuntimeException {
        public MalformedMessageException(String message) {
            super(message);
        }

        public MalformedMessageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
