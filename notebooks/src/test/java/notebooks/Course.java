package notebooks;

import java.nio.file.Path;
import java.util.List;

/** Where the checks find the course: this module's folder is {@code <root>/notebooks}. */
final class Course {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    static final Path NOTEBOOKS = ROOT.resolve("notebooks");
    static final Path TARGET = NOTEBOOKS.resolve("target");

    private Course() {
    }

    static List<Path> notebooks() {
        return NotebookFile.in(NOTEBOOKS);
    }

    /** The class path notebooks get: the harness and its dependencies, as the kernel spec lists them. */
    static List<Path> notebookClassPath() {
        return KernelSpec.forCourse(ROOT).notebookPath();
    }

    /** Fails unless every expectation of every cell is in that cell's output. */
    static void assertExpectations(NotebookFile notebook, NotebookFile.Cell cell, String output) {
        for (String expected : cell.expect()) {
            if (!output.contains(expected)) {
                throw new AssertionError(notebook.name() + ", cell " + cell.number() + " (" + cell.firstLine()
                        + "): its prose promises output containing\n    " + expected + "\n  but it printed\n"
                        + output.indent(4) + "  Fix the code, or update the prose and the cell's metadata.course.expect.");
            }
        }
    }
}
