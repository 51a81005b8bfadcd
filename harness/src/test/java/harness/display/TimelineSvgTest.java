package harness.display;

import harness.cluster.Cluster;
import harness.observe.TraceEvent;
import harness.observe.TraceEvent.Crashed;
import harness.observe.TraceEvent.NetworkChanged;
import harness.observe.TraceEvent.Note;
import harness.observe.TraceEvent.Restarted;
import harness.observe.TraceEvent.RoleChanged;
import harness.observe.TraceEvent.TermChanged;
import harness.observe.TraceEvent.Voted;
import harness.sim.SimulatedCluster;
import harness.testing.Scripted;
import harness.testing.Scripted.Step;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static harness.api.Role.CANDIDATE;
import static harness.api.Role.FOLLOWER;
import static harness.api.Role.LEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineSvgTest {

    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final List<Integer> IDS = List.of(1, 2, 3);
    private static final long END = 1_000_000; // 1 s

    private static long ms(long ms) {
        return ms * 1000;
    }

    /**
     * node1 stands in term 3 at 100 ms and wins at 110 ms; node2 and node3 follow it into term 3;
     * node2 crashes at 200 ms and restarts at 400 ms; the network splits at 300 ms.
     */
    private static final List<TraceEvent> HISTORY = List.of(
            new RoleChanged(ms(100), 1, FOLLOWER, CANDIDATE, 3, Set.of()),
            new Voted(ms(100), 1, 3, 1),
            new TermChanged(ms(105), 2, FOLLOWER, 0, 3),
            new TermChanged(ms(105), 3, FOLLOWER, 0, 3),
            new RoleChanged(ms(110), 1, CANDIDATE, LEADER, 3, Set.of(1, 2, 3)),
            new Crashed(ms(200), 2),
            new Note(ms(200), 0, "node2 is gone"),
            new NetworkChanged(ms(300), "{1} | {2,3}"),
            new Restarted(ms(400), 2));

    private static Document render(List<TraceEvent> history) {
        return Xml.parse(TimelineSvg.svg(IDS, history, END));
    }

    /** Each span, mark, network change and note is a {@code g} with a title saying what it is. */
    private static List<Element> groupsTitled(Document svg, String titlePart) {
        return Xml.all(svg, "g").stream()
                .filter(g -> Xml.children(g, "title").stream().anyMatch(t -> t.getTextContent().contains(titlePart)))
                .toList();
    }

    private static Element only(List<Element> elements) {
        assertEquals(1, elements.size(), "expected exactly one");
        return elements.get(0);
    }

    @Test
    void aWellFormedSvgWithAViewBoxAndOneLabelledLanePerServer() {
        Document svg = render(HISTORY);
        Element root = svg.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals(SVG_NS, root.getNamespaceURI());
        assertEquals("0 0 900 " + root.getAttribute("height"), root.getAttribute("viewBox"));
        assertEquals(List.of("node1", "node2", "node3"), laneLabels(svg));
    }

    private static List<String> laneLabels(Document svg) {
        return Xml.texts(Xml.all(svg, "text")).stream().filter(t -> t.matches("node\\d+")).toList();
    }

    @Test
    void aLeaderInTerm3IsALeaderColouredSpanWith3Inside() {
        Element span = only(groupsTitled(render(HISTORY), "node1: Leader in term 3"));
        Element bar = only(Xml.children(span, "rect"));
        assertEquals(Html.LEADER, bar.getAttribute("fill"));
        assertEquals("2", bar.getAttribute("stroke-width"), "a leader's span has a thicker outline");
        assertTrue(only(Xml.children(span, "text")).getTextContent().contains("3"));
        assertTrue(only(groupsTitled(render(HISTORY), "node1: Leader in term 3")).getTextContent().contains("110.0 ms to 1000.0 ms"));
    }

    @Test
    void electionsAreMarkedWhereTheyStartAndWhereTheyAreWon() {
        Document svg = render(HISTORY);
        assertEquals(1, Xml.children(only(groupsTitled(svg, "node1 stands for election in term 3 at 100.0 ms")), "circle").size());
        assertEquals(1, Xml.children(only(groupsTitled(svg, "node1 wins the election of term 3 at 110.0 ms")), "polygon").size());
        assertEquals(Html.CANDIDATE, only(Xml.children(only(groupsTitled(svg, "node1: Candidate in term 3")), "rect")).getAttribute("fill"));
    }

    @Test
    void aCrashIsADownSpanWithARedCrossUntilTheRestartAndThenAFollowerOfTheLastTerm() {
        Document svg = render(HISTORY);
        Element down = only(groupsTitled(svg, "node2: down from 200.0 ms to 400.0 ms"));
        assertEquals(Html.DOWN, only(Xml.children(down, "rect")).getAttribute("fill"));
        Element cross = only(Xml.children(only(groupsTitled(svg, "node2 crashes at 200.0 ms")), "path"));
        assertEquals("#d32f2f", cross.getAttribute("stroke"));
        only(groupsTitled(svg, "node2: Follower in term 3 from 400.0 ms to 1000.0 ms"));
        assertTrue(groupsTitled(svg, "node3: down").isEmpty());
    }

    @Test
    void aRestartedServerTakesTheTermOfItsNextChange() {
        List<TraceEvent> history = Stream.concat(HISTORY.stream(), Stream.of(new TermChanged(ms(500), 2, FOLLOWER, 0, 4))).toList();
        Document svg = render(history);
        only(groupsTitled(svg, "node2: Follower in term 3 from 400.0 ms to 500.0 ms"));
        only(groupsTitled(svg, "node2: Follower in term 4 from 500.0 ms to 1000.0 ms"));
    }

    @Test
    void aNetworkChangeIsADashedLineAcrossTheLanesWithItsDescription() {
        Element change = only(groupsTitled(render(HISTORY), "network: {1} | {2,3} at 300.0 ms"));
        assertFalse(only(Xml.children(change, "line")).getAttribute("stroke-dasharray").isEmpty());
        assertEquals("{1} | {2,3}", only(Xml.children(change, "text")).getTextContent());
    }

    @Test
    void longNetworkDescriptionsAreCutButTheirTitleHasItAll() {
        String description = "a description of the network far longer than forty characters";
        Element change = only(groupsTitled(render(List.of(new NetworkChanged(ms(300), description))), description));
        String label = only(Xml.children(change, "text")).getTextContent();
        assertEquals(40, label.length());
        assertTrue(label.endsWith("…"));
        assertTrue(description.startsWith(label.substring(0, 39)));
    }

    @Test
    void changesCloseInTimeStackTheirLabelsInFourRowsAndThenGoUnlabelled() {
        List<TraceEvent> history = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            history.add(new NetworkChanged(ms(300 + i), "change number " + i));
        }
        Document svg = render(history);
        List<Element> changes = groupsTitled(svg, "network: change number");
        assertEquals(6, changes.size(), "every change has its line and title");
        assertEquals(List.of(1, 1, 1, 1, 0, 0), changes.stream().map(g -> Xml.children(g, "text").size()).toList());
        List<String> rows = changes.subList(0, 4).stream().map(g -> only(Xml.children(g, "text")).getAttribute("y")).distinct().toList();
        assertEquals(4, rows.size(), "four labels in four rows: " + rows);
    }

    @Test
    void textFromTheRunIsEscaped() {
        String nasty = "a<&>\"b";
        List<TraceEvent> history = List.of(new NetworkChanged(ms(300), nasty), new Note(ms(600), 0, "why " + nasty));
        String raw = TimelineSvg.svg(IDS, history, END);
        assertFalse(raw.contains(nasty));
        assertTrue(raw.contains("a&lt;&amp;&gt;&quot;b"));
        Document svg = Xml.parse(raw);
        assertEquals(nasty, only(Xml.children(only(groupsTitled(svg, "network: " + nasty)), "text")).getTextContent());
        assertEquals(1, Xml.children(only(groupsTitled(svg, "600.0 ms: why " + nasty)), "polygon").size());
    }

    @Test
    void theScenarioNarrationIsATickOnTheAxisButServerLogLinesAreLeftOut() {
        List<TraceEvent> history = List.of(new Note(ms(200), 0, "node2 is gone"), new Note(ms(250), 2, "my timer is 212 ms"));
        Document svg = render(history);
        only(groupsTitled(svg, "200.0 ms: node2 is gone"));
        assertTrue(groupsTitled(svg, "my timer").isEmpty());
    }

    @Test
    void eventsAfterTheEndAreLeftOut() {
        Document svg = render(List.of(new Crashed(ms(2000), 1)));
        assertTrue(groupsTitled(svg, "crashes").isEmpty());
        only(groupsTitled(svg, "node1: Follower in term 0 from 0.0 ms to 1000.0 ms"));
    }

    @Test
    void theTimeAxisHasFiveToTenRoundTicks() {
        assertEquals(List.of("0 ms", "200 ms", "400 ms", "600 ms", "800 ms", "1000 ms"), tickLabels(1_000_000));
        assertEquals(List.of("0 ms", "0.2 ms", "0.4 ms", "0.6 ms", "0.8 ms", "1 ms"), tickLabels(1_000));
        for (long end : new long[] {3_000, 170_000, 1_700_000, 9_999_999, 12_345_678}) {
            List<String> ticks = tickLabels(end);
            assertTrue(ticks.size() >= 5 && ticks.size() <= 10, end + " µs: " + ticks);
            assertEquals("0 ms", ticks.get(0));
        }
    }

    private static List<String> tickLabels(long end) {
        Document svg = Xml.parse(TimelineSvg.svg(IDS, List.of(), end));
        return Xml.texts(Xml.all(svg, "text")).stream().filter(t -> t.endsWith(" ms")).toList();
    }

    @Test
    void theLegendNamesTheRolesAndDown() {
        List<String> texts = Xml.texts(Xml.all(render(HISTORY), "text"));
        assertTrue(texts.containsAll(List.of("Follower", "Candidate", "Leader", "down")), texts.toString());
    }

    @Test
    void theSameRunGivesTheSameSvgInAnyLocale() {
        String first = TimelineSvg.svg(IDS, HISTORY, END);
        assertEquals(first, TimelineSvg.svg(List.copyOf(IDS), List.copyOf(HISTORY), END));
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // writes 12.5 as "12,5" unless told otherwise
            assertEquals(first, TimelineSvg.svg(IDS, HISTORY, END));
        } finally {
            Locale.setDefault(before);
        }
    }

    // ---- A real run ----------------------------------------------------------------------------

    @Test
    void theHistoryOfASimulatedRunWithACrashAndAPartitionIsDrawn() {
        // node1 wins term 1; after it crashes, node2 wins term 2; then the network splits.
        Map<Integer, List<Step>> script = Map.of(
                1, List.of(Step.at(10, CANDIDATE, 1, 1), Step.at(12, LEADER, 1, 1)),
                2, List.of(Step.at(11, FOLLOWER, 1, 1), Step.at(80, CANDIDATE, 2, 2), Step.at(82, LEADER, 2, 2)),
                3, List.of(Step.at(11, FOLLOWER, 1, 1), Step.at(81, FOLLOWER, 2, 2)),
                4, List.of(Step.at(11, FOLLOWER, 1, 1), Step.at(81, FOLLOWER, 2, 2)),
                5, List.of(Step.at(11, FOLLOWER, 1, 1)));
        SimulatedCluster c = Cluster.builder().nodes(5).seed(3).implementation(Scripted.implementation(script)).simulated();
        c.runFor(Duration.ofMillis(50));
        c.crash(1);
        c.note("the leader crashes");
        c.runFor(Duration.ofMillis(50));
        c.partition(List.of(2, 3, 4), List.of(1, 5));
        c.runFor(Duration.ofMillis(50));

        List<TraceEvent> history = c.trace().history();
        Document svg = Xml.parse(TimelineSvg.svg(c.ids(), history, c.now().toNanos() / 1000));
        assertEquals(List.of("node1", "node2", "node3", "node4", "node5"), laneLabels(svg));
        only(groupsTitled(svg, "node1: Leader in term 1 from 12.0 ms to 50.0 ms"));
        only(groupsTitled(svg, "node1: down from 50.0 ms to 150.0 ms"));
        only(groupsTitled(svg, "node2: Leader in term 2 from 82.0 ms to 150.0 ms"));
        only(groupsTitled(svg, "50.0 ms: the leader crashes"));
        long networkChanges = history.stream().filter(e -> e instanceof NetworkChanged).count();
        assertEquals(1, networkChanges);
        assertEquals(networkChanges, groupsTitled(svg, "network: ").size());
    }
}
