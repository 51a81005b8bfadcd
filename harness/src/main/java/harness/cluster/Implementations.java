package harness.cluster;

import harness.api.RaftImplementation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the Raft implementation on the class path, the one a milestone module registers in
 * {@code META-INF/services/harness.api.RaftImplementation}. Clusters run it unless told
 * otherwise; the system property {@code raft.bug} swaps in one of its bug-zoo variants.
 */
public final class Implementations {

    private static volatile Subject override;
    /** Jars already loaded, by path and time of the build: a rebuilt jar gets a fresh class loader. */
    private static final Map<String, RaftImplementation> builtMilestones = new ConcurrentHashMap<>();

    private Implementations() {
    }

    /** The one implementation registered with the given class loader. */
    public static RaftImplementation load(ClassLoader loader) {
        List<RaftImplementation> found = registered(loader);
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

    private static List<RaftImplementation> registered(ClassLoader loader) {
        return ServiceLoader.load(RaftImplementation.class, loader).stream().map(ServiceLoader.Provider::get).toList();
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

    /**
     * Milestone {@code n}'s implementation: the one on the class path if it is milestone {@code n}
     * (as in {@code ./course jshell n}), otherwise the jar its module built, loaded by a class
     * loader of its own. Every milestone has a class {@code raft.Server}, so two milestones can
     * only live side by side in one JVM (a notebook kernel) if each has its own loader. When the
     * jar has been rebuilt since it was last loaded, the new build is loaded: a learner can change
     * a milestone and rerun a notebook cell without restarting the kernel.
     */
    public static RaftImplementation milestone(int n) {
        List<RaftImplementation> here = registered(Implementations.class.getClassLoader());
        if (here.size() == 1 && here.get(0).milestone() == n) {
            return here.get(0);
        }
        Path jar = builtJar(n);
        RaftImplementation loaded = builtMilestones.computeIfAbsent(jar + "@" + lastModified(jar), key -> loadJar(n, jar));
        if (loaded.milestone() != n) {
            throw new IllegalStateException("the jar of milestone " + n + " registers " + loaded.name() + ", which says it"
                    + " completes milestone " + loaded.milestone() + "; fix its RaftImplementation.milestone()");
        }
        return loaded;
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RaftImplementation loadJar(int n, Path jar) {
        try {
            URLClassLoader loader = new URLClassLoader("milestone-" + n, new URL[] {jar.toUri().toURL()},
                    Implementations.class.getClassLoader());
            return load(loader);
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot load " + jar + ": " + e.getMessage(), e);
        }
    }

    /** The jar built by module {@code milestone-n-*} under the course's root folder. */
    static Path builtJar(int n) {
        Path root = courseRoot();
        Path module = moduleOf(root, n);
        return jarIn(module).orElseThrow(() -> new IllegalStateException("milestone " + n + " is not built (no jar in "
                + root.relativize(module) + "/target): run ./mvnw -q -B -DskipTests package in " + root
                + " (./course notebooks does it too), then run this again"));
    }

    private static Path moduleOf(Path root, int n) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isDirectory(d) && d.getFileName().toString().startsWith("milestone-" + n + "-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("there is no milestone " + n + " in " + root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module's own jar, such as milestone-1-election-1.0.0-SNAPSHOT.jar (not a sources or tests jar). */
    private static Optional<Path> jarIn(Path module) {
        Pattern ownJar = Pattern.compile(Pattern.quote(module.getFileName().toString()) + "-\\d[^-]*(-SNAPSHOT)?\\.jar");
        try (Stream<Path> files = Files.list(module.resolve("target"))) {
            return files.filter(f -> ownJar.matcher(f.getFileName().toString()).matches()).findFirst();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The course's root folder: the system property {@code raft.home} or the environment variable
     * {@code RAFT_COURSE_HOME} if set, otherwise the folder the harness was built in (its classes
     * or jar sit in {@code <root>/harness/target}).
     */
    static Path courseRoot() {
        String configured = System.getProperty("raft.home", System.getenv("RAFT_COURSE_HOME"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        try {
            Path harnessBuild = Path.of(Implementations.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = harnessBuild.getParent().getParent().getParent();
            if (Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("harness"))) {
                return root;
            }
        } catch (URISyntaxException | NullPointerException e) {
            // fall through to the error below: the harness was not loaded from a course build
        }
        throw new IllegalStateException("cannot tell where the course is: set RAFT_COURSE_HOME (or -Draft.home) to its folder");
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
