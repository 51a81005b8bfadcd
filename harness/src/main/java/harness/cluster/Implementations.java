package harness.cluster;

import harness.api.RaftImplementation;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the Raft implementation on the class path, the one a milestone module registers in
 * {@code META-INF/services/harness.api.RaftImplementation}. Clusters run it unless told
 * otherwise; the system property {@code raft.bug} swaps in one of its bug-zoo variants.
 */
public final class Implementations {

    private static volatile Subject override;

    private Implementations() {
    }

    /** The one implementation registered with the given class loader. */
    public static RaftImplementation load(ClassLoader loader) {
        List<RaftImplementation> found = ServiceLoader.load(RaftImplementation.class, loader).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        if (found.isEmpty()) {
            throw new IllegalStateException("no Raft implementation on the class path: a milestone module registers its"
                    + " implementation in src/main/resources/META-INF/services/harness.api.RaftImplementation; build it"
                    + " (./mvnw -q package -DskipTests) and put its jar on the class path");
        }
        if (found.size() > 1) {
            throw new IllegalStateException("more than one Raft implementation on the class path: "
                    + found.stream().map(RaftImplementation::name).toList() + "; put exactly one milestone's jar on it");
        }
        return found.get(0);
    }

    /** The code under test: the registered implementation, with the bug named by {@code raft.bug} if set. */
    public static Subject underTest() {
        Subject o = override;
        if (o != null) {
            return o;
        }
        Subject subject = new Subject(load(Implementations.class.getClassLoader()));
        String bug = System.getProperty("raft.bug", "");
        return bug.isBlank() ? subject : subject.withBug(bug.strip());
    }

    /** Runs {@code body} with {@code subject} as the code under test (for the bug-zoo check). */
    public static void runWith(Subject subject, Runnable body) {
        Subject previous = override;
        override = subject;
        try {
            body.run();
        } finally {
            override = previous;
        }
    }
}
