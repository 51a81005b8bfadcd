package harness.check;

import harness.api.Operation;
import harness.api.Outcome;
import harness.history.Call;

import java.util.ArrayList;
import java.util.List;

/** Hand-made histories: calls by client number, times in µs, numbered in the order they are added. */
final class Histories {

    private final List<Call> calls = new ArrayList<>();

    /** A call that completed OK with {@code answer} (a get's value, a cas's "true" or "false", null otherwise). */
    Call ok(int client, Operation op, long invoked, long completed, String answer) {
        return add(new Call(calls.size() + 1, 100 + client, op, invoked, completed, Outcome.ok(answer, 1, 0)));
    }

    Call ok(int client, Operation op, long invoked, long completed) {
        return ok(client, op, invoked, completed, null);
    }

    /** A call whose client gave up at {@code completed}: it may take effect later, or never. */
    Call unknown(int client, Operation op, long invoked, long completed) {
        return add(new Call(calls.size() + 1, 100 + client, op, invoked, completed, Outcome.unknown("timed out")));
    }

    Call pending(int client, Operation op, long invoked) {
        return add(new Call(calls.size() + 1, 100 + client, op, invoked, Call.PENDING, null));
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    private Call add(Call call) {
        calls.add(call);
        return call;
    }
}
