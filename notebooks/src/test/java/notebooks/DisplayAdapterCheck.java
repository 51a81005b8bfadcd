package notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one display helper notebooks use ({@code harness.display.Show} through {@code Frontend})
 * in the two places it must work: plain JShell, where it prints plain text, and the real kernel,
 * where it publishes Jupyter MIME bundles, in order with what the cell prints.
 */
class DisplayAdapterCheck {

    static final Path NOTEBOOK = resource("display-adapter.ipynb");

    @Test
    void inPlainJShellItPrintsThePlainText() {
        List<JShellRun.CellOutput> out = JShellRun.run(NotebookFile.read(NOTEBOOK), Course.notebookClassPath());
        assertEquals("front end: console\n", out.get(0).text());
        assertEquals("plain & simple\n", out.get(1).text());
        assertEquals("a dot\n", out.get(2).text());
        assertEquals("before\nmiddle\nafter\n", out.get(3).text());
    }

    @Test
    void inTheKernelItPublishesRichDisplays() throws IOException {
        NotebooksKernelCheck.requireJupyter();
        Jupyter jupyter = new Jupyter(Course.TARGET.resolve("jupyter"));
        jupyter.install(KernelSpec.forCourse(Course.ROOT));
        Jupyter.Execution run = jupyter.execute(NOTEBOOK, Course.TARGET.resolve("display-adapter"), Duration.ofSeconds(60));
        assertTrue(run.succeeded(), run.log());
        JsonNode cells = new ObjectMapper().readTree(run.executed().toFile()).path("cells");

        assertEquals("front end: rapaio-jupyter-kernel\n", NotebookFile.source(cells.get(0).path("outputs").get(0).path("text")));

        JsonNode html = cells.get(1).path("outputs").get(0);
        assertEquals("display_data", html.path("output_type").asText());
        assertEquals("<b>bold &amp; rich</b>", NotebookFile.source(html.path("data").path("text/html")));
        assertEquals("plain & simple", NotebookFile.source(html.path("data").path("text/plain")));

        JsonNode svg = cells.get(2).path("outputs").get(0);
        assertTrue(NotebookFile.source(svg.path("data").path("image/svg+xml")).contains("<circle"), svg.toString());

        List<String> order = new ArrayList<>();
        for (JsonNode o : cells.get(3).path("outputs")) {
            order.add(o.has("text") ? NotebookFile.source(o.path("text")).strip() : NotebookFile.source(o.path("data").path("text/plain")));
        }
        assertEquals(List.of("before", "middle", "after"), order, "printed text and displays must keep the cell's order");
    }

    private static Path resource(String name) {
        try {
            return Path.of(DisplayAdapterCheck.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
