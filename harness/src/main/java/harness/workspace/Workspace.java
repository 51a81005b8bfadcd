package harness.workspace;

import harness.api.RaftImplementation;
import harness.cluster.Implementations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A learner's workspace for one milestone: {@code workspace/milestone-N/} under the course, a
 * Maven module of its own that holds the learner's {@code raft} package, made by
 * {@code ./course start N}. The course compiles it with the JDK's compiler whenever a source has
 * changed and loads it in a class loader of its own, so the graded suites, demos and notebooks
 * run the learner's code without knowing anything of it but its {@link RaftImplementation}.
 */
public final class Workspace {

    /** The folder under the course that holds every workspace. */
    public static final String FOLDER = "workspace";

    /** Loaded workspaces, by folder and the fingerprint of what was compiled: a changed source gets a fresh loader. */
    private static final Map<String, RaftImplementation> LOADED = new ConcurrentHashMap<>();

    private final Path dir;
    private final int milestone;
    private final Path shownFrom;

    private Workspace(Path dir, int milestone, Path shownFrom) {
        this.dir = dir.toAbsolutePath().normalize();
        this.milestone = milestone;
        this.shownFrom = shownFrom.toAbsolutePath().normalize();
    }

    /** The workspace for milestone {@code n} of the course at {@code courseRoot}: {@code workspace/milestone-n}. */
    public static Workspace of(Path courseRoot, int n) {
        return new Workspace(courseRoot.resolve(FOLDER).resolve("milestone-" + n), n, courseRoot);
    }

    /** The workspace for milestone {@code n} of the course this harness was built in (notebooks, demos). */
    public static Workspace of(int n) {
        return of(Implementations.courseRoot(), n);
    }

    /** A workspace in any folder, such as a submission the autograder unpacked; messages show paths from {@code shownFrom}. */
    public static Workspace at(Path dir, int n, Path shownFrom) {
        return new Workspace(dir, n, shownFrom);
    }

    public Path dir() {
        return dir;
    }

    public int milestone() {
        return milestone;
    }

    /** The workspace's folder as messages show it, such as "workspace/milestone-3". */
    public String name() {
        return dir.startsWith(shownFrom) && !dir.equals(shownFrom) ? shownFrom.relativize(dir).toString() : dir.toString();
    }

    public Path sources() {
        return dir.resolve("src/main/java");
    }

    public Path resources() {
        return dir.resolve("src/main/resources");
    }

    public Path classes() {
        return dir.resolve("target/classes");
    }

    public boolean exists() {
        return Files.isDirectory(sources());
    }

    /** The learner's own {@code raft} package. */
    public Path raftPackage() {
        return sources().resolve("raft");
    }

    /**
     * Compiles the workspace if any of its sources (or the harness) changed since the last
     * compilation, and returns the folder of its classes.
     */
    public Path compile() {
        requireExists();
        String fingerprint = fingerprint();
        Path stamp = dir.resolve("target/course-compiled");
        try {
            if (Files.isRegularFile(stamp) && Files.readString(stamp).equals(fingerprint) && Files.isDirectory(classes())) {
                return classes();
            }
            Files.deleteIfExists(stamp);
            Compilation.compile(sources(), resources(), classes(), shownFrom);
            Files.writeString(stamp, fingerprint);
            return classes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not compile " + name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The learner's implementation: compiled if needed, loaded in a class loader of its own whose
     * parent holds the harness, and checked to be the milestone this workspace is for.
     */
    public RaftImplementation load() {
        Path classes = compile();
        return LOADED.computeIfAbsent(dir + "@" + fingerprint(), key -> loadFrom(classes));
    }

    private RaftImplementation loadFrom(Path classes) {
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(name(), new URL[] {classes.toUri().toURL()}, Workspace.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot load " + classes + ": " + e.getMessage(), e);
        }
        RaftImplementation found = Implementations.loadOwn(loader).orElseThrow(() -> new WorkspaceException(name()
                + " registers no Raft implementation: its src/main/resources/META-INF/services/harness.api.RaftImplementation"
                + " must name your RaftImplementation class (./course start writes raft.Milestone there)"));
        if (found.milestone() != milestone) {
            throw new WorkspaceException(name() + " is the workspace for milestone " + milestone + ", but its "
                    + found.getClass().getName() + ".milestone() returns " + found.milestone() + ": make it return " + milestone);
        }
        return found;
    }

    private void requireExists() {
        if (!exists()) {
            throw new WorkspaceException("there is no workspace for milestone " + milestone + " (no " + name()
                    + "/src/main/java): make one with ./course start " + milestone);
        }
    }

    /** Every source's path, size and time, and the harness's time: it changes whenever a compilation is due. */
    private String fingerprint() {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir.resolve("src"))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                s.append(dir.relativize(f)).append(' ').append(Files.size(f)).append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
            s.append("harness ").append(Files.getLastModifiedTime(Compilation.harnessClassPath()).toMillis()).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + name() + ": " + e.getMessage(), e);
        }
        return s.toString();
    }
}
