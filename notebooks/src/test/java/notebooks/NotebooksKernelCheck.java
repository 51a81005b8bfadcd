package notebooks;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every notebook, top to bottom, in the real Jupyter kernel the course registers — one notebook
 * at a time, failing on any cell error — with the output its prose promises. The executed copies
 * stay in {@code notebooks/target/executed} for the course notes to link.
 *
 * <p>With {@code -Dnotebooks.kernel=required} (./course test, CI) a machine without Jupyter fails
 * this check; by default it reports why it could not run instead.
 */
class NotebooksKernelCheck {

    static final Path EXECUTED = Course.TARGET.resolve("executed");
    static Jupyter jupyter;

    @BeforeAll
    static void registerTheKernel() {
        requireJupyter();
        jupyter = new Jupyter(Course.TARGET.resolve("jupyter"));
        jupyter.install(KernelSpec.forCourse(Course.ROOT));
    }

    /** Fails or skips, as {@code notebooks.kernel} says, on a machine without Jupyter. */
    static void requireJupyter() {
        Optional<String> missing = Jupyter.missing();
        if (missing.isPresent() && System.getProperty("notebooks.kernel", "auto").equals("required")) {
            throw new AssertionError("notebooks must run in the real kernel here (notebooks.kernel=required), but " + missing.get());
        }
        Assumptions.assumeTrue(missing.isEmpty(), () -> "not run in the real kernel: " + missing.get());
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsInTheRealKernel() {
        return Course.notebooks().stream().map(path -> DynamicTest.dynamicTest(path.getFileName().toString(), () -> {
            Jupyter.Execution run = jupyter.execute(path, EXECUTED, Duration.ofSeconds(60));
            System.out.printf(Locale.ROOT, "%s ran in the kernel in %.1f s%n", path.getFileName(), run.elapsed().toMillis() / 1000.0);
            assertTrue(run.succeeded(), path.getFileName() + " failed in the real kernel:\n" + run.log());
            NotebookFile source = NotebookFile.read(path);
            NotebookFile executed = NotebookFile.read(run.executed());
            assertEquals(source.cells().size(), executed.cells().size());
            for (NotebookFile.Cell cell : executed.codeCells()) {
                Course.assertExpectations(executed, cell, cell.outputText());
            }
        }));
    }
}
