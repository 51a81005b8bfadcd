package harness.display;

import harness.api.Operation;
import harness.api.Outcome;
import harness.check.Linearizability;
import harness.check.LinearizabilityResult;
import harness.history.Call;
import harness.history.RandomHistory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static harness.api.Operation.append;
import static harness.api.Operation.get;
import static harness.api.Operation.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistorySvgTest {

    private static Call ok(int id, int client, Operation op, long from, long to, String answer) {
        return new Call(id, 100 + client, op, from, to, Outcome.ok(answer, 1, 0));
    }

    /** put x 1, then put x 2, then a get that still sees 1; client3's put of y is unknown, client4's get pending. */
    private static final List<Call> STALE_READ = List.of(
            ok(1, 1, put("x", "1"), 0, 1_000, null),
            ok(2, 1, put("x", "2"), 8_000, 10_100, null),
            new Call(3, 103, put("y", "7"), 9_000, 11_000, Outcome.unknown("timed out")),
            ok(4, 2, get("x"), 12_300, 13_000, "1"),
            new Call(5, 104, get("x"), 12_500, Call.PENDING, null));

    private static LinearizabilityResult check(List<Call> calls) {
        return Linearizability.check(calls, Duration.ofSeconds(30));
    }

    /** Each bar is a {@code g} whose title starts with the call. */
    private static List<Element> bars(Document svg) {
        return Xml.all(svg, "g").stream().filter(g -> !Xml.children(g, "title").isEmpty()).toList();
    }

    private static Element bar(Document svg, String label) {
        return bars(svg).stream().filter(g -> Xml.children(g, "title").get(0).getTextContent().contains(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no bar for " + label));
    }

    @Test
    void aFailureIsDrawnOnItsKeyWithTheLongestOrderNumberedAndTheStuckCallInRed() {
        LinearizabilityResult result = check(STALE_READ);
        Document svg = Xml.parse(HistorySvg.svg(result));
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.contains("Not linearizable (key x): get x → 1 by client2 cannot be placed"), text);
        assertTrue(text.contains("All 4 calls on key x."), text);
        assertEquals(4, bars(svg).size(), "only key x's calls: put y is left out");

        Element stuck = bar(svg, "get x → 1");
        assertTrue(Xml.children(stuck, "title").get(0).getTextContent().contains("cannot be placed"));
        assertEquals("#ffcdd2", Xml.children(stuck, "rect").get(0).getAttribute("fill"));
        assertEquals("get x → 1", Xml.children(stuck, "text").get(0).getTextContent());

        Element second = bar(svg, "put x 2");
        assertEquals("#c7e9c0", Xml.children(second, "rect").get(0).getAttribute("fill"));
        assertEquals("2 put x 2", Xml.children(second, "text").get(0).getTextContent(), "its number in the longest order, then its label");
        assertEquals("1 put x 1", Xml.children(bar(svg, "put x 1"), "text").get(0).getTextContent());

        Element pending = bar(svg, "get x → pending");
        assertEquals(1, Xml.children(pending, "path").size(), "an uncertain call is hatched");
        assertTrue(Xml.all(svg, "pattern").isEmpty(), "hatching is drawn, not an SVG pattern: the notes' PDF renderer has none");
        List<String> lanes = Xml.texts(Xml.all(svg, "text")).stream().filter(t -> t.startsWith("client")).toList();
        assertEquals(List.of("client1", "client2", "client4"), lanes);
    }

    @Test
    void theHatchingStaysInsideItsRectangle() {
        String path = HistorySvg.hatch(10, 20, 30, 16);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[ML](-?[\\d.]+) (-?[\\d.]+)").matcher(path);
        int points = 0;
        while (m.find()) {
            double x = Double.parseDouble(m.group(1));
            double y = Double.parseDouble(m.group(2));
            assertTrue(x >= 9.95 && x <= 40.05 && y >= 19.95 && y <= 36.05, "(" + x + ", " + y + ") is outside the rectangle: " + path);
            points++;
        }
        assertTrue(points >= 2 * 5, "a 30 by 16 rectangle gets several strokes: " + path);
        assertEquals("", HistorySvg.hatch(10, 20, 0, 16), "nothing to hatch");
    }

    @Test
    void thePageWrapsThePictureWithTheExplanation() {
        LinearizabilityResult result = check(STALE_READ);
        Document page = Xml.parse(HistorySvg.page(result));
        assertEquals(result.explain(), Xml.all(page, "p").get(0).getTextContent());
        assertEquals(1, Xml.all(page, "svg").size());
        assertTrue(Xml.all(page, "h2").get(0).getTextContent().startsWith("Not linearizable (key x)"));
    }

    @Test
    void aLargeHistoryIsCutToFortyCallsAroundTheFailure() {
        List<Call> calls = new ArrayList<>(new RandomHistory(2_000, 8, 2, 0.02).generate(3));
        int victim = 0;
        for (int i = calls.size() / 2; ; i++) {
            if (calls.get(i).isOk() && calls.get(i).operation().kind() == Operation.Kind.GET) {
                victim = i;
                break;
            }
        }
        Call read = calls.get(victim);
        calls.set(victim, read.complete(read.completed(), Outcome.ok("<nobody & nothing>", 1, 0)));
        LinearizabilityResult result = check(calls);
        assertEquals(LinearizabilityResult.Verdict.NOT_LINEARIZABLE, result.verdict());

        Document svg = Xml.parse(HistorySvg.svg(result)); // the answer's < and & are escaped
        assertEquals(HistorySvg.MAX_CALLS, bars(svg).size());
        String text = svg.getDocumentElement().getTextContent();
        int onKey = result.callsOnKey().size();
        assertTrue(text.contains(", 40 of " + onKey + " on key " + read.operation().key() + ": " + (onKey - 40) + " left out."), text);
        assertTrue(text.contains("get " + read.operation().key() + " → <nobody & nothing>"), text);
    }

    @Test
    void anyHistoryCanBeDrawnWithoutAVerdict() {
        Document svg = Xml.parse(HistorySvg.svg(STALE_READ));
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.startsWith("History: 5 calls on 2 keys"), text);
        assertEquals(5, bars(svg).size());
        Element unknown = bar(svg, "put y 7 → unknown");
        assertEquals(1, Xml.children(unknown, "line").size(), "a tick where the client gave up");
        assertTrue(Xml.texts(Xml.all(svg, "tspan")).isEmpty(), "no numbers without a check");
    }

    @Test
    void aLinearizableResultIsDrawnWholeWhenItIsSmall() {
        List<Call> calls = List.of(ok(1, 1, append("x", "a"), 0, 1_000, null), ok(2, 2, get("x"), 2_000, 3_000, "a"));
        Document svg = Xml.parse(HistorySvg.svg(check(calls)));
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.startsWith("Linearizable: 2 calls on 1 key"), text);
        assertTrue(text.contains("All 2 calls."), text);
    }
}
