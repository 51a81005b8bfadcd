package harness.history;

import harness.api.Operation;
import harness.api.Outcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A random history of key-value calls that is linearizable by construction: for testing and
 * measuring a linearizability checker, and for notebooks that show one.
 *
 * <p>Each client runs one call at a time: it waits a little, invokes, and completes after a
 * random duration. Each call that takes effect is given a moment inside its interval, and the
 * calls are run one after the other in the order of those moments on a single copy of the store,
 * which gives their answers; so those moments are a linearization. A share of the calls end
 * uncertain, as a client that timed out would see them: they took effect or not (half each), a
 * write that did possibly only after its client gave up (a late commit); a client's last call may
 * still be pending at the end.
 *
 * <p>The mix is that of a read-heavy store: 40% get, 25% put, 15% append, 10% cas (which
 * usually expects the current value, so that it usually succeeds), 10% delete. Every value
 * written is the call's own number, so a read tells which write it saw.
 *
 * @param operations     the number of calls
 * @param clients        the number of clients, client1 to clientN
 * @param keys           the number of keys, k0 to k(N-1), used evenly
 * @param uncertainShare the share of calls, from 0 to 1, whose outcome is unknown or pending
 */
public record RandomHistory(int operations, int clients, int keys, double uncertainShare) {

    private static final long MAX_THINK_MICROS = 200;
    private static final long MIN_DURATION_MICROS = 100;
    private static final long MAX_DURATION_MICROS = 2_000;

    public RandomHistory {
        if (operations < 0 || clients < 1 || keys < 1 || uncertainShare < 0 || uncertainShare > 1) {
            throw new IllegalArgumentException("a random history needs operations >= 0, clients >= 1, keys >= 1 and a share"
                    + " of uncertain calls from 0 to 1; got " + operations + ", " + clients + ", " + keys + ", " + uncertainShare);
        }
    }

    /** The calls, numbered from 1 in the order they were invoked; the same seed gives the same history. */
    public List<Call> generate(long seed) {
        Random random = new Random(seed);
        List<Planned> planned = plan(random);
        // Decide what each call does, and its answer, in the order the calls take effect; the calls that never
        // take effect are decided at their invocation (what they ask cannot matter to anyone).
        planned.sort(Comparator.comparingLong(Planned::decidedAt));
        Map<String, String> store = new HashMap<>();
        for (int i = 0; i < planned.size(); i++) {
            planned.get(i).decide(random, i + 1, "k" + random.nextInt(keys), store);
        }
        planned.sort(Comparator.comparingLong((Planned p) -> p.invoked).thenComparingInt(p -> p.client));
        List<Call> calls = new ArrayList<>(planned.size());
        for (Planned p : planned) {
            calls.add(p.call(calls.size() + 1));
        }
        return calls;
    }

    /** Each client's calls, one after the other: their timing and whether they end uncertain. */
    private List<Planned> plan(Random random) {
        List<Planned> planned = new ArrayList<>(operations);
        for (int k = 1; k <= clients; k++) {
            int count = operations / clients + (k <= operations % clients ? 1 : 0);
            long time = random.nextLong(MAX_THINK_MICROS);
            for (int j = 0; j < count; j++) {
                Planned p = new Planned(100 + k);
                p.invoked = time + random.nextLong(MAX_THINK_MICROS);
                long duration = MIN_DURATION_MICROS + random.nextLong(MAX_DURATION_MICROS - MIN_DURATION_MICROS);
                p.completed = p.invoked + duration;
                p.uncertain = random.nextDouble() < uncertainShare;
                p.pending = p.uncertain && j == count - 1 && random.nextBoolean();
                boolean takesEffect = !p.uncertain || random.nextBoolean();
                // A certain call takes effect inside its interval; an uncertain one that does, possibly long after.
                long window = p.uncertain ? 3 * duration : duration;
                p.takesEffectAt = takesEffect ? p.invoked + 1 + random.nextLong(window - 1) : -1;
                planned.add(p);
                time = p.completed;
            }
        }
        return planned;
    }

    /** One call being made up: first its timing, then what it asked and answered. */
    private static final class Planned {
        final int client;
        long invoked;
        long completed;
        long takesEffectAt; // -1: never
        boolean uncertain;
        boolean pending;
        Operation operation;
        String answer;

        Planned(int client) {
            this.client = client;
        }

        long decidedAt() {
            return takesEffectAt >= 0 ? takesEffectAt : invoked;
        }

        /** Picks the operation, and if the call takes effect, runs it on {@code store} for its answer. */
        void decide(Random random, int number, String key, Map<String, String> store) {
            String value = String.valueOf(number);
            String current = store.get(key);
            int dice = random.nextInt(100);
            if (dice < 40) {
                operation = Operation.get(key);
            } else if (dice < 65) {
                operation = Operation.put(key, value);
            } else if (dice < 80) {
                operation = Operation.append(key, value + ";");
            } else if (dice < 90) {
                String expected = random.nextInt(4) > 0 ? current : String.valueOf(random.nextInt(Math.max(1, number)));
                operation = Operation.cas(key, expected, value);
            } else {
                operation = Operation.delete(key);
            }
            if (takesEffectAt >= 0) {
                answer = apply(store, key, current);
            }
        }

        private String apply(Map<String, String> store, String key, String current) {
            switch (operation.kind()) {
                case GET -> {
                    return current;
                }
                case PUT -> store.put(key, operation.value());
                case APPEND -> store.put(key, (current == null ? "" : current) + operation.value());
                case DELETE -> store.remove(key);
                case CAS -> {
                    boolean matches = Objects.equals(current, operation.expected());
                    if (matches) {
                        store.put(key, operation.value());
                    }
                    return String.valueOf(matches);
                }
            }
            return null;
        }

        Call call(int id) {
            if (pending) {
                return new Call(id, client, operation, invoked, Call.PENDING, null);
            }
            Outcome outcome = uncertain ? Outcome.unknown("timed out") : Outcome.ok(answer, 1, 0);
            return new Call(id, client, operation, invoked, completed, outcome);
        }
    }
}
