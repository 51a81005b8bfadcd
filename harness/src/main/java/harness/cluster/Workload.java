package harness.cluster;

import harness.api.Operation;
import harness.history.Call;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Keeps a cluster's clients busy: each client gets its next operation as soon as its previous
 * one completes (a closed loop), until {@link #stop()}. Operations come from a generator; {@link
 * #random} mixes every kind over a few keys, with values that name their client and number
 * ("c2-17"), so a value seen in a read tells which write it came from.
 */
public final class Workload {

    private final Cluster cluster;
    private final IntFunction<Operation> next; // client number → its next operation
    private final List<Integer> clients;
    private boolean running;
    private int submitted;

    private Workload(Cluster cluster, List<Integer> clients, IntFunction<Operation> next) {
        this.cluster = cluster;
        this.clients = List.copyOf(clients);
        this.next = next;
        cluster.onCompletion(this::completed);
    }

    /** Clients 1..n of {@code cluster} running {@code next}, which gives a client's next operation. */
    public static Workload of(Cluster cluster, IntFunction<Operation> next) {
        return new Workload(cluster, clientNumbers(cluster), next);
    }

    /**
     * Every kind of operation over {@code keys}, drawn from {@code seed}: 40% gets, 25% puts, 15%
     * appends, 15% compare-and-sets (expecting the value the client last saw, or a write of its
     * own), 5% deletes.
     */
    public static Workload random(Cluster cluster, long seed, List<String> keys) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Map<Integer, Integer> counts = new HashMap<>();
        return of(cluster, k -> {
            int n = counts.merge(k, 1, Integer::sum);
            String key = keys.get(random.nextInt(keys.size()));
            String value = "c" + k + "-" + n;
            int dice = random.nextInt(100);
            if (dice < 40) return Operation.get(key);
            if (dice < 65) return Operation.put(key, value);
            if (dice < 80) return Operation.append(key, value + ";");
            if (dice < 95) return Operation.cas(key, random.nextBoolean() ? null : "c" + k + "-" + (n - 1), value);
            return Operation.delete(key);
        });
    }

    /** Every client appends "c{k}-{n};" to {@code key}, one after another. */
    public static Workload appends(Cluster cluster, String key) {
        Map<Integer, Integer> counts = new HashMap<>();
        return of(cluster, k -> Operation.append(key, "c" + k + "-" + counts.merge(k, 1, Integer::sum) + ";"));
    }

    private static List<Integer> clientNumbers(Cluster cluster) {
        return java.util.stream.IntStream.rangeClosed(1, cluster.clientIds().size()).boxed().toList();
    }

    /** Gives every idle client an operation, and each the next as its previous one completes. */
    public Workload start() {
        running = true;
        for (int k : clients) {
            if (!cluster.busy(k)) {
                submitNext(k);
            }
        }
        return this;
    }

    /** No further operations; those under way still complete. */
    public void stop() {
        running = false;
    }

    /** How many operations the workload has submitted. */
    public int submitted() {
        return submitted;
    }

    private void completed(Call call) {
        int k = call.client() - harness.api.ClientConfig.FIRST_ID + 1;
        if (running && clients.contains(k) && !cluster.busy(k)) {
            submitNext(k);
        }
    }

    private void submitNext(int k) {
        submitted++;
        cluster.submit(k, next.apply(k));
    }
}
