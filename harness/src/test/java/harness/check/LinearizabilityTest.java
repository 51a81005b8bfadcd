package harness.check;

import harness.api.Operation;
import harness.api.Outcome;
import harness.check.LinearizabilityResult.Verdict;
import harness.history.Call;
import harness.history.RandomHistory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static harness.api.Operation.append;
import static harness.api.Operation.cas;
import static harness.api.Operation.delete;
import static harness.api.Operation.get;
import static harness.api.Operation.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearizabilityTest {

    private static final Duration ENOUGH = Duration.ofSeconds(30);

    private static LinearizabilityResult check(Histories h) {
        return Linearizability.check(h.calls(), ENOUGH);
    }

    private static void assertLinearizable(Histories h) {
        LinearizabilityResult r = check(h);
        assertEquals(Verdict.LINEARIZABLE, r.verdict(), r.explain());
        assertTrue(r.key().isEmpty());
        assertTrue(r.unplaceable().isEmpty());
    }

    private static LinearizabilityResult assertNotLinearizable(Histories h, String key, Call unplaceable) {
        LinearizabilityResult r = check(h);
        assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.explain());
        assertEquals(key, r.key().orElseThrow());
        assertEquals(unplaceable, r.unplaceable().orElseThrow(), r.explain());
        return r;
    }

    // ---- Certain calls -------------------------------------------------------------------------

    @Test
    void aSequentialHistoryIsLinearizable() {
        Histories h = new Histories();
        h.ok(1, get("x"), 0, 10, null);
        h.ok(1, put("x", "1"), 20, 30);
        h.ok(2, get("x"), 40, 50, "1");
        h.ok(2, append("x", "2"), 60, 70);
        h.ok(1, get("x"), 80, 90, "12");
        h.ok(1, delete("x"), 100, 110);
        h.ok(2, get("x"), 120, 130, null);
        assertLinearizable(h);
    }

    @Test
    void aLinearizableResultCountsItsCallsAndKeysInWords() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 10);
        assertEquals("linearizable (1 call, 1 key)", check(h).toString());
        h.ok(2, get("y"), 20, 30, null);
        assertEquals("linearizable (2 calls, 2 keys)", check(h).toString());
    }

    @Test
    void aReadOverlappingTwoConcurrentWritesMaySeeEitherOrNeither() {
        for (String seen : new String[] {null, "1", "2"}) {
            Histories h = new Histories();
            h.ok(1, put("x", "1"), 0, 100);
            h.ok(2, put("x", "2"), 10, 90);
            h.ok(3, get("x"), 5, 95, seen);
            assertLinearizable(h);
        }
    }

    @Test
    void afterBothWritesCompleteTwoReadersMustAgreeOnTheLastOne() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 100);
        h.ok(2, put("x", "2"), 10, 90);
        h.ok(3, get("x"), 200, 210, "2"); // so 2 came last...
        Call stale = h.ok(4, get("x"), 220, 230, "1"); // ...and 1 cannot come back
        assertNotLinearizable(h, "x", stale);
    }

    @Test
    void aStaleReadIsNotLinearizableAndTheReadIsTheCallThatCannotBePlaced() {
        Histories h = new Histories();
        Call put1 = h.ok(1, put("x", "1"), 0, 1_000);
        Call put2 = h.ok(1, put("x", "2"), 8_000, 10_100);
        Call stale = h.ok(2, get("x"), 12_300, 13_000, "1");
        LinearizabilityResult r = assertNotLinearizable(h, "x", stale);
        assertEquals(List.of(put1, put2), r.longestOrder());
        assertEquals("Not linearizable (key x): get x → 1 by client2 cannot be placed: by the time it was invoked (12.3 ms),"
                + " put x 2 by client1 had completed (10.1 ms), so x could no longer be 1: the only call that could make it 1,"
                + " put x 1 by client1, had completed (1.0 ms) before put x 2 was invoked (8.0 ms).", r.explain());
    }

    @Test
    void aStaleReadAfterOverlappingWritesIsExplainedByTheLongestOrder() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 2_500);
        h.ok(2, put("x", "3"), 2_000, 3_000);
        h.ok(3, get("x"), 2_600, 2_700, "3"); // after put 1 completed: so put 3 came last
        Call stale = h.ok(3, get("x"), 4_000, 5_000, "1");
        LinearizabilityResult r = assertNotLinearizable(h, "x", stale);
        assertEquals("Not linearizable (key x): get x → 1 by client3 cannot be placed. The longest order of the calls on x the"
                + " checker found places 3 of them, the last being get x → 3 by client3; after them, x is 3, and the get needs it"
                + " to be 1. It cannot go before put x 3: that had completed (3.0 ms) before it was invoked (4.0 ms). No other order"
                + " works either: the checker tried them all.", r.explain());
    }

    @Test
    void callsThatTouchInTimeCountAsOverlapping() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 100);
        h.ok(2, get("x"), 100, 200, null); // invoked at the very moment the put completed: it may come first
        assertLinearizable(h);
    }

    @Test
    void aLostAppendIsNotLinearizable() {
        Histories h = new Histories();
        h.ok(1, append("x", "a"), 0, 100);
        h.ok(2, append("x", "b"), 10, 110);
        Call read = h.ok(3, get("x"), 200, 300, "b");
        LinearizabilityResult r = assertNotLinearizable(h, "x", read);
        assertEquals(2, r.longestOrder().size());
        assertTrue(r.explain().contains("append x a by client1 had completed (0.1 ms), so x had to contain a"), r.explain());
    }

    @Test
    void anAppendThatTookEffectTwiceIsNotLinearizable() {
        Histories h = new Histories();
        h.ok(1, append("x", "a"), 0, 100);
        Call read = h.ok(2, get("x"), 200, 300, "aa");
        LinearizabilityResult r = assertNotLinearizable(h, "x", read);
        assertTrue(r.explain().endsWith("an append took effect more than once."), r.explain());
    }

    @Test
    void appendsInEitherOrderOfTwoConcurrentOnesAreLinearizable() {
        Histories h = new Histories();
        h.ok(1, append("x", "a"), 0, 100);
        h.ok(2, append("x", "b"), 10, 110);
        h.ok(3, get("x"), 200, 300, "ba");
        assertLinearizable(h);
    }

    @Test
    void aValueNobodyWroteIsNotLinearizable() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 100);
        Call read = h.ok(2, get("x"), 200, 300, "7");
        LinearizabilityResult r = assertNotLinearizable(h, "x", read);
        assertEquals("Not linearizable (key x): get x → 7 by client2 cannot be placed: no call on x could ever make it 7.", r.explain());
    }

    @Test
    void aReadOfAnAbsentKeyAfterACompletedPutIsStale() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 100);
        Call read = h.ok(2, get("x"), 200, 300, null);
        LinearizabilityResult r = assertNotLinearizable(h, "x", read);
        assertTrue(r.explain().contains("so x could no longer be absent: no call on x deletes it."), r.explain());
    }

    // ---- Compare-and-set -----------------------------------------------------------------------

    @Test
    void casSucceedsOnlyOnTheExpectedValueAndFailsOtherwise() {
        Histories h = new Histories();
        h.ok(1, cas("x", null, "1"), 0, 10, "true"); // absent, as expected
        h.ok(2, cas("x", null, "2"), 20, 30, "false"); // no longer absent
        h.ok(1, cas("x", "1", "3"), 40, 50, "true");
        h.ok(2, get("x"), 60, 70, "3");
        assertLinearizable(h);
    }

    @Test
    void aCasThatReportsFailureOnTheExpectedValueIsNotLinearizable() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 10);
        Call cas = h.ok(2, cas("x", "1", "2"), 20, 30, "false");
        LinearizabilityResult r = assertNotLinearizable(h, "x", cas);
        assertTrue(r.explain().contains("the cas needs it to be anything but 1"), r.explain());
    }

    @Test
    void aCasThatSucceedsOnAValueThatWasOverwrittenIsNotLinearizable() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 10);
        h.ok(1, put("x", "2"), 20, 30);
        Call cas = h.ok(2, cas("x", "1", "3"), 40, 50, "true");
        LinearizabilityResult r = assertNotLinearizable(h, "x", cas);
        assertTrue(r.explain().contains("so x could no longer be 1"), r.explain());
    }

    @Test
    void ofTwoConcurrentCasesOnTheSameValueOnlyOneCanSucceed() {
        Histories h = new Histories();
        h.ok(1, put("x", "0"), 0, 1_000);
        h.ok(2, cas("x", "0", "2"), 2_000, 10_000, "true");
        Call second = h.ok(3, cas("x", "0", "3"), 3_000, 9_000, "true"); // both won: one of them saw the other's value
        h.ok(4, get("x"), 20_000, 21_000, "3");
        LinearizabilityResult r = assertNotLinearizable(h, "x", second);
        assertEquals("Not linearizable (key x): cas x 0 3 → true by client3 cannot be placed. The longest order of the calls on x"
                + " the checker found places 2 of them, the last being cas x 0 2 → true by client2; after them, x is 2, and the"
                + " cas needs it to be 0. No other order works either: the checker tried them all.", r.explain());
    }

    // ---- Uncertain calls -----------------------------------------------------------------------

    @Test
    void anUnknownPutThatTookEffectIsLinearizable() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 100);
        h.unknown(1, put("x", "2"), 200, 300);
        h.ok(2, get("x"), 1_000, 1_100, "2");
        assertLinearizable(h);
    }

    @Test
    void anUnknownPutThatNeverTookEffectIsLinearizable() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 100);
        h.unknown(1, put("x", "2"), 200, 300);
        h.ok(2, get("x"), 1_000, 1_100, "1");
        assertLinearizable(h);
    }

    @Test
    void anUnknownPutMayTakeEffectAfterItsClientGaveUpButNotBeforeItWasInvoked() {
        Histories h = new Histories();
        h.unknown(1, put("x", "2"), 200, 300);
        h.ok(2, get("x"), 400, 500, null);
        h.ok(2, get("x"), 600, 700, "2"); // a late commit
        assertLinearizable(h);

        Histories early = new Histories();
        Call read = early.ok(2, get("x"), 0, 100, "2");
        early.unknown(1, put("x", "2"), 200, 300);
        assertNotLinearizable(early, "x", read);
    }

    @Test
    void anUnknownWriteTakesEffectOnceAtMost() {
        Histories h = new Histories();
        h.unknown(1, append("x", "a"), 0, 100);
        Call read = h.ok(2, get("x"), 200, 300, "aa");
        assertNotLinearizable(h, "x", read);
    }

    @Test
    void anUnknownOrPendingGetIsNotChecked() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 100);
        h.unknown(2, get("x"), 200, 300);
        h.pending(3, get("x"), 400);
        assertLinearizable(h);
    }

    @Test
    void aPendingWriteMayTakeEffectOrNot() {
        Histories took = new Histories();
        took.pending(1, put("x", "1"), 0);
        took.ok(2, get("x"), 100, 200, "1");
        assertLinearizable(took);

        Histories notYet = new Histories();
        notYet.pending(1, put("x", "1"), 0);
        notYet.ok(2, get("x"), 100, 200, null);
        assertLinearizable(notYet);

        Histories flickers = new Histories();
        flickers.pending(1, put("x", "1"), 0);
        flickers.ok(2, get("x"), 100, 200, "1");
        Call back = flickers.ok(2, get("x"), 300, 400, null); // seen, then gone again: a write cannot be undone
        assertNotLinearizable(flickers, "x", back);
    }

    @Test
    void anUncertainCasMayTakeEffectOnlyIfItsExpectedValueWasThere() {
        Histories h = new Histories();
        h.ok(1, put("x", "1"), 0, 100);
        h.unknown(2, cas("x", "1", "2"), 200, 300);
        h.ok(3, get("x"), 400, 500, "2");
        assertLinearizable(h);

        Histories wrong = new Histories();
        wrong.ok(1, put("x", "1"), 0, 100);
        wrong.unknown(2, cas("x", "5", "2"), 200, 300);
        Call read = wrong.ok(3, get("x"), 400, 500, "2");
        assertNotLinearizable(wrong, "x", read);
    }

    @Test
    void severalUncertainWritesTakeEffectInWhicheverOrderTheReadsNeed() {
        Histories h = new Histories();
        h.ok(1, put("x", "0"), 0, 10);
        h.unknown(1, put("x", "1"), 20, 30);
        h.unknown(2, put("x", "2"), 20, 30);
        h.unknown(3, append("x", "a"), 20, 30);
        h.ok(4, get("x"), 100, 110, "2");
        h.ok(4, get("x"), 120, 130, "2a");
        h.ok(4, get("x"), 140, 150, "1"); // put 1 took effect last, after everything else was seen
        assertLinearizable(h);
    }

    // ---- Keys ----------------------------------------------------------------------------------

    @Test
    void keysAreCheckedSeparatelyAndAFailureNamesItsKey() {
        Histories h = new Histories();
        h.ok(1, put("y", "1"), 0, 100);
        h.ok(1, put("x", "1"), 0, 100);
        h.ok(2, get("y"), 200, 300, "1");
        h.ok(1, put("x", "2"), 400, 500);
        Call stale = h.ok(2, get("x"), 600, 700, "1");
        h.ok(2, get("y"), 800, 900, "1");
        LinearizabilityResult r = assertNotLinearizable(h, "x", stale);
        assertEquals(2, r.keys());
        assertEquals(1, r.keysDecided(), "y came first and is linearizable");
        assertTrue(r.callsOnKey().stream().allMatch(c -> c.operation().key().equals("x")));
    }

    @Test
    void aValueOfAnotherKeyDoesNotCount() {
        Histories h = new Histories();
        h.ok(1, put("y", "1"), 0, 100);
        Call read = h.ok(2, get("x"), 200, 300, "1");
        assertNotLinearizable(h, "x", read);
    }

    // ---- Budget --------------------------------------------------------------------------------

    /** Budget zero: UNDECIDED for any history with a call, decided only for the empty one (see Linearizability). */
    @Test
    void aZeroBudgetDecidesNothingButTheEmptyHistory() {
        List<Call> big = new RandomHistory(20_000, 20, 5, 0.01).generate(1);
        LinearizabilityResult r = Linearizability.check(big, Duration.ZERO);
        assertEquals(Verdict.UNDECIDED, r.verdict());
        assertFalse(r.interrupted());
        assertEquals(0, r.keysDecided());
        assertTrue(r.explain().startsWith("Undecided: the checker ran out of its budget of 0 ms"), r.explain());

        Histories tiny = new Histories();
        tiny.ok(1, put("x", "1"), 0, 100);
        assertEquals(Verdict.UNDECIDED, Linearizability.check(tiny.calls(), Duration.ZERO).verdict());

        assertEquals(Verdict.LINEARIZABLE, Linearizability.check(List.of(), Duration.ZERO).verdict());
    }

    @Test
    void anInterruptStopsTheCheckAndStaysSet() {
        List<Call> big = new RandomHistory(20_000, 20, 5, 0.01).generate(2);
        Thread.currentThread().interrupt();
        try {
            LinearizabilityResult r = Linearizability.check(big, ENOUGH);
            assertEquals(Verdict.UNDECIDED, r.verdict());
            assertTrue(r.interrupted());
            assertTrue(Thread.currentThread().isInterrupted(), "the caller must still see the interrupt");
            assertTrue(r.explain().startsWith("Undecided: the checker was interrupted"), r.explain());
        } finally {
            Thread.interrupted(); // clears it, for the next test
        }
    }

    @Test
    void aCallThatCompletesBeforeItIsInvokedIsRefused() {
        Call backwards = new Call(1, 101, put("x", "1"), 100, 50, Outcome.ok(null, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Linearizability.check(List.of(backwards), ENOUGH));
    }

    // ---- Random histories ----------------------------------------------------------------------

    @Test
    void historiesMadeFromASequentialRunAreLinearizable() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Call> calls = new RandomHistory(2_000, 1 + (int) seed % 12, 3, 0.02).generate(seed);
            LinearizabilityResult r = Linearizability.check(calls, ENOUGH);
            assertEquals(Verdict.LINEARIZABLE, r.verdict(), "seed " + seed + ": " + r.explain());
        }
    }

    @Test
    void aCorruptedReadInSuchAHistoryIsFound() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Call> calls = new ArrayList<>(new RandomHistory(2_000, 1 + (int) seed % 12, 3, 0.02).generate(seed));
            Random random = new Random(seed);
            int victim;
            do {
                victim = random.nextInt(calls.size());
            } while (!calls.get(victim).isOk() || calls.get(victim).operation().kind() != Operation.Kind.GET);
            Call read = calls.get(victim);
            Call corrupted = read.complete(read.completed(), Outcome.ok("nobody wrote this", 1, 0));
            calls.set(victim, corrupted);
            LinearizabilityResult r = Linearizability.check(calls, ENOUGH);
            assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), "seed " + seed);
            assertEquals(read.operation().key(), r.key().orElseThrow(), "seed " + seed);
            assertEquals(corrupted, r.unplaceable().orElseThrow(), "seed " + seed);
            assertTrue(r.explain().contains("could ever make it nobody wrote this"), r.explain());
        }
    }

    /**
     * The checker's shortcuts (the memory of explored points, and the rules for uncertain calls)
     * must never change its verdict: on thousands of tiny random histories, linearizable or not,
     * it agrees with trying every order.
     */
    @Test
    void theCheckerAgreesWithTryingEveryOrderOnTinyHistories() {
        Random random = new Random(42);
        int[] verdicts = new int[2];
        for (int i = 0; i < 5_000; i++) {
            List<Call> calls = tinyRandomHistory(random);
            boolean expected = BruteForce.linearizable(calls);
            LinearizabilityResult r = Linearizability.check(calls, ENOUGH);
            assertEquals(expected, r.isLinearizable(), () -> "history " + calls + "\n" + r.explain());
            verdicts[expected ? 1 : 0]++;
        }
        assertTrue(verdicts[0] > 500 && verdicts[1] > 500, "both verdicts are well represented: " + verdicts[0] + " and " + verdicts[1]);
    }

    /** Up to 7 calls on 1 or 2 keys, values from a tiny range so that answers are often right by chance, a third uncertain. */
    private static List<Call> tinyRandomHistory(Random random) {
        Histories h = new Histories();
        int n = 2 + random.nextInt(6);
        for (int i = 0; i < n; i++) {
            String key = random.nextInt(4) == 0 ? "y" : "x";
            String value = String.valueOf(random.nextInt(2));
            String answer = null;
            Operation op = switch (random.nextInt(5)) {
                case 0 -> {
                    answer = random.nextInt(3) == 0 ? null : String.valueOf(random.nextInt(3)).repeat(1 + random.nextInt(2));
                    yield get(key);
                }
                case 1 -> put(key, value);
                case 2 -> append(key, value);
                case 3 -> {
                    answer = String.valueOf(random.nextBoolean());
                    String expected = String.valueOf(random.nextInt(2)).repeat(1 + random.nextInt(2));
                    yield cas(key, random.nextBoolean() ? null : expected, value);
                }
                default -> delete(key);
            };
            long invoked = random.nextInt(100);
            long completed = invoked + random.nextInt(40);
            switch (random.nextInt(6)) {
                case 0 -> h.unknown(1 + i, op, invoked, completed);
                case 1 -> h.pending(1 + i, op, invoked);
                default -> h.ok(1 + i, op, invoked, completed, answer);
            }
        }
        return h.calls();
    }
}
