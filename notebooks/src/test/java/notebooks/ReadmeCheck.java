package notebooks;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Java line the README shows runs as written in the REPL the README names for it: each
 * {@code ```java} block must follow a paragraph that names {@code ./course jshell N}, and runs in
 * the real {@code jshell} tool with what that command gives it (milestone N's jar, the harness,
 * JShell's default imports and the notebooks' imports.jsh), line by line, without an error or an
 * exception.
 */
class ReadmeCheck {

    private static final Path README = Course.ROOT.resolve("README.md");
    private static final Pattern REPL = Pattern.compile("`\\./course jshell (\\d+)`");

    /** A ```java block of the README and the milestone whose REPL its paragraph names (0: none). */
    record Block(int line, int milestone, String code) {
    }

    static List<Block> javaBlocks(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                int start = i;
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                if (line.strip().equals("```java")) {
                    Matcher m = REPL.matcher(paragraph);
                    int milestone = 0;
                    while (m.find()) {
                        milestone = Integer.parseInt(m.group(1)); // the last one named before the block
                    }
                    blocks.add(new Block(start + 1, milestone, code.toString()));
                }
                paragraph.setLength(0);
            } else if (line.startsWith("#")) {
                paragraph.setLength(0);
            } else {
                paragraph.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void findsTheBlocksAndTheReplTheirParagraphNames() {
        List<Block> blocks = javaBlocks(List.of("# T", "In `./course jshell 4`:", "", "```java", "a();", "```", "text", "```",
                "./course demo 1", "```", "```java", "b();", "```"));
        assertEquals(List.of(new Block(4, 4, "a();\n"), new Block(11, 0, "b();\n")), blocks);
    }

    @TestFactory
    Stream<DynamicTest> everyJavaLineOfTheReadmeRunsInTheReplItNames() throws IOException {
        List<Block> blocks = javaBlocks(Files.readAllLines(README));
        assertFalse(blocks.isEmpty(), "the README shows Java code; this check finds it in ```java blocks");
        return blocks.stream().map(b -> DynamicTest.dynamicTest("README.md line " + b.line(), () -> {
            assertTrue(b.milestone() > 0, "README.md line " + b.line() + ": the paragraph before this ```java block must say"
                    + " which REPL it runs in, as `./course jshell N`");
            String output = jshell(b.milestone(), b.code());
            List<String> problems = output.lines().filter(l -> l.startsWith("|  Error") || l.startsWith("|  Exception")
                    || l.contains("cannot find symbol")).toList();
            assertTrue(problems.isEmpty(), "README.md line " + b.line() + ": the code does not run as written in ./course jshell "
                    + b.milestone() + ":\n" + output);
        }));
    }

    /** Runs {@code code} in the jshell tool, set up as {@code ./course jshell n} sets it up, and returns what it printed. */
    private static String jshell(int n, String code) throws IOException, InterruptedException {
        Path module;
        try (Stream<Path> dirs = Files.list(Course.ROOT)) {
            module = dirs.filter(d -> d.getFileName().toString().startsWith("milestone-" + n + "-")).findFirst().orElseThrow();
        }
        Path jar;
        try (Stream<Path> files = Files.list(module.resolve("target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches(Pattern.quote(module.getFileName().toString()) + "-[\\d.]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError(module + " is not built"));
        }
        List<Path> classPath = new ArrayList<>();
        classPath.add(jar);
        classPath.addAll(Course.notebookClassPath());
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        Process p = new ProcessBuilder(jshell.toString(), "--class-path",
                classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "--startup", "DEFAULT", "--startup", Course.NOTEBOOKS.resolve("imports.jsh").toString(), "--feedback", "normal")
                .directory(Files.createTempDirectory("readme-check").toFile()) // a line that writes files writes them there
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write((code + "\n/exit\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output;
    }
}
