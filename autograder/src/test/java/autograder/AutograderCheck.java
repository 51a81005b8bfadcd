package autograder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The autograder as an instructor uses it, on the packaged jars: grade-submission on submissions
 * made from milestone 2's reference code (as is, with a bug, not compiling, hanging, empty), with
 * public and hidden seeds, and the Gradescope bundle unpacked and run the way Gradescope runs it.
 */
class AutograderCheck {

    private static final Path MODULE = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    private static final Path ROOT = MODULE.getParent();
    private static final Path REFERENCE = ROOT.resolve("milestone-2-replication/src/main/java/raft");

    @TempDir
    Path dir;

    /** Milestone 2's raft package as a student would submit it (bug zoo included: it is part of the package), edited. */
    private Path submission(String name, UnaryOperator<String> editServer) throws IOException {
        Path raft = dir.resolve(name).resolve("src/main/java/raft");
        try (Stream<Path> files = Files.walk(REFERENCE)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path to = raft.resolve(REFERENCE.relativize(file).toString());
                Files.createDirectories(to.getParent());
                String code = Files.readString(file);
                Files.writeString(to, file.getFileName().toString().equals("Server.java") ? editServer.apply(code) : code);
            }
        }
        return dir.resolve(name);
    }

    private JsonNode grade(Path submission, String... options) throws IOException, InterruptedException {
        Path results = dir.resolve(submission.getFileName() + "-results.json");
        List<String> command = new ArrayList<>(List.of(MODULE.resolve("grade-submission").toString(), "2", submission.toString(),
                "--results", results.toString()));
        command.addAll(List.of(options));
        run(command, Map.of("RAFT_AUTOGRADER_NO_BUILD", "1"));
        return new ObjectMapper().readTree(results.toFile());
    }

    private String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "the autograder itself must not fail, whatever the submission; it printed:\n" + out);
        return out;
    }

    private static List<JsonNode> tests(JsonNode results) {
        List<JsonNode> tests = new ArrayList<>();
        results.get("tests").forEach(tests::add);
        return tests;
    }

    @Test
    void hiddenSeedsGradeOtherSeedsAndAFailureReplaysWithItsSeed() throws Exception {
        Path buggy = submission("votes-twice", code -> code.replaceFirst(
                "return votedFor == null \\|\\| votedFor == candidateId;", "return true;"));
        JsonNode results = grade(buggy, "--hidden-seeds", "course secret");
        JsonNode failed = tests(results).stream().filter(t -> t.get("status").asText().equals("failed")).findFirst().orElseThrow();
        String report = failed.get("output").asText();
        assertTrue(report.matches("(?s).*Replay exactly this run: \\./course grade 2 --mine --test \\w+\\.\\w+ --seed \\d{10}\\n.*"),
                "a hidden seed is ten digits and replays on the student's own workspace: " + report);
        assertTrue(results.get("output").asText().contains("hidden seeds"), results.get("output").asText());
        assertTrue(results.get("score").asInt() < 200);
    }

    @Test
    void aSubmissionThatDoesNotCompileListsEveryScenarioAsNotGradedWithJavacsErrors() throws Exception {
        JsonNode results = grade(submission("broken", code -> code.replaceFirst("private void becomeFollower\\(\\) \\{",
                "private void becomeFollower() { missing();")));
        assertEquals(0, results.get("score").asInt());
        assertEquals(200, results.get("max_score").asInt(), "the full rubric, so the student sees what there is to earn");
        String why = results.get("output").asText();
        assertTrue(why.startsWith("Not graded: your code does not compile (1 error):") && why.contains("Server.java:")
                && why.contains("missing();"), why);
        assertEquals(harness.grade.Grader.scenariosUpTo(2).size(), tests(results).size());
    }

    @Test
    void aSubmissionWithoutTheRaftPackageSaysWhatToSubmit() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/notes.txt"), "my notes");
        JsonNode results = grade(dir.resolve("empty"));
        assertEquals(0, results.get("score").asInt());
        assertTrue(results.get("output").asText().contains("no Java file of package raft"), results.get("output").asText());
    }

    @Test
    void aServerThatNeverReturnsIsStoppedAndTheScenariosThatFinishedKeepTheirPoints() throws Exception {
        Path hangs = submission("hangs", code -> code.replaceFirst("public void start\\(\\) \\{",
                "public void start() {\n        while (config.clusterSize() == 7) {\n            Thread.onSpinWait();\n        }"));
        JsonNode results = grade(hangs, "--timeout", "20s");
        assertTrue(results.get("output").asText().startsWith("Grading stopped after 20 seconds"), results.get("output").asText());
        JsonNode seven = tests(results).stream().filter(t -> t.get("name").asText().contains("7 servers")).findFirst().orElseThrow();
        assertEquals("failed", seven.get("status").asText());
        assertTrue(seven.get("output").asText().startsWith("did not finish"), seven.toPrettyString());
        assertTrue(results.get("score").asInt() > 0, "the scenarios that finished before the hang keep their points: "
                + results.toPrettyString());
    }

    @Test
    void theGradescopeBundleRunsAsGradescopeRunsIt() throws Exception {
        Path zip = dir.resolve("autograder.zip");
        List<String> jars = new ArrayList<>();
        try (Stream<Path> lib = Files.list(MODULE.resolve("target/lib"))) {
            lib.forEach(p -> jars.add(p.toString()));
        }
        try (Stream<Path> target = Files.list(MODULE.resolve("target"))) {
            target.filter(p -> p.getFileName().toString().matches("autograder-.*\\.jar")).forEach(p -> jars.add(p.toString()));
        }
        assertEquals(0, new picocli.CommandLine(new Bundle()).execute("2", "--out", zip.toString(), "--hidden-seeds", "s3cret",
                "--scripts", MODULE.toString(), "--jars", String.join(",", jars)));

        Path home = dir.resolve("autograder"); // Gradescope's /autograder
        Path source = home.resolve("source");
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("enablePosixFileAttributes", "true"))) {
            try (Stream<Path> entries = Files.walk(fs.getPath("/"))) {
                for (Path entry : entries.filter(Files::isRegularFile).toList()) {
                    Path to = source.resolve(entry.toString().substring(1));
                    Files.createDirectories(to.getParent());
                    Files.copy(entry, to);
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(entry);
                    Files.setPosixFilePermissions(to, permissions);
                }
            }
        }
        for (String script : List.of("setup.sh", "run_autograder", "grade-submission")) {
            assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), Files.getPosixFilePermissions(source.resolve(script)),
                    script + " is executable in the zip");
        }
        assertEquals("s3cret", Files.readString(source.resolve("hidden-seeds")));
        assertFalse(Files.readString(source.resolve("milestone")).isBlank());

        Path student = submission("student", code -> code);
        Files.move(student, home.resolve("submission"));
        Files.createDirectories(home.resolve("results"));
        String out = run(List.of(source.resolve("run_autograder").toString()), Map.of("AUTOGRADER_HOME", home.toString()));
        JsonNode results = new ObjectMapper().readTree(home.resolve("results/results.json").toFile());
        assertEquals(200, results.get("score").asInt(), "milestone 2's reference code, submitted as a student's, earns full marks:\n" + out);
        assertEquals(200, results.get("max_score").asInt());
        assertEquals(harness.grade.Grader.scenariosUpTo(2).size(), tests(results).size(), "every scenario of suites 1 and 2");
        assertTrue(results.get("output").asText().contains("hidden seeds"));
    }
}
