package harness.display;

import harness.display.LogMatrix.Row;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogMatrixTest {

    /** Logs in the spirit of Figure 7: a leader, a follower that lags, a crashed server, an empty log. */
    private static final List<Row> ROWS = List.of(
            new Row(1, true, true, List.of(1L, 1L, 1L, 4L, 4L, 5L, 5L, 6L, 6L, 6L), 7),
            new Row(2, true, false, List.of(1L, 1L, 1L, 4L), 4),
            new Row(3, false, false, List.of(1L, 1L, 2L, 2L, 2L), 2),
            new Row(4, true, false, List.of(), 0));

    private static List<Element> rows() {
        Document doc = Xml.parse(LogMatrix.html(ROWS));
        return Xml.all(doc, "tr");
    }

    @Test
    void aHeaderOfIndexesAndALabelledRowPerServer() {
        List<Element> rows = rows();
        assertEquals(5, rows.size());
        assertEquals(List.of("index", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), Xml.texts(Xml.children(rows.get(0), "th")));
        assertEquals(List.of("node1 (leader)"), Xml.texts(Xml.children(rows.get(1), "th")));
        assertEquals(List.of("node2"), Xml.texts(Xml.children(rows.get(2), "th")));
        assertEquals(List.of("node3 (down)"), Xml.texts(Xml.children(rows.get(3), "th")));
        assertTrue(Xml.children(rows.get(1), "th").get(0).getAttribute("style").contains("font-weight:bold"));
        assertTrue(Xml.children(rows.get(2), "th").get(0).getAttribute("style").contains("font-weight:normal"));
    }

    @Test
    void eachEntryShowsItsTermOnItsColourAndShortLogsEndInEmptyCells() {
        List<Element> rows = rows();
        for (int r = 0; r < ROWS.size(); r++) {
            Row row = ROWS.get(r);
            List<Element> cells = Xml.children(rows.get(r + 1), "td");
            assertEquals(10, cells.size(), "every row has a cell per index");
            for (int i = 0; i < cells.size(); i++) {
                Element cell = cells.get(i);
                if (i < row.terms().size()) {
                    long term = row.terms().get(i);
                    assertEquals(String.valueOf(term), cell.getTextContent());
                    assertTrue(cell.getAttribute("style").contains("background:" + Html.termColour(term)));
                } else {
                    assertEquals("", cell.getTextContent());
                    assertTrue(cell.getAttribute("style").contains("transparent"));
                }
            }
        }
    }

    @Test
    void exactlyTheEntriesAtOrBelowEachCommitIndexAreMarkedCommitted() {
        List<Element> rows = rows();
        for (int r = 0; r < ROWS.size(); r++) {
            Row row = ROWS.get(r);
            List<Element> cells = Xml.children(rows.get(r + 1), "td");
            for (int index = 1; index <= row.terms().size(); index++) {
                String style = cells.get(index - 1).getAttribute("style");
                boolean committed = index <= row.commitIndex();
                assertEquals(committed, style.contains("solid #212121"), "node" + row.id() + " index " + index + ": " + style);
                assertEquals(!committed, style.contains("dashed"), "node" + row.id() + " index " + index + ": " + style);
            }
        }
    }

    @Test
    void aLegendSaysWhatMarksCommittedEntries() {
        Document doc = Xml.parse(LogMatrix.html(ROWS));
        List<Element> divs = Xml.all(doc, "div");
        assertTrue(divs.get(divs.size() - 1).getTextContent().startsWith("Solid border: committed"));
    }

    @Test
    void theTextGridAlignsColumnsAndStarsCommittedEntries() {
        List<Row> rows = List.of(
                new Row(1, true, true, List.of(1L, 1L, 2L, 12L), 3),
                new Row(2, true, false, List.of(1L, 1L), 2),
                new Row(3, false, false, List.of(1L), 0));
        String expected = """
                index            1    2    3    4
                node1 (leader)   1*   1*   2*  12
                node2            1*   1*
                node3 (down)     1
                * committed (index at or below that server's commitIndex)
                """;
        assertEquals(expected, LogMatrix.text(rows));
    }

    /**
     * Before milestone 3 servers have no commit point: the matrix marks nothing committed or
     * uncommitted, and neither legend speaks of commitment (notebook 02 draws its logs so).
     */
    @Test
    void withoutACommitPointNothingIsMarkedAndTheLegendSpeaksOnlyOfTerms() {
        List<Row> rows = List.of(new Row(1, true, true, List.of(1L, 1L, 2L), 0), new Row(2, true, false, List.of(1L), 0));
        Document doc = Xml.parse(LogMatrix.html(rows, false));
        for (Element cell : Xml.all(doc, "td")) {
            String style = cell.getAttribute("style");
            assertFalse(style.contains("dashed") || style.contains("solid #212121"), style);
        }
        List<Element> divs = Xml.all(doc, "div");
        String legend = divs.get(divs.size() - 1).getTextContent();
        assertTrue(legend.contains("term"), legend);
        assertFalse(legend.toLowerCase(java.util.Locale.ROOT).contains("commit"), legend);

        String text = LogMatrix.text(rows, false);
        assertEquals("""
                index           1   2   3
                node1 (leader)  1   1   2
                node2           1
                """, text, "the same columns as with a commit point, so the grids of milestones 2 and 3 look alike");
        assertFalse(text.contains("commit"), text);
    }

    @Test
    void noServersGiveAnEmptyButWellFormedMatrix() {
        Document doc = Xml.parse(LogMatrix.html(List.of()));
        assertEquals(1, Xml.all(doc, "tr").size());
        assertEquals("index\n* committed (index at or below that server's commitIndex)\n", LogMatrix.text(List.of()));
    }

    @Test
    void theSameRowsGiveTheSameOutput() {
        assertEquals(LogMatrix.html(ROWS), LogMatrix.html(List.copyOf(ROWS)));
        assertEquals(LogMatrix.text(ROWS), LogMatrix.text(List.copyOf(ROWS)));
    }
}
