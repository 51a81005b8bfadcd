package notebooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Jupyter notebook file (nbformat 4) as the checks read it: its cells in order, with their
 * source, their outputs and the course's own cell metadata.
 *
 * <p>A code cell may carry {@code "metadata": {"course": {"expect": ["text", ...]}}}: text its
 * output must contain when the cell runs. That is how the checks keep a notebook's prose true
 * ("with seed 7, node3 wins term 1") as the code changes.
 */
public record NotebookFile(Path path, List<Cell> cells) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One cell: "code" or "markdown", its source, how many outputs it holds and their text (printed
     * text, the plain-text and HTML forms of displays, errors), and what it must print.
     */
    public record Cell(int number, String type, String source, int outputs, String outputText, List<String> expect) {

        public boolean isCode() {
            return type.equals("code");
        }

        /** The first line of the source, to name the cell in messages. */
        public String firstLine() {
            String line = source.strip().lines().findFirst().orElse("");
            return line.length() > 70 ? line.substring(0, 67) + "..." : line;
        }
    }

    /** Reads a notebook, or fails with a message naming the file and what is wrong with it. */
    public static NotebookFile read(Path path) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(path));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(path + " is not valid JSON, so not a notebook: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + "); restore it with git checkout, or fix it in an editor", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        if (root == null || root.path("nbformat").asInt() != 4 || !root.path("cells").isArray()) {
            throw new IllegalArgumentException(path + " is not an nbformat 4 notebook (no \"nbformat\": 4 and \"cells\" list)");
        }
        List<Cell> cells = new ArrayList<>();
        for (JsonNode c : root.path("cells")) {
            cells.add(new Cell(cells.size() + 1, c.path("cell_type").asText(), source(c.path("source")),
                    c.path("outputs").size(), outputText(c.path("outputs")), expectations(c.path("metadata").path("course").path("expect"))));
        }
        return new NotebookFile(path, List.copyOf(cells));
    }

    /** nbformat stores a source, and an output's text, as one string or as a list of lines. */
    static String source(JsonNode node) {
        if (node.isArray()) {
            StringBuilder s = new StringBuilder();
            node.forEach(line -> s.append(line.asText()));
            return s.toString();
        }
        return node.asText();
    }

    /**
     * What a cell's outputs say: printed text, the plain text and HTML of displays, errors. A
     * picture's HTML form (the SVG again, for exports: see {@code harness.display.Rich#svg}) is
     * drawing, not text, and is left out.
     */
    private static String outputText(JsonNode outputs) {
        StringBuilder s = new StringBuilder();
        for (JsonNode o : outputs) {
            s.append(source(o.path("text")));
            s.append(source(o.path("data").path("text/plain")));
            if (!o.path("data").has("image/svg+xml")) {
                s.append(source(o.path("data").path("text/html")));
            }
            if (o.has("ename")) {
                s.append(o.path("ename").asText()).append(": ").append(o.path("evalue").asText());
            }
        }
        return s.toString();
    }

    private static List<String> expectations(JsonNode node) {
        List<String> expect = new ArrayList<>();
        node.forEach(e -> expect.add(e.asText()));
        return List.copyOf(expect);
    }

    /** Every {@code *.ipynb} directly in {@code dir}, by name: the course's notebooks. */
    public static List<Path> in(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list notebooks in " + dir, e);
        }
    }

    public List<Cell> codeCells() {
        return cells.stream().filter(Cell::isCode).toList();
    }

    public String name() {
        return path.getFileName().toString();
    }
}
