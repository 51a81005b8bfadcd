package notebooks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotebookFileTest {

    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    @Test
    void readsSourcesWrittenAsListsOrStringsAndTheCoursesExpectations() throws IOException {
        Path path = write("a.ipynb", """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
                  {"cell_type": "markdown", "metadata": {}, "source": ["# Title\\n", "words"]},
                  {"cell_type": "code", "metadata": {"course": {"expect": ["node2 leads"]}}, "outputs": [],
                   "execution_count": null, "source": "int x = 1;\\nx + 1"}]}
                """);
        NotebookFile notebook = NotebookFile.read(path);
        assertEquals(2, notebook.cells().size());
        assertEquals("# Title\nwords", notebook.cells().get(0).source());
        NotebookFile.Cell code = notebook.codeCells().get(0);
        assertEquals(2, code.number());
        assertEquals("int x = 1;", code.firstLine());
        assertEquals(List.of("node2 leads"), code.expect());
        assertEquals(0, code.outputs());
    }

    @Test
    void collectsTheTextOfEveryKindOfOutput() throws IOException {
        Path path = write("b.ipynb", """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
                  {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "", "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["printed\\n"]},
                    {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "plain", "text/html": "<b>html</b>"}},
                    {"output_type": "display_data", "metadata": {}, "data": {"text/plain": "", "image/svg+xml": "<svg/>", "text/html": "<svg/>"}},
                    {"output_type": "error", "ename": "IllegalStateException", "evalue": "broken", "traceback": []}]}]}
                """);
        NotebookFile.Cell cell = NotebookFile.read(path).codeCells().get(0);
        assertEquals(4, cell.outputs());
        assertEquals("printed\nplain<b>html</b>IllegalStateException: broken", cell.outputText());
    }

    @Test
    void aFileThatIsNotJsonIsNamedWithWhatToDo() throws IOException {
        Path path = write("broken.ipynb", "{\"nbformat\": 4, \"cells\": [");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NotebookFile.read(path));
        assertTrue(e.getMessage().startsWith(path + " is not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("git checkout"), e.getMessage());
    }

    @Test
    void jsonThatIsNotANotebookIsRefused() throws IOException {
        Path path = write("old.ipynb", "{\"nbformat\": 3, \"worksheets\": []}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NotebookFile.read(path));
        assertTrue(e.getMessage().contains("is not an nbformat 4 notebook"), e.getMessage());
    }

    @Test
    void theCoursesNotebooksAreTheIpynbFilesOfAFolderInNameOrder() throws IOException {
        write("01-b.ipynb", "{}");
        write("00-a.ipynb", "{}");
        write("notes.md", "");
        assertEquals(List.of(dir.resolve("00-a.ipynb"), dir.resolve("01-b.ipynb")), NotebookFile.in(dir));
    }
}
