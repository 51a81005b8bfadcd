package harness.history;

import harness.api.Operation;
import harness.api.Outcome;
import harness.observe.Time;

/**
 * One operation in a history: who asked for what, when the client was asked (invocation) and
 * when it answered (completion), and what it answered. The harness records calls at the client's
 * boundary, never inside the code under test.
 *
 * @param id        the call's number in its history, from 1
 * @param client    the client that ran it (client k has id {@code 100 + k})
 * @param operation what was asked
 * @param invoked   when it was asked, in µs of the cluster's clock
 * @param completed when the client answered, in µs; {@link #PENDING} if it has not
 * @param outcome   the client's answer; null while pending
 */
public record Call(int id, int client, Operation operation, long invoked, long completed, Outcome outcome) {

    /** The completion time of a call that has not completed. */
    public static final long PENDING = Long.MAX_VALUE;

    /** A call that completed with an answer the client saw take effect. */
    public boolean isOk() {
        return outcome != null && outcome.isOk();
    }

    /**
     * Whether the call may or may not have taken effect: still pending, or UNKNOWN. Such a call may
     * take effect at any moment after its invocation, or never.
     */
    public boolean isUncertain() {
        return !isOk();
    }

    public boolean isPending() {
        return outcome == null;
    }

    /** This call, completed at {@code time} with {@code outcome}. */
    public Call complete(long time, Outcome outcome) {
        return new Call(id, client, operation, invoked, time, outcome);
    }

    /**
     * The operation and the answer that matters to a reader of the history: "get x → 1", "get x →
     * (absent)", "cas x 1 2 → true", "put x 2"; an uncertain call says so: "put x 2 → unknown",
     * "get x → pending".
     */
    public String label() {
        if (isPending()) {
            return operation + " → pending";
        }
        if (!isOk()) {
            return operation + " → unknown";
        }
        return switch (operation.kind()) {
            case GET -> operation + " → " + (outcome.value() == null ? "(absent)" : outcome.value());
            case CAS -> operation + " → " + outcome.value();
            case PUT, DELETE, APPEND -> operation.toString();
        };
    }

    /**
     * "client2: get x → 1 (node3) [1.2 ms, 3.4 ms]", "client1: put x 2 → ok (node3, index 7) [...]",
     * "client1: put x 3 → unknown (why) [...]".
     */
    @Override
    public String toString() {
        String end = completed == PENDING ? "…" : Time.format(completed);
        String result;
        if (isPending() || !isOk()) {
            result = label() + (isPending() ? "" : " (" + outcome.note() + ")");
        } else {
            String where = "node" + outcome.leader() + (outcome.index() > 0 ? ", index " + outcome.index() : "");
            result = (operation.kind() == Operation.Kind.GET || operation.kind() == Operation.Kind.CAS ? label() : label() + " → ok")
                    + " (" + where + ")";
        }
        return clientName(client) + ": " + result + " [" + Time.format(invoked) + ", " + end + "]";
    }

    /** Client k has id 100 + k and is called "client" + k. */
    public static String clientName(int clientId) {
        return "client" + (clientId - 100);
    }
}
