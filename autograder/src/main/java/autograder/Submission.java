package autograder;

import harness.workspace.Starter;
import harness.workspace.Workspace;
import harness.workspace.WorkspaceException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A student's submission as uploaded: a folder that holds, at any depth, the Java files of package
 * {@code raft} (and its subpackages), whether the student uploaded the whole workspace or the
 * {@code raft} folder alone. It is laid out as a workspace: sources by package, the registration
 * of {@code raft.Milestone}, and that class too if the submission left it out.
 */
final class Submission {

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+(raft(?:\\.[\\w.]+)?)\\s*;", Pattern.MULTILINE);
    private static final String REGISTRY = "META-INF/services/harness.api.RaftImplementation";

    private Submission() {
    }

    /** Copies the submission's raft package into {@code ws}; fails, saying why, if there is none or it is ambiguous. */
    static void layOut(Path submission, Workspace ws, int milestone) {
        if (!Files.isDirectory(submission)) {
            throw new WorkspaceException("the submission " + submission + " is not a folder");
        }
        Map<Path, Path> sources = new LinkedHashMap<>(); // where it goes in the package -> where it was submitted
        Path registry = null;
        try (Stream<Path> files = Files.walk(submission)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = submission.relativize(file).toString().replace('\\', '/');
                if (name.endsWith(".java")) {
                    Matcher m = PACKAGE.matcher(Files.readString(file, StandardCharsets.UTF_8));
                    if (m.find()) {
                        Path target = Path.of(m.group(1).replace('.', '/')).resolve(file.getFileName().toString());
                        Path earlier = sources.putIfAbsent(target, file);
                        if (earlier != null) {
                            throw new WorkspaceException("the submission holds two files for " + target + ": "
                                    + submission.relativize(earlier) + " and " + submission.relativize(file)
                                    + "; submit one copy of the raft package");
                        }
                    }
                } else if (name.endsWith(REGISTRY)) {
                    registry = file;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the submission " + submission + ": " + e.getMessage(), e);
        }
        if (sources.isEmpty()) {
            throw new WorkspaceException("the submission has no Java file of package raft: submit your workspace's"
                    + " src/main/java/raft folder (or the whole workspace/milestone-" + milestone + " folder)");
        }
        try {
            for (Map.Entry<Path, Path> source : sources.entrySet()) {
                Path to = ws.sources().resolve(source.getKey().toString());
                Files.createDirectories(to.getParent());
                Files.copy(source.getValue(), to);
            }
            if (!sources.containsKey(Path.of("raft/Milestone.java"))) {
                Files.writeString(ws.raftPackage().resolve("Milestone.java"), Starter.milestoneGlue(milestone));
            }
            Path registration = ws.resources().resolve(REGISTRY);
            Files.createDirectories(registration.getParent());
            if (registry != null) {
                Files.copy(registry, registration);
            } else {
                Files.writeString(registration, "raft.Milestone\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not lay out the submission: " + e.getMessage(), e);
        }
    }
}
