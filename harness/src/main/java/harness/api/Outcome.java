package harness.api;

/**
 * How a client's operation ended, as the client reports it to whoever called it (§8, thesis ch. 6).
 *
 * <p>There are two outcomes and no third: a client either saw the operation take effect (OK, with
 * its answer) or it does not know. A request that timed out, or whose entry another leader
 * replaced, may still take effect later, or may never: it is UNKNOWN, never "failed". (A cas whose
 * value did not match is OK, with the answer "false".)
 *
 * @param status OK or UNKNOWN
 * @param value  the answer: a get's value (null: absent), a cas's "true" or "false", null otherwise
 * @param leader the server that answered OK (0 when unknown)
 * @param index  the log index of the entry that carried a write (0 for a read, or when unknown)
 * @param note   for UNKNOWN, why the client does not know (a timeout, a replaced entry, ...)
 */
public record Outcome(Status status, String value, int leader, long index, String note) {

    public enum Status { OK, UNKNOWN }

    public static Outcome ok(String value, int leader, long index) {
        return new Outcome(Status.OK, value, leader, index, null);
    }

    public static Outcome unknown(String why) {
        return new Outcome(Status.UNKNOWN, null, 0, 0, why);
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    @Override
    public String toString() {
        if (status == Status.UNKNOWN) {
            return "unknown (" + note + ")";
        }
        String answer = value == null ? "ok" : value;
        return answer + " (node" + leader + (index > 0 ? ", index " + index : "") + ")";
    }
}
