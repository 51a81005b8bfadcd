package harness.grade;

import harness.cluster.Cluster;
import harness.cluster.Conditions;

import java.util.ArrayList;
import java.util.List;

/**
 * The clusters a graded scenario builds, remembered so that a failure report can show their
 * state, network and last events. Suites build clusters through here, not through
 * {@link Cluster} directly.
 */
public final class Scenario {

    private static final ThreadLocal<List<Cluster>> CLUSTERS = ThreadLocal.withInitial(ArrayList::new);

    private Scenario() {
    }

    /** A simulated cluster of the code under test, remembered for the failure report. */
    public static Cluster cluster(Cluster.Builder builder) {
        Cluster cluster = builder.simulated();
        CLUSTERS.get().add(cluster);
        return cluster;
    }

    /** {@code nodes} simulated servers on a reliable network. */
    public static Cluster cluster(int nodes, long seed) {
        return cluster(Cluster.builder().nodes(nodes).seed(seed));
    }

    /** {@code nodes} simulated servers on a network with the given conditions. */
    public static Cluster cluster(int nodes, long seed, Conditions conditions) {
        return cluster(Cluster.builder().nodes(nodes).seed(seed).network(conditions));
    }

    static List<Cluster> built() {
        return List.copyOf(CLUSTERS.get());
    }

    static void forget() {
        CLUSTERS.get().forEach(Cluster::close);
        CLUSTERS.remove();
    }
}
