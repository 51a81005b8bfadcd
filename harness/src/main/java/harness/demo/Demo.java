package harness.demo;

import harness.cluster.Cluster;

import java.io.PrintStream;
import java.util.Optional;

/** A milestone's golden path: a short scripted story on a cluster, told as a timeline. */
public interface Demo {

    /** How many servers the story needs. */
    int servers();

    /** How many clients the story puts on the network (milestone 5 on); none before. */
    default int clients() {
        return 0;
    }

    /** What the demo shows, in a line. */
    String title();

    /** Plays the story on {@code cluster}, narrating with {@link Cluster#note}. */
    void play(Cluster cluster, PrintStream out);

    /**
     * Plays the story on {@code cluster}; a story that also shows what a bug-zoo variant would do
     * gets a cluster running it from {@code variants}. Stories that need none play {@link #play(Cluster, PrintStream)}.
     */
    default void play(Cluster cluster, PrintStream out, Variants variants) {
        play(cluster, out);
    }

    /** Where a story gets further clusters: the same servers, clients and seed, running a bug-zoo variant. */
    interface Variants {

        /** For a story told without variants: there are none. */
        Variants NONE = bug -> Optional.empty();

        /**
         * A new cluster of the demo's shape and seed, starting at time 0, running bug-zoo variant
         * {@code bug} of the code under test and narrated on the same timeline; empty if that code
         * has no such variant (a learner's workspace has no bug zoo).
         */
        Optional<Cluster> withBug(String bug);
    }

    /** The demo of milestone {@code n}, or a clear error if that milestone has none yet. */
    static Demo of(int n) {
        return switch (n) {
            case 1 -> new ElectionDemo();
            case 2 -> new ReplicationDemo();
            case 3 -> new CommitDemo();
            case 4 -> new PersistenceDemo();
            case 5 -> new KeyValueDemo();
            default -> throw new IllegalArgumentException("milestone " + n + " has no demo yet; the demos are: 1, 2, 3, 4, 5");
        };
    }
}
