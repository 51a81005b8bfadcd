package autograder;

import harness.course.Syllabus;
import harness.grade.Grader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Packs the Gradescope autograder for milestone N: the zip an instructor uploads, holding
 * Gradescope's {@code setup.sh} and {@code run_autograder}, {@code grade-submission}, the jars it
 * runs (the harness with its graded suites, their dependencies, this autograder), the milestone
 * number and, if given, the secret of the hidden seeds. The scripts keep their executable bit in
 * the zip (the JDK's zip file system writes POSIX permissions).
 */
@Command(name = "./course autograder", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = "Packs the Gradescope autograder for milestone N.")
public final class Bundle implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "N", description = "the milestone the autograder grades")
    int milestone;

    @Option(names = "--hidden-seeds", paramLabel = "SECRET", description = "grade with seeds derived from SECRET (keep the zip private)")
    String secret;

    @Option(names = "--out", paramLabel = "FILE", description = "the zip to write (default:"
            + " autograder/target/gradescope-milestone-N.zip)")
    Path out;

    /** The course's autograder folder, and the jars grade-submission runs: the launcher gives them. */
    @Option(names = "--scripts", hidden = true, required = true)
    Path scripts;

    @Option(names = "--jars", hidden = true, required = true, split = ",")
    List<Path> jars;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bundle()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        try {
            Syllabus.milestone(milestone);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (Grader.scenariosOf(milestone).isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "milestone " + milestone + " has no graded suite yet");
        }
        if (secret != null && secret.isBlank()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--hidden-seeds needs a secret that is not blank");
        }
        if (out == null) {
            out = scripts.resolve("target/gradescope-milestone-" + milestone + ".zip");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.deleteIfExists(out);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + out.toAbsolutePath().toUri()),
                Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
            Path top = zip.getPath("/");
            script(scripts.resolve("gradescope/setup.sh"), top.resolve("setup.sh"));
            script(scripts.resolve("gradescope/run_autograder"), top.resolve("run_autograder"));
            script(scripts.resolve("grade-submission"), top.resolve("grade-submission"));
            Path lib = Files.createDirectories(top.resolve("lib"));
            for (Path jar : jars) {
                Files.copy(jar, lib.resolve(jar.getFileName().toString()));
            }
            Files.writeString(top.resolve("milestone"), milestone + "\n", StandardCharsets.UTF_8);
            if (secret != null) {
                Files.writeString(top.resolve("hidden-seeds"), secret, StandardCharsets.UTF_8);
            }
        }
        System.out.println("Wrote " + out.toAbsolutePath().normalize() + ": the Gradescope autograder for milestone " + milestone
                + (secret != null ? ", with hidden seeds (keep this file private)" : ", with the public seeds"));
        return 0;
    }

    private static void script(Path from, Path to) throws IOException {
        Files.copy(from, to);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
