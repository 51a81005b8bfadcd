package harness.check;

import harness.api.Operation;
import harness.history.Call;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Whether the calls on one key are linearizable: Wing and Gong's search for an order of the calls
 * that respects real time and the {@link KeyValueModel}, with Lowe's improvements.
 *
 * <p>The calls' invocations and completions are entries of one list in time order (at equal
 * times an invocation comes first, so calls that touch count as overlapping: the lenient reading,
 * which never blames a store for a tie). The search walks the list from its head: an invocation
 * is a call it may place next, if the model allows; placing it takes the call's entries out of
 * the list and starts again from the head. Reaching a completion means that call should have been
 * placed by now, and was not: a dead end, so the search takes back the last call it placed and
 * tries the next candidate after it. The list is linked both ways, so taking entries out and
 * putting them back costs nothing (Knuth's dancing links). Lowe's improvement is the memory of
 * the points already explored ({@link Explored}): from the same point the search would fail the
 * same way again, and without this memory it is hopeless on a real history.
 *
 * <p>An uncertain call (pending or UNKNOWN) has no completion entry: nothing ever forces it into
 * the order, so it may be placed anywhere after its invocation, or never. The search has
 * succeeded when it walks off the end of the list: every completion, so every OK call, is placed.
 * Uncertain calls pile up at the head of the list (they never leave it unless placed), so their
 * invocations have a list of their own, scanned only when no OK call fits: the candidates are
 * those invoked before the first completion left.
 *
 * <p>Shortcuts keep the search small, each safe because it only skips orders when an order the
 * search does try is at least as good (a test compares the verdicts with trying every order):
 * <ul>
 *   <li>At each point, the search first looks for an OK get, or cas that answered false, that fits:
 *       such a call changes nothing wherever it goes, and no call left must come before it, so if
 *       any order works, one placing it right here does. It is the only call tried there.</li>
 *   <li>Then any OK call is tried, and uncertain calls only after them.</li>
 *   <li>All values no call left can see are one value, "dead" ({@link ReadableValues}).</li>
 *   <li>An uncertain call is not placed where it would change nothing (a cas that does not match,
 *       an append to a dead value): leaving it out is the same, with more options left. Nor where it
 *       would kill the value, unless a cas that answered "false" could need that ({@link #worthPlacing}).</li>
 *   <li>A put or delete is not placed straight after an uncertain call: it would erase that call's
 *       effect before anyone saw it, which is the same as never placing the uncertain call.</li>
 * </ul>
 *
 * <p>The search is a loop with an explicit stack (a linked list of {@link Placed} steps), so a
 * history of a hundred thousand calls cannot overflow the thread's stack, and the stack's top at
 * the deepest dead end is kept as it is, at no cost, as the longest partial order found. A
 * KeySearch runs once.
 */
final class KeySearch {

    /** What the search concluded, the longest partial order it found, and the call that order could not take. */
    record Finding(LinearizabilityResult.Verdict verdict, List<Call> longestOrder, Call unplaceable) {
    }

    /** The budget is asked this often (a power of two, in steps of the search): rarely enough to cost nothing. */
    private static final int STEPS_BETWEEN_CHECKS = 1 << 10;
    private static final int HEAD = 0;

    /**
     * What the scan of the list is looking for at a point of the search: first a call that changes
     * nothing and fits, then any OK call, then an uncertain call.
     */
    private enum Pass { FREE, OK_CALLS, UNCERTAIN_CALLS }

    /**
     * One call the search placed, on top of the steps {@code below}: where the scan was when it
     * placed it (to go on from there if it must take the call back), and the key's value before.
     */
    private record Placed(int entry, Pass pass, int barrier, KeyState before, Placed below, int okCalls) {
    }

    /**
     * The calls that can matter, in the order they were invoked, indexed from 0: an uncertain get
     * changes nothing and its answer is not checked. The OK calls and the uncertain calls are also
     * numbered separately, in the same order, for the sets of calls placed.
     */
    private final List<Call> calls;
    private final int[] numberOf;
    private final ReadableValues readable;
    private final int tail;
    // The entries, numbered in time order: 0 is the head, `tail` the end, and in between the
    // invocations and completions. next and prev link the OK calls' entries; nextUncertain and
    // prevUncertain the uncertain calls' invocations, which are scanned only in their own pass.
    // callOf says whose entry it is; match links an OK call's invocation and completion (-1: none).
    private final int[] next;
    private final int[] prev;
    private final int[] nextUncertain;
    private final int[] prevUncertain;
    private final int[] callOf;
    private final int[] match;
    private final boolean[] completion;

    // Where the search stands.
    private final BitSet okPlaced;
    private final BitSet uncertainPlaced;
    private int lowWater; // the first OK call, by number, not placed
    private final Explored explored = new Explored();
    private KeyState state = KeyState.ABSENT; // every key starts absent
    private Placed top;
    private int entry;
    private Pass pass;
    private int barrier; // in the uncertain pass: the first completion left, which the uncertain calls must be invoked before
    private Placed longest;
    private int longestOkCalls = -1;
    private Call unplaceable;

    KeySearch(List<Call> callsOnKey) {
        this.calls = callsOnKey.stream().filter(c -> c.isOk() || c.operation().writes())
                .sorted(Comparator.comparingLong(Call::invoked).thenComparingInt(Call::id)).toList();
        this.readable = new ReadableValues(calls);
        this.numberOf = new int[calls.size()];
        int ok = 0;
        int uncertain = 0;
        for (int i = 0; i < calls.size(); i++) {
            numberOf[i] = calls.get(i).isOk() ? ok++ : uncertain++;
        }
        this.okPlaced = new BitSet(ok);
        this.uncertainPlaced = new BitSet(uncertain);

        List<long[]> events = new ArrayList<>(); // {time, 0 for an invocation or 1 for a completion, call index}
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            events.add(new long[] {call.invoked(), 0, i});
            if (call.isOk()) {
                events.add(new long[] {call.completed(), 1, i});
            }
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]).thenComparingLong(e -> e[2]));
        tail = events.size() + 1;
        next = new int[tail + 1];
        prev = new int[tail + 1];
        callOf = new int[tail + 1];
        match = new int[tail + 1];
        completion = new boolean[tail + 1];
        nextUncertain = new int[tail + 1];
        prevUncertain = new int[tail + 1];
        int[] invocationOf = new int[calls.size()];
        int lastCertain = HEAD;
        int lastUncertain = HEAD;
        for (int e = 1; e < tail; e++) {
            long[] event = events.get(e - 1);
            int call = (int) event[2];
            callOf[e] = call;
            match[e] = -1;
            if (event[1] == 0) {
                invocationOf[call] = e;
            } else {
                completion[e] = true;
                match[invocationOf[call]] = e;
                match[e] = invocationOf[call];
            }
            // Each list is linked in time order; entry 0 heads both and `tail` ends both.
            if (calls.get(call).isOk()) {
                link(next, prev, lastCertain, e);
                lastCertain = e;
            } else {
                link(nextUncertain, prevUncertain, lastUncertain, e);
                lastUncertain = e;
            }
        }
        link(next, prev, lastCertain, tail);
        link(nextUncertain, prevUncertain, lastUncertain, tail);
    }

    private static void link(int[] next, int[] prev, int from, int to) {
        next[from] = to;
        prev[to] = from;
    }

    Finding run(Budget budget) {
        startNewPoint();
        for (long steps = 1; ; steps++) {
            if ((steps & (STEPS_BETWEEN_CHECKS - 1)) == 0 && budget.spent()) {
                return new Finding(LinearizabilityResult.Verdict.UNDECIDED, order(longest), null);
            }
            if (entry == tail && pass != Pass.UNCERTAIN_CALLS) {
                return new Finding(LinearizabilityResult.Verdict.LINEARIZABLE, order(top), null);
            }
            boolean lost;
            if (completion[entry] || pass == Pass.UNCERTAIN_CALLS && entry > barrier) {
                lost = !nextPassOrBack();
            } else if (!candidate()) {
                lost = !advance();
            } else if (placeIfNew()) {
                startNewPoint();
                lost = false;
            } else {
                // The search has been where this call leads before, in vain. If the call changes
                // nothing, it was the one to place here, so this point is a dead end too.
                lost = pass == Pass.FREE ? !takeBack() : !advance();
            }
            if (lost) {
                return new Finding(LinearizabilityResult.Verdict.NOT_LINEARIZABLE, order(longest), unplaceable);
            }
        }
    }

    private void startNewPoint() {
        entry = next[HEAD];
        pass = Pass.FREE;
    }

    /** Moves the scan on to the next entry of its list; returns true, as the search goes on. */
    private boolean advance() {
        entry = pass == Pass.UNCERTAIN_CALLS ? nextUncertain[entry] : next[entry];
        return true;
    }

    /**
     * At a completion: the call it completes should have been placed by now. Before giving up on
     * this point, the scan starts over for the next kind of candidate; after the last kind, this
     * point is a dead end. Returns false when there is nothing left to take back.
     */
    private boolean nextPassOrBack() {
        if (pass == Pass.FREE) {
            entry = next[HEAD];
            pass = Pass.OK_CALLS;
            return true;
        }
        if (pass == Pass.OK_CALLS) {
            barrier = entry;
            entry = nextUncertain[HEAD];
            pass = Pass.UNCERTAIN_CALLS;
            return true;
        }
        int okCalls = top == null ? 0 : top.okCalls();
        if (okCalls > longestOkCalls) {
            longestOkCalls = okCalls;
            longest = top;
            unplaceable = calls.get(callOf[barrier]);
        }
        return takeBack();
    }

    /** Whether this pass tries the call at {@code entry} here: the model allows it, and none of the rules forbids it. */
    private boolean candidate() {
        Call call = calls.get(callOf[entry]);
        boolean kind = switch (pass) {
            case FREE -> KeyValueModel.readOnly(call);
            case OK_CALLS -> call.isOk();
            case UNCERTAIN_CALLS -> !call.isOk() && worthPlacing(after(call));
        };
        if (!kind || !allows(call)) {
            return false;
        }
        boolean afterUncertain = top != null && !calls.get(callOf[top.entry()]).isOk();
        return !(afterUncertain && KeyValueModel.blind(call));
    }

    /**
     * Whether an uncertain call that would leave the key {@code after} could be of any use. Not if
     * it changes nothing. Nor if it kills the value: until the next put or delete, a dead value
     * admits only appends and cases that answered "false", and the first of those cases that
     * needs the call would have expected the current value with appends after it; without such a
     * cas left, leaving the call out does as well.
     */
    private boolean worthPlacing(KeyState after) {
        if (after.equals(state)) {
            return false;
        }
        return !after.dead() || readable.missedByAFailedCas(state.value());
    }

    /** Places the call at {@code entry}, unless the point it leads to was explored before. */
    private boolean placeIfNew() {
        int index = callOf[entry];
        Call call = calls.get(index);
        flip(call, index);
        KeyState after = after(call); // once placed, what the call saw keeps no value alive
        if (!explored.addIfNew(okPlaced, lowWater, uncertainPlaced, after, !call.isOk())) {
            flip(call, index);
            return false;
        }
        top = new Placed(entry, pass, barrier, state, top, (top == null ? 0 : top.okCalls()) + (call.isOk() ? 1 : 0));
        state = after;
        takeOut(entry);
        return true;
    }

    /**
     * Takes back the last call placed, and the scan goes on with the candidate after it. A call
     * placed in the free pass was the only one tried at its point, and it failed: so that point is
     * a dead end as well, and the call before it is taken back too. Returns false when the search
     * has nothing left to take back: no order works.
     */
    private boolean takeBack() {
        while (top != null) {
            Placed last = top;
            top = last.below();
            flip(calls.get(callOf[last.entry()]), callOf[last.entry()]);
            state = last.before();
            putBack(last.entry());
            if (last.pass() != Pass.FREE) {
                pass = last.pass();
                barrier = last.barrier();
                entry = pass == Pass.UNCERTAIN_CALLS ? nextUncertain[last.entry()] : next[last.entry()];
                return true;
            }
        }
        return false;
    }

    // ---- The model, on values that may be dead -------------------------------------------------

    /** {@link KeyValueModel#allows} on the current value; on a dead one, no get or successful cas can have seen it. */
    private boolean allows(Call call) {
        if (!state.dead()) {
            return KeyValueModel.allows(state.value(), call);
        }
        Operation op = call.operation();
        boolean sawIt = op.kind() == Operation.Kind.GET || op.kind() == Operation.Kind.CAS && "true".equals(call.outcome().value());
        return !call.isOk() || !sawIt;
    }

    /**
     * {@link KeyValueModel#after} on the current value, dead if no call left could see it; only a
     * put or a delete changes a dead value.
     */
    private KeyState after(Call call) {
        if (state.dead()) {
            return KeyValueModel.blind(call) ? KeyState.of(KeyValueModel.after(null, call), readable) : KeyState.DEAD;
        }
        return KeyState.of(KeyValueModel.after(state.value(), call), readable);
    }

    // ---- The list and the sets of calls placed -------------------------------------------------

    /** Marks the call placed if it was not, and not placed if it was. */
    private void flip(Call call, int index) {
        int number = numberOf[index];
        BitSet placed = call.isOk() ? okPlaced : uncertainPlaced;
        if (placed.get(number)) {
            placed.clear(number);
            readable.takenBack(call);
        } else {
            placed.set(number);
            readable.placed(call);
        }
        if (call.isOk()) {
            lowWater = placed.get(number) ? okPlaced.nextClearBit(lowWater) : Math.min(lowWater, number);
        }
    }

    /** The calls of a partial order, first placed first. */
    private List<Call> order(Placed last) {
        List<Call> order = new ArrayList<>();
        for (Placed p = last; p != null; p = p.below()) {
            order.add(calls.get(callOf[p.entry()]));
        }
        Collections.reverse(order);
        return List.copyOf(order);
    }

    /** Takes a call's invocation (and completion, if it has one) out of its list. */
    private void takeOut(int invocation) {
        if (match[invocation] < 0) {
            unlink(nextUncertain, prevUncertain, invocation);
        } else {
            unlink(next, prev, invocation);
            unlink(next, prev, match[invocation]);
        }
    }

    /** Undoes {@link #takeOut}; the entries still know their neighbours, so this is exact if undone in reverse order. */
    private void putBack(int invocation) {
        if (match[invocation] < 0) {
            relink(nextUncertain, prevUncertain, invocation);
        } else {
            relink(next, prev, match[invocation]);
            relink(next, prev, invocation);
        }
    }

    private static void unlink(int[] next, int[] prev, int e) {
        next[prev[e]] = next[e];
        prev[next[e]] = prev[e];
    }

    private static void relink(int[] next, int[] prev, int e) {
        next[prev[e]] = e;
        prev[next[e]] = e;
    }
}
