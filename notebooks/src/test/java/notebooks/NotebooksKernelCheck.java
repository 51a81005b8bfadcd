package notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every notebook, top to bottom, in the real Jupyter kernel the course registers — one notebook
 * at a time, failing on any cell error — with the output its prose promises. The executed copies
 * stay in {@code notebooks/target/executed}, each with an HTML page made from it, which the course
 * notes link.
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
            exportsToHtmlWithItsPictures(run.executed());
        }));
    }

    /**
     * The executed copy renders to an HTML page beside it (the notes link it), and every picture
     * survives: nbconvert cleans SVG outputs down to their text, so the harness also gives each
     * picture as HTML (harness.display.Rich#svg), which the export copies as it is.
     */
    static void exportsToHtmlWithItsPictures(Path executed) throws IOException {
        Jupyter.Execution export = jupyter.exportHtml(executed);
        assertTrue(export.succeeded() && Files.isRegularFile(export.executed()),
                executed.getFileName() + " did not export to HTML:\n" + export.log());
        String page = Files.readString(export.executed());
        List<String> pictures = pictures(executed);
        if (executed.getFileName().toString().startsWith("01-")) {
            assertFalse(pictures.isEmpty(), "notebook 01 draws timelines, but its executed copy has no picture");
        }
        for (String svg : pictures) {
            assertTrue(page.contains(svg), export.executed().getFileName() + " lost a picture: the page does not contain\n    "
                    + svg.substring(0, Math.min(200, svg.length())) + "...\n  (an image/svg+xml output without its text/html form"
                    + " is cleaned down to its text by nbconvert)");
        }
    }

    /** The SVG of every picture an executed notebook displays. */
    static List<String> pictures(Path executed) throws IOException {
        List<String> svgs = new ArrayList<>();
        for (JsonNode cell : new ObjectMapper().readTree(executed.toFile()).path("cells")) {
            for (JsonNode output : cell.path("outputs")) {
                if (output.path("data").has("image/svg+xml")) {
                    svgs.add(NotebookFile.source(output.path("data").path("image/svg+xml")));
                }
            }
        }
        return svgs;
    }
}
