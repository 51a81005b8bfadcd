package harness.history;

import harness.api.Operation;
import harness.api.Outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * The calls clients made, in the order they were invoked: what a linearizability checker reads.
 * The harness appends a call when a client is asked to run an operation and completes it when the
 * client answers. A call still pending at the end may or may not have taken effect.
 */
public final class History {

    private final List<Call> calls = new ArrayList<>();
    private int pending; // calls invoked and not yet completed

    /** Records that {@code client} was asked to run {@code operation} at {@code time}; returns the call's id. */
    public synchronized int invoke(int client, Operation operation, long time) {
        int id = calls.size() + 1;
        calls.add(new Call(id, client, operation, time, Call.PENDING, null));
        pending++;
        return id;
    }

    /** Records the client's answer to call {@code id} at {@code time}. */
    public synchronized Call complete(int id, long time, Outcome outcome) {
        Call call = calls.get(id - 1);
        if (!call.isPending()) {
            throw new IllegalStateException("call " + id + " (" + call + ") was already completed");
        }
        Call done = call.complete(time, outcome);
        calls.set(id - 1, done);
        pending--;
        return done;
    }

    /** Call {@code id} as it stands now. */
    public synchronized Call call(int id) {
        if (id < 1 || id > calls.size()) {
            throw new IllegalArgumentException("there is no call " + id + "; the history has " + calls.size());
        }
        return calls.get(id - 1);
    }

    /** Whether some call has not completed yet: cheap enough to ask after every event of a run. */
    public synchronized boolean anyPending() {
        return pending > 0;
    }

    /** Every call so far, in invocation order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized int size() {
        return calls.size();
    }

    /** A history made of the given calls (hand-made histories in tests and notebooks). */
    public static History of(List<Call> calls) {
        History h = new History();
        h.calls.addAll(calls);
        h.pending = (int) calls.stream().filter(Call::isPending).count();
        return h;
    }
}
