package harness.wire;

import harness.api.RaftMessage;
import harness.testing.Messages;
import harness.wire.MessageCodec.MalformedMessageException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCodecTest {

    /** Components deliberately not in alphabetical order, and one level of nested sealed interface. */
    sealed interface Wire extends RaftMessage permits Wire.AppendEntries, Wire.Replies {
        record AppendEntries(long term, int leaderId, long prevLogIndex, long prevLogTerm, List<String> entries, long leaderCommit)
                implements Wire {
        }

        sealed interface Replies extends Wire permits RequestVoteReply {
        }

        record RequestVoteReply(long term, boolean voteGranted) implements Replies {
        }
    }

    interface Open extends RaftMessage {
    }

    sealed interface WithAClass extends RaftMessage permits NotARecord, Fine {
    }

    static final class NotARecord implements WithAClass {
        @Override
        public long term() {
            return 0;
        }
    }

    record Fine(long term) implements WithAClass {
    }

    sealed interface Twins extends RaftMessage permits A.Ping, B.Ping {
    }

    static final class A {
        record Ping(long term) implements Twins {
        }
    }

    static final class B {
        record Ping(long term) implements Twins {
        }
    }

    private final MessageCodec codec = new MessageCodec(Wire.class);

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private RaftMessage decode(String type, String json) {
        return codec.decode(type, json.getBytes(StandardCharsets.UTF_8));
    }

    private String rejection(String type, String json) {
        return assertThrows(MalformedMessageException.class, () -> decode(type, json)).getMessage();
    }

    private static final String GOOD =
            "{\"term\":5,\"leader_id\":1,\"prev_log_index\":7,\"prev_log_term\":4,\"entries\":[\"x\",\"y\"],\"leader_commit\":6}";

    @Test
    void recordsEncodeAsSnakeCaseJsonInComponentOrder() {
        Wire.AppendEntries m = new Wire.AppendEntries(5, 1, 7, 4, List.of("x", "y"), 6);
        assertEquals(GOOD, text(codec.encode(m)));
        assertEquals("{\"term\":3,\"vote_granted\":true}", text(codec.encode(new Wire.RequestVoteReply(3, true))));
    }

    @Test
    void aBooleanFieldIsReadFromTheWireWithoutTheClasses() {
        assertEquals(Boolean.TRUE, MessageCodec.booleanField(codec.encode(new Wire.RequestVoteReply(3, true)), "vote_granted"));
        assertEquals(Boolean.FALSE, MessageCodec.booleanField(codec.encode(new Wire.RequestVoteReply(3, false)), "vote_granted"));
        assertEquals(null, MessageCodec.booleanField(GOOD.getBytes(StandardCharsets.UTF_8), "vote_granted"), "absent");
        assertEquals(null, MessageCodec.booleanField(GOOD.getBytes(StandardCharsets.UTF_8), "term"), "not a boolean");
        assertEquals(null, MessageCodec.booleanField("{not json".getBytes(StandardCharsets.UTF_8), "term"));
        assertEquals(null, MessageCodec.booleanField(new byte[0], "term"));
        assertEquals(7L, MessageCodec.longField(GOOD.getBytes(StandardCharsets.UTF_8), "prev_log_index"));
        assertEquals(null, MessageCodec.longField(GOOD.getBytes(StandardCharsets.UTF_8), "entries"), "not a number");
        assertEquals(null, MessageCodec.longField(GOOD.getBytes(StandardCharsets.UTF_8), "match_index"), "absent");
        assertEquals(2, MessageCodec.arraySize(GOOD.getBytes(StandardCharsets.UTF_8), "entries"));
        assertEquals(null, MessageCodec.arraySize(GOOD.getBytes(StandardCharsets.UTF_8), "term"), "not an array");
        assertEquals(null, MessageCodec.arraySize("{not json".getBytes(StandardCharsets.UTF_8), "entries"));
    }

    @Test
    void messagesSurviveARoundTrip() {
        Wire.AppendEntries m = new Wire.AppendEntries(Long.MAX_VALUE, 99, 0, -1, List.of(), 12);
        assertEquals(m, codec.decode("AppendEntries", codec.encode(m)));
        Wire.RequestVoteReply r = new Wire.RequestVoteReply(0, false);
        assertEquals(r, codec.decode(MessageCodec.typeName(r), codec.encode(r)));
        assertEquals(new Wire.AppendEntries(5, 1, 7, 4, List.of("x", "y"), 6), decode("AppendEntries", GOOD));
    }

    @Test
    void fieldOrderDoesNotMatterWhenReading() {
        assertEquals(new Wire.RequestVoteReply(2, true), decode("RequestVoteReply", "{\"vote_granted\":true,\"term\":2}"));
    }

    @Test
    void theCodecKnowsEveryRecordOfTheSealedHierarchyByItsSimpleName() {
        assertEquals(List.of("AppendEntries", "RequestVoteReply"), List.copyOf(codec.typeNames()));
        assertEquals("RequestVoteReply", MessageCodec.typeName(new Wire.RequestVoteReply(1, true)));
        assertEquals(List.of("Ping", "Pong"), List.copyOf(new MessageCodec(Messages.class).typeNames()));
    }

    @Test
    void malformedJsonSaysItIsMalformedAndShowsTheText() {
        String message = rejection("RequestVoteReply", "{\"term\":2,");
        assertTrue(message.startsWith("malformed RequestVoteReply message {\"term\":2,: "), message);
        String notJson = rejection("RequestVoteReply", "hello");
        assertTrue(notJson.startsWith("malformed RequestVoteReply message hello: "), notJson);
        assertTrue(notJson.contains("hello"), notJson);
    }

    @Test
    void anUnknownTypeNamesTheKnownOnes() {
        assertEquals("unknown message type \"Heartbeat\"; this implementation knows [AppendEntries, RequestVoteReply]",
                rejection("Heartbeat", "{\"term\":1}"));
    }

    @Test
    void aMissingFieldIsNamed() {
        String message = rejection("RequestVoteReply", "{\"term\":2}");
        assertTrue(message.startsWith("malformed RequestVoteReply message {\"term\":2}: "), message);
        assertTrue(message.contains("vote_granted"), message);
        assertTrue(message.toLowerCase().contains("missing"), message);
    }

    @Test
    void anUnknownFieldIsNamed() {
        String message = rejection("RequestVoteReply", "{\"term\":2,\"vote_granted\":true,\"extra\":1}");
        assertTrue(message.startsWith("malformed RequestVoteReply message "), message);
        assertTrue(message.contains("\"extra\""), message);
        assertTrue(message.contains("Unrecognized field"), message);
    }

    @Test
    void camelCaseFieldsAreNotTheWireFormat() {
        String message = rejection("RequestVoteReply", "{\"term\":2,\"voteGranted\":true}");
        assertTrue(message.contains("voteGranted"), message);
    }

    @Test
    void nullForAPrimitiveAndWrongTypesAreMalformed() {
        String nullTerm = rejection("RequestVoteReply", "{\"term\":null,\"vote_granted\":true}");
        assertTrue(nullTerm.startsWith("malformed RequestVoteReply message"), nullTerm);
        String wrongType = rejection("RequestVoteReply", "{\"term\":\"five\",\"vote_granted\":true}");
        assertTrue(wrongType.startsWith("malformed RequestVoteReply message"), wrongType);
    }

    @Test
    void theMessageOfAMalformedMessageIsOneLineAndKeepsTheCause() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class,
                () -> decode("RequestVoteReply", "{\"term\":2,\"vote_granted\":true,\"extra\":1}"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertNotNull(e.getCause());
    }

    @Test
    void aNonSealedNonRecordMessageTypeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MessageCodec(Open.class));
        assertEquals(Open.class.getName() + " is neither a record nor a sealed interface: messages are records in a sealed"
                + " hierarchy, so the wire format knows every type", e.getMessage());
    }

    @Test
    void aClassInsideTheSealedHierarchyIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MessageCodec(WithAClass.class));
        assertTrue(e.getMessage().startsWith(NotARecord.class.getName() + " is neither a record"), e.getMessage());
    }

    @Test
    void twoRecordsWithTheSameSimpleNameAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MessageCodec(Twins.class));
        assertEquals("two message types share the name Ping: " + A.Ping.class.getName() + " and " + B.Ping.class.getName(),
                e.getMessage());
    }

    @Test
    void aSingleRecordIsACodecOfOneType() {
        MessageCodec one = new MessageCodec(Fine.class);
        assertEquals(List.of("Fine"), List.copyOf(one.typeNames()));
        assertEquals(new Fine(4), one.decode("Fine", one.encode(new Fine(4))));
    }

    @Test
    void encodingAMessageOfAnotherImplementationIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.encode(new Messages.Pong(1, 2)));
        assertEquals("cannot send a " + Messages.Pong.class.getName() + ": it is not one of the message records"
                + " [AppendEntries, RequestVoteReply] that the implementation's message interface permits", e.getMessage());
    }
}
