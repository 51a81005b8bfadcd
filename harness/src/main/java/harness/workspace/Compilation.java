package harness.workspace;

import harness.storage.Folders;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Compiles a learner's sources with the JDK's own compiler ({@code javax.tools}), against the
 * harness and nothing else, the way the course grades them: from {@code ./course grade N --mine},
 * from a notebook, and in the autograder. A failure lists javac's errors with file, line and the
 * offending line, as javac prints them.
 */
public final class Compilation {

    private Compilation() {
    }

    /** The sources did not compile; the message is javac's errors. */
    public static final class Failed extends WorkspaceException {
        Failed(String message) {
            super(message);
        }
    }

    /**
     * Compiles every {@code .java} file under {@code sources} into {@code output} (emptied first, so
     * a deleted source leaves no class behind) and copies the files under {@code resources}, if
     * that folder exists, next to the classes.
     *
     * @param shownFrom paths in error messages are shown relative to this folder
     */
    public static void compile(Path sources, Path resources, Path output, Path shownFrom) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new WorkspaceException("this Java runtime has no compiler (java.home is " + System.getProperty("java.home")
                    + "): run the course with a JDK 17 or newer, not a JRE");
        }
        List<Path> files = javaFiles(sources);
        if (files.isEmpty()) {
            throw new WorkspaceException("there are no .java files under " + shownFrom.relativize(sources) + " to compile");
        }
        Folders.deleteTree(output);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            Files.createDirectories(output);
            List<String> options = List.of("--release", "17", "-encoding", "UTF-8", "-g", "-proc:none",
                    "-d", output.toString(), "--class-path", harnessClassPath().toString());
            boolean ok = javac.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
            if (!ok) {
                throw new Failed(describeErrors(diagnostics.getDiagnostics(), shownFrom));
            }
            copyResources(resources, output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not compile " + sources + ": " + e.getMessage(), e);
        }
    }

    /** Where the harness's classes are (its jar, or its classes folder in a build): all a learner's code may use. */
    static Path harnessClassPath() {
        try {
            return Path.of(harness.api.RaftNode.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot tell where the harness's classes are", e);
        }
    }

    static List<Path> javaFiles(Path sources) {
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(sources)) {
            return walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describeErrors(List<Diagnostic<? extends JavaFileObject>> diagnostics, Path shownFrom) {
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            StringBuilder s = new StringBuilder();
            if (d.getSource() != null) {
                Path file = Path.of(d.getSource().toUri());
                s.append(file.startsWith(shownFrom) ? shownFrom.relativize(file) : file).append(':').append(d.getLineNumber()).append(": ");
            }
            s.append("error: ").append(d.getMessage(Locale.ROOT));
            String line = sourceLine(d);
            if (line != null) {
                s.append('\n').append("    ").append(line.stripTrailing());
                if (d.getColumnNumber() > 0) {
                    s.append('\n').append("    ").append(" ".repeat((int) d.getColumnNumber() - 1)).append('^');
                }
            }
            errors.add(s.toString());
        }
        return "your code does not compile (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + "):\n"
                + String.join("\n", errors);
    }

    private static String sourceLine(Diagnostic<? extends JavaFileObject> d) {
        if (d.getSource() == null || d.getLineNumber() < 1) {
            return null;
        }
        try {
            return d.getSource().getCharContent(true).toString().lines().skip(d.getLineNumber() - 1).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static void copyResources(Path resources, Path output) throws IOException {
        if (resources == null || !Files.isDirectory(resources)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(resources)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                Path target = output.resolve(resources.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
