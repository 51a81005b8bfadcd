package notebooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The "Java (Raft course)" Jupyter kernel: a {@code kernel.json} that starts rapaio-jupyter-kernel
 * with the course's repair of its start-up race ahead of it on the class path, and with the
 * harness already on the class path of the notebooks' code. Notebooks therefore need no magic
 * to load anything: they import the harness and pick a milestone with
 * {@code Cluster.builder().milestone(n)}, which loads that milestone's built jar in a class loader
 * of its own.
 *
 * @param launcher       the java launcher the kernel runs on
 * @param kernelPath     the kernel's own class path: the repair first, then the kernel jar
 * @param notebookPath   what notebook code can use: the harness jar and its dependencies
 * @param courseRoot     the course's folder, where milestone jars are found
 */
public record KernelSpec(Path launcher, List<Path> kernelPath, List<Path> notebookPath, Path courseRoot) {

    public static final String NAME = "raft-course";
    public static final String DISPLAY_NAME = "Java (Raft course)";
    static final String KERNEL_MAIN = "org.rapaio.jupyter.kernel.MainApp";
    static final String REPAIRED_CLASS = "org/rapaio/jupyter/kernel/channels/LoopThread.class";

    /**
     * The spec for the course in {@code courseRoot}, as built by Maven: the repair in
     * {@code notebooks/target/classes}, the kernel jar this JVM loaded, the harness jar and
     * {@code harness/target/lib}. Fails with what to run if any of them is not built.
     */
    public static KernelSpec forCourse(Path courseRoot) {
        Path root = courseRoot.toAbsolutePath().normalize();
        Path repair = root.resolve("notebooks/target/classes");
        require(Files.isRegularFile(repair.resolve(REPAIRED_CLASS)), "the kernel repair is not compiled (no " + repair.resolve(REPAIRED_CLASS) + ")");
        Path harnessTarget = root.resolve("harness/target");
        Path harnessJar = ownJar(harnessTarget, "harness");
        Path lib = harnessTarget.resolve("lib");
        require(Files.isDirectory(lib), "the harness's dependencies are not copied (no " + lib + ")");
        List<Path> notebookPath = new ArrayList<>();
        notebookPath.add(harnessJar);
        notebookPath.addAll(jarsIn(lib));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new KernelSpec(java, List.of(repair, kernelJar()), List.copyOf(notebookPath), root);
    }

    /** The kernel jar: the one this JVM loaded the kernel's main class from (a Maven dependency). */
    static Path kernelJar() {
        try {
            Class<?> main = Class.forName(KERNEL_MAIN, false, KernelSpec.class.getClassLoader());
            return Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("the rapaio-jupyter-kernel jar is not on this class path: " + e.getMessage(), e);
        }
    }

    private static Path ownJar(Path target, String module) {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches(module + "-\\d[^-]*(-SNAPSHOT)?\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> notBuilt("there is no " + module + " jar in " + target));
        } catch (IOException e) {
            throw notBuilt("there is no " + target);
        }
    }

    private static List<Path> jarsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean built, String what) {
        if (!built) {
            throw notBuilt(what);
        }
    }

    private static IllegalStateException notBuilt(String what) {
        return new IllegalStateException("The course is not built: " + what + ". Run ./course notebooks (it builds"
                + " and registers the kernel), or ./mvnw -q -B -DskipTests package, then try again.");
    }

    /** The kernel.json Jupyter reads. */
    public Map<String, Object> json() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RJK_CLASSPATH", joined(notebookPath, ";")); // the kernel's own separator
        env.put("RJK_TIMEOUT_MILLIS", "-1");                  // no cell time limit: a long soak is allowed
        env.put("RJK_COMPILER_OPTIONS", "");
        env.put("RJK_INIT_SCRIPT", "");
        env.put("RAFT_COURSE_HOME", courseRoot.toString());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("argv", List.of(launcher.toString(), "-cp", joined(kernelPath, File.pathSeparator), KERNEL_MAIN, "{connection_file}"));
        json.put("display_name", DISPLAY_NAME);
        json.put("language", "java");
        json.put("interrupt_mode", "message");
        json.put("env", env);
        return json;
    }

    private static String joined(List<Path> paths, String separator) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(separator));
    }

    /** Writes {@code <kernelsDir>/raft-course/kernel.json} and returns the kernel's folder. */
    public Path writeTo(Path kernelsDir) {
        Path dir = kernelsDir.resolve(NAME);
        try {
            Files.createDirectories(dir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("kernel.json").toFile(), json());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kernel spec to " + dir, e);
        }
        return dir;
    }

    /** The same kernel without the repair: only for measuring how often the original fails to start. */
    public KernelSpec unrepaired() {
        return new KernelSpec(launcher, kernelPath.subList(1, kernelPath.size()), notebookPath, courseRoot);
    }
}
