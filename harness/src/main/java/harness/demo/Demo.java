package harness.demo;

import harness.cluster.Cluster;

import java.io.PrintStream;

/** A milestone's golden path: a short scripted story on a cluster, told as a timeline. */
public interface Demo {

    /** How many servers the story needs. */
    int servers();

    /** What the demo shows, in a line. */
    String title();

    /** Plays the story on {@code cluster}, narrating with {@link Cluster#note}. */
    void play(Cluster cluster, PrintStream out);

    /** The demo of milestone {@code n}, or a clear error if that milestone has none yet. */
    static Demo of(int n) {
        return switch (n) {
            case 1 -> new ElectionDemo();
            case 2 -> new ReplicationDemo();
            case 3 -> new CommitDemo();
            case 4 -> new PersistenceDemo();
            default -> throw new IllegalArgumentException("milestone " + n + " has no demo yet; the demos are: 1, 2, 3, 4");
        };
    }
}
