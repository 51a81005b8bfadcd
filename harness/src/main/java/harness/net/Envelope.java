package harness.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import harness.api.RaftMessage;
import harness.wire.MessageCodec;

import java.nio.charset.StandardCharsets;

/**
 * One frame's JSON: the course's message fields ({@code "term":5,"leader_id":1,...}) with two more,
 * {@code "type"} (the message record's name, such as {@code "AppendEntries"}) and {@code "from"}
 * (the sender's id). The runtime's own frames ({@code Status}, {@code StatusReply}, {@code Error})
 * share the shape, so a process reads one kind of frame whoever sent it.
 *
 * @param type   the message type
 * @param from   the sender: a server id (1–99) or a client id (101 and above)
 * @param fields the rest of the JSON object
 */
public record Envelope(String type, int from, ObjectNode fields) {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A frame that is not an envelope: the error names what is wrong with it. */
    public static final class BadEnvelope extends Exception {
        BadEnvelope(String message) {
            super(message);
        }
    }

    /** The envelope of {@code message}, sent by {@code from}, in the course's JSON. */
    public static byte[] encode(MessageCodec codec, int from, RaftMessage message) {
        return wrap(MessageCodec.typeName(message), from, parse(codec.encode(message)));
    }

    /** A runtime frame of {@code type} with {@code fields}. */
    public static byte[] wrap(String type, int from, ObjectNode fields) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", type);
        frame.put("from", from);
        frame.setAll(fields);
        try {
            return JSON.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a frame: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a frame's envelope; the message inside is decoded later, by {@link #message}. */
    public static Envelope decode(byte[] frame) throws BadEnvelope {
        JsonNode tree;
        try {
            tree = JSON.readTree(frame);
        } catch (java.io.IOException e) {
            throw new BadEnvelope("a frame that is not JSON (" + preview(frame) + "): " + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw new BadEnvelope("a frame whose JSON is not an object: " + preview(frame));
        }
        ObjectNode fields = (ObjectNode) tree;
        JsonNode type = fields.remove("type");
        JsonNode from = fields.remove("from");
        if (type == null || !type.isTextual()) {
            throw new BadEnvelope("a frame without a \"type\" naming its message: " + preview(frame));
        }
        if (from == null || !from.canConvertToInt() || from.asInt() < 1) {
            throw new BadEnvelope("a " + type.asText() + " frame without a positive \"from\" naming its sender: " + preview(frame));
        }
        return new Envelope(type.asText(), from.asInt(), fields);
    }

    /** The message inside, decoded by the implementation's codec; an unknown type or a bad field says so. */
    public RaftMessage message(MessageCodec codec) throws BadEnvelope {
        try {
            return codec.decode(type, JSON.writeValueAsBytes(fields));
        } catch (MessageCodec.MalformedMessageException e) {
            throw new BadEnvelope(e.getMessage());
        } catch (JsonProcessingException e) {
            throw new BadEnvelope("cannot read the fields of a " + type + " frame: " + e.getOriginalMessage());
        }
    }

    private static ObjectNode parse(byte[] json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the codec wrote JSON that does not parse: " + e.getMessage(), e);
        }
    }

    static String preview(byte[] frame) {
        String text = new String(frame, 0, Math.min(frame.length, 80), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
        return "\"" + text + (frame.length > 80 ? "…" : "") + "\", " + frame.length + " bytes";
    }

    private static String firstLine(String text) {
        int nl = text == null ? -1 : text.indexOf('\n');
        return nl < 0 ? String.valueOf(text) : text.substring(0, nl);
    }
}
