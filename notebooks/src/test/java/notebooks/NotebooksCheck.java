package notebooks;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notebooks as committed: without outputs, each starting with the setup cell, one per
 * milestone, and each running top to bottom in plain JShell with the output its prose promises.
 * The same notebooks run in the real Jupyter kernel in {@link NotebooksKernelCheck}.
 */
class NotebooksCheck {

    @Test
    void everyNotebookIsCommittedWithoutOutputs() {
        List<String> withOutputs = new ArrayList<>();
        for (Path path : Course.notebooks()) {
            NotebookFile notebook = NotebookFile.read(path);
            notebook.codeCells().stream()
                    .filter(c -> c.outputs() > 0)
                    .forEach(c -> withOutputs.add(notebook.name() + " cell " + c.number()));
        }
        assertTrue(withOutputs.isEmpty(), "notebooks are committed without outputs, so readers see the prose and a fresh run,"
                + " not a stale one; these cells have outputs: " + withOutputs + ". Clear them with"
                + " jupyter nbconvert --clear-output --inplace notebooks/*.ipynb (or Edit > Clear All Outputs) and commit again.");
    }

    @Test
    void everyNotebookStartsWithTheSetupCell() throws IOException {
        List<String> imports = Files.readAllLines(Course.NOTEBOOKS.resolve("imports.jsh")).stream().filter(l -> !l.isBlank()).toList();
        for (Path path : Course.notebooks()) {
            NotebookFile notebook = NotebookFile.read(path);
            String setup = notebook.codeCells().get(0).source();
            assertTrue(setup.contains("Class.forName(\"harness.display.Show\")"),
                    notebook.name() + ": the first code cell must check the course is on the class path before importing it");
            for (String line : imports) {
                assertTrue(setup.contains(line), notebook.name() + ": the setup cell lacks `" + line
                        + "`; notebooks and ./course jshell share notebooks/imports.jsh");
            }
        }
    }

    @Test
    void thereIsANotebookForEveryMilestone() throws IOException {
        Pattern milestoneModule = Pattern.compile("milestone-(\\d+)-.*");
        try (Stream<Path> dirs = Files.list(Course.ROOT)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Matcher m = milestoneModule.matcher(dir.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                int n = Integer.parseInt(m.group(1));
                String prefix = String.format("%02d-", n);
                Path notebook = Course.notebooks().stream()
                        .filter(p -> p.getFileName().toString().startsWith(prefix))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("milestone " + n + " has no notebook notebooks/" + prefix + "*.ipynb"));
                assertTrue(Files.readString(notebook).contains(".milestone(" + n + ")"),
                        notebook.getFileName() + " should build its clusters with Cluster.builder().milestone(" + n + ")");
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsInPlainJShell() {
        List<Path> classPath = Course.notebookClassPath();
        return Course.notebooks().stream().map(path -> DynamicTest.dynamicTest(path.getFileName().toString(), () -> {
            NotebookFile notebook = NotebookFile.read(path);
            List<JShellRun.CellOutput> outputs = JShellRun.run(notebook, classPath);
            assertEquals(notebook.codeCells().size(), outputs.size());
            for (JShellRun.CellOutput out : outputs) {
                Course.assertExpectations(notebook, out.cell(), out.text());
            }
        }));
    }

    @Test
    void aNotebookRunWithoutTheCourseOnTheClassPathSaysWhatToRun() {
        NotebookFile notebook = NotebookFile.read(Course.notebooks().get(0));
        JShellRun.CellFailed failure = assertThrows(JShellRun.CellFailed.class, () -> JShellRun.run(notebook, List.of()));
        assertTrue(failure.getMessage().contains("cell " + notebook.codeCells().get(0).number()), failure.getMessage());
        assertTrue(failure.getMessage().contains("./course notebooks"), failure.getMessage());
        assertFalse(failure.getMessage().contains("does not compile"), "the setup cell must fail before any import does: "
                + failure.getMessage());
    }
}
