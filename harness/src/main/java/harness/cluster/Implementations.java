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

    /** The one implementation registered on the harness's own class path, if there is exactly one. */
    public static Optional<RaftImplementation> onClassPath() {
        List<RaftImplementation> found = registered(Implementations.class.getClassLoader());
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
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
            return loadOwn(loader).orElseThrow(() -> new IllegalStateException(jar + " registers no Raft implementation in"
                    + " META-INF/services/harness.api.RaftImplementation"));
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot load " + jar + ": " + e.getMessage(), e);
        }
    }

    /**
     * The implementation registered by {@code loader}'s own class path, not by its parents': a
     * milestone or a workspace loaded beside another on the class path (in {@code ./course jshell
     * 3}, milestone 3) must not find that one too. It reads the registrations the way
     * {@link ServiceLoader} does, from the loader's own jars and folders only.
     */
    public static Optional<RaftImplementation> loadOwn(URLClassLoader loader) {
        String registry = "META-INF/services/" + RaftImplementation.class.getName();
        List<String> names = new java.util.ArrayList<>();
        try {
            for (URL file : java.util.Collections.list(loader.findResources(registry))) {
                try (var in = file.openStream()) {
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                            .map(line -> line.replaceFirst("#.*", "").strip())
                            .filter(line -> !line.isEmpty() && !names.contains(line))
                            .forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + registry + " in " + loader.getName() + ": " + e.getMessage(), e);
        }
        if (names.size() > 1) {
            throw new IllegalStateException(loader.getName() + " registers more than one Raft implementation: " + names
                    + "; register exactly one");
        }
        return names.stream().findFirst().map(name -> instantiate(name, loader));
    }

    private static RaftImplementation instantiate(String name, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(name, true, loader);
            if (!RaftImplementation.class.isAssignableFrom(type)) {
                throw new IllegalStateException(name + " is registered as the Raft implementation but does not implement "
                        + RaftImplementation.class.getName());
            }
            return (RaftImplementation) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the registered Raft implementation " + name + " does not exist: fix"
                    + " META-INF/services/" + RaftImplementation.class.getName(), e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(name + " needs a public constructor without arguments, for the harness to create it", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + name + ": " + e, e);
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
        return module(root, n, Files::isDirectory)
                .orElseThrow(() -> new IllegalArgumentException("there is no milestone " + n + " in " + root));
    }

    /** The module {@code milestone-n-*} of the course at {@code root} that holds milestone n's reference code, if built yet. */
    public static Optional<Path> referenceModule(Path root, int n) {
        return module(root, n, d -> Files.isDirectory(d.resolve("src/main/java/raft")));
    }

    private static Optional<Path> module(Path root, int n, java.util.function.Predicate<Path> what) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("milestone-" + n + "-") && what.test(d)).findFirst();
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
    public static Path courseRoot() {
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
