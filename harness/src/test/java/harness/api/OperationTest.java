package harness.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key-value commands in the course's JSON: every kind round-trips, and a bad command says what is wrong. */
class OperationTest {

    @Test
    void everyKindRoundTripsThroughItsJson() {
        for (Operation op : List.of(Operation.put("x", "1"), Operation.get("x"), Operation.delete("x"), Operation.append("x", "a;"),
                Operation.cas("x", "1", "2"), Operation.cas("x", null, "2"), Operation.put("k\"ey", "va\\lue"))) {
            assertEquals(op, Operation.fromJson(op.toJson()), op.toJson());
        }
        assertEquals("{\"op\":\"put\",\"key\":\"x\",\"value\":\"1\"}", Operation.put("x", "1").toJson());
        assertEquals("{\"op\":\"cas\",\"key\":\"x\",\"expected\":null,\"value\":\"2\"}", Operation.cas("x", null, "2").toJson());
    }

    @Test
    void aCommandThatIsNotOneSaysWhatIsWrong() {
        assertMessage("not a key-value command (not JSON): t1-i1", "t1-i1");
        assertMessage("not a key-value command (no \"op\")", "{\"key\":\"x\"}");
        assertMessage("unknown operation \"incr\"", "{\"op\":\"incr\",\"key\":\"x\"}");
        assertMessage("a put needs a value", "{\"op\":\"put\",\"key\":\"x\"}");
        assertMessage("a get needs a key", "{\"op\":\"get\"}");
        assertMessage("a get takes no value", "{\"op\":\"get\",\"key\":\"x\",\"value\":\"1\"}");
    }

    private static void assertMessage(String expected, String command) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Operation.fromJson(command));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
