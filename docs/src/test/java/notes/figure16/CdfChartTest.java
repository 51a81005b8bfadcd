package notes.figure16;

import notes.figure16.Experiment.Setting;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph as an XML document: its frame, one curve per setting, its legend. */
class CdfChartTest {

    private static final Setting SHORT = new Setting(12, 24);
    private static final Setting LONG = new Setting(150, 300);

    /** Two settings: one with every trial inside 100 ms, one with half of them later or never. */
    private static Map<Setting, Outcome> outcomes() {
        Map<Setting, Outcome> outcomes = new LinkedHashMap<>();
        outcomes.put(SHORT, new Outcome(List.of(30.5, 41.0, 35.2, 77.7), 0));
        outcomes.put(LONG, new Outcome(List.of(60.0, 250.0, 90.0), 1));
        return outcomes;
    }

    @Test
    void itIsAnSvgDocumentWithOneCurvePerSetting() throws Exception {
        Element svg = parse(CdfChart.svg("Figure 16", outcomes(), 100)).getDocumentElement();

        assertEquals("svg", svg.getTagName());
        assertEquals("http://www.w3.org/2000/svg", svg.getAttribute("xmlns"));
        assertEquals("0 0 700 300", svg.getAttribute("viewBox"));
        assertEquals(2, svg.getElementsByTagName("polyline").getLength());
        List<String> texts = texts(svg);
        List<String> expected = List.of("Figure 16", "12–24 ms", "150–300 ms", "time without leader (ms)", "cumulative percent");
        assertTrue(texts.containsAll(expected), texts.toString());
    }

    @Test
    void curvesStayInsideTheFrameAndTheLegendSaysWhatTheyLeaveOut() throws Exception {
        Element svg = parse(CdfChart.svg("Figure 16", outcomes(), 100)).getDocumentElement();

        double right = frameRight(svg);
        NodeList curves = svg.getElementsByTagName("polyline");
        for (int i = 0; i < curves.getLength(); i++) {
            for (String point : ((Element) curves.item(i)).getAttribute("points").split(" ")) {
                assertTrue(Double.parseDouble(point.split(",")[0]) <= right, point + " is right of the frame at " + right);
            }
        }
        List<String> texts = texts(svg);
        assertTrue(texts.contains("25% after 100 ms"), texts.toString());
        assertTrue(texts.contains("25% no leader in 10 s"), texts.toString());
        assertTrue(texts.stream().noneMatch(t -> t.startsWith("0%")), "a curve with nothing left out has no note");
    }

    @Test
    void aCurveEndsAtTheShareOfTrialsWithinTheFrame() throws Exception {
        Element svg = parse(CdfChart.svg("t", outcomes(), 100)).getDocumentElement();

        String[] complete = points(svg, 0);
        String[] half = points(svg, 1);
        double top = Double.parseDouble(((Element) svg.getElementsByTagName("rect").item(1)).getAttribute("y"));
        assertEquals(top, y(complete[complete.length - 1]), 0.05, "every trial of 12–24 ms is within 100 ms");
        double bottom = y(half[0]);
        assertEquals((bottom + top) / 2, y(half[half.length - 1]), 0.05, "half of 150–300 ms is within 100 ms");
    }

    @Test
    void aSettingWithNoTrialsHasNoCurveAndItsLegendSaysWhy() throws Exception {
        Map<Setting, Outcome> outcomes = outcomes();
        outcomes.put(new Setting(25, 50), new Outcome(List.of(), 0, 1));
        String text = CdfChart.svg("t", outcomes, 100);
        Element svg = parse(text).getDocumentElement();

        assertEquals(2, svg.getElementsByTagName("polyline").getLength(), "curves only for the settings that ran trials");
        List<String> texts = texts(svg);
        assertTrue(texts.containsAll(List.of("25–50 ms", "no first leader in 10 s")), texts.toString());
        assertTrue(!text.contains("NaN"), "no coordinate is NaN");
    }

    @Test
    void textIsEscaped() throws Exception {
        Document document = parse(CdfChart.svg("<Figure 16> & \"friends\"", outcomes(), 100));

        assertTrue(texts(document.getDocumentElement()).contains("<Figure 16> & \"friends\""));
    }

    @Test
    void theSameOutcomesGiveTheSameBytesWhateverTheLocale() {
        String svg = CdfChart.svg("t", outcomes(), 100);
        Locale original = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals(svg, CdfChart.svg("t", outcomes(), 100));
        } finally {
            Locale.setDefault(original);
        }
        assertTrue(svg.contains("."), "coordinates with a decimal point");
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    private static List<String> texts(Element svg) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    /** The frame is the second rectangle, after the white background. */
    private static double frameRight(Element svg) {
        Element frame = (Element) svg.getElementsByTagName("rect").item(1);
        return Double.parseDouble(frame.getAttribute("x")) + Double.parseDouble(frame.getAttribute("width"));
    }

    private static String[] points(Element svg, int curve) {
        return ((Element) svg.getElementsByTagName("polyline").item(curve)).getAttribute("points").split(" ");
    }

    private static double y(String point) {
        return Double.parseDouble(point.split(",")[1]);
    }
}
