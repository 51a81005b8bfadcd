package harness.display;

import harness.observe.NodeView;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.List;

import static harness.api.Role.CANDIDATE;
import static harness.api.Role.FOLLOWER;
import static harness.api.Role.LEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateTableTest {

    /** node1 leads term 3; node4 led term 2 and crashed, so its view still says Leader. */
    private static final List<NodeView> VIEWS = List.of(
            new NodeView(1, true, LEADER, 3, 1),
            new NodeView(2, true, FOLLOWER, 3, 1),
            new NodeView(3, true, CANDIDATE, 2, 3),
            new NodeView(4, false, LEADER, 2, null));

    private static List<Element> rows() {
        Document table = Xml.parse(StateTable.html(VIEWS));
        assertEquals("table", table.getDocumentElement().getLocalName());
        return Xml.all(table, "tr");
    }

    private static List<Element> cells(Element row) {
        return Xml.children(row, "td");
    }

    @Test
    void aHeaderAndOneRowPerServerWithTheColumnsOfTheTextTable() {
        List<Element> rows = rows();
        assertEquals(5, rows.size());
        assertEquals(List.of("node", "role", "term", "votedFor"), Xml.texts(Xml.children(rows.get(0), "th")));
        assertEquals(List.of("node1", "Leader", "3", "node1"), Xml.texts(cells(rows.get(1))));
        assertEquals(List.of("node2", "Follower", "3", "node1"), Xml.texts(cells(rows.get(2))));
        assertEquals(List.of("node3", "Candidate", "2", "node3"), Xml.texts(cells(rows.get(3))));
    }

    @Test
    void rolesAndTermsAreColouredAndTheLeaderRowIsBold() {
        List<Element> rows = rows();
        assertTrue(rows.get(1).getAttribute("style").contains("font-weight:bold"));
        assertFalse(rows.get(2).getAttribute("style").contains("bold"));
        assertTrue(cells(rows.get(1)).get(1).getAttribute("style").contains("background:" + Html.LEADER));
        assertTrue(cells(rows.get(2)).get(1).getAttribute("style").contains("background:" + Html.FOLLOWER));
        assertTrue(cells(rows.get(3)).get(1).getAttribute("style").contains("background:" + Html.CANDIDATE));
        assertTrue(cells(rows.get(1)).get(2).getAttribute("style").contains("background:" + Html.termColour(3)));
        assertTrue(cells(rows.get(3)).get(2).getAttribute("style").contains("background:" + Html.termColour(2)));
    }

    @Test
    void aCrashedServerIsDownAndGreyedOutEvenIfItWasLeader() {
        Element row = rows().get(4);
        assertEquals(List.of("node4", "(down)", "2", "-"), Xml.texts(cells(row)));
        assertTrue(row.getAttribute("style").contains("color:#9e9e9e"));
        assertFalse(row.getAttribute("style").contains("bold"), "a crashed leader leads nothing");
        assertFalse(cells(row).get(1).getAttribute("style").contains("background"));
    }

    @Test
    void theSameViewsGiveTheSameHtml() {
        assertEquals(StateTable.html(VIEWS), StateTable.html(List.copyOf(VIEWS)));
    }
}
