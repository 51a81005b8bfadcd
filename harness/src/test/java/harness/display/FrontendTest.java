package harness.display;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The display adapter outside a real kernel: the console, and the reflective path through a
 * stand-in with JJava's shape. (The real rapaio kernel and plain JShell are exercised by the
 * notebooks module's DisplayAdapterCheck.)
 */
class FrontendTest {

    @AfterEach
    void stopTheKernel() {
        BaseKernel.stop();
    }

    @Test
    void withNoKernelRunningItIsTheConsole() {
        assertEquals("console", Frontend.detect().label());
    }

    @Test
    void theConsolePrintsThePlainText() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Frontend.Console.INSTANCE.show(Rich.html("<b>x</b>", "plain x"));
        } finally {
            System.setOut(original);
        }
        assertEquals("plain x" + System.lineSeparator(), printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRunningKernelGetsTheWholeBundle() {
        BaseKernel kernel = BaseKernel.start();
        Frontend frontend = Frontend.detect();
        assertEquals("jjava", frontend.label());

        frontend.show(Rich.svg("<svg/>", "a picture"));

        assertEquals(1, kernel.displayed.size());
        DisplayData shown = kernel.displayed.get(0);
        assertEquals(Map.of("text/plain", "a picture", "image/svg+xml", "<svg/>", "text/html", "<svg/>"), shown.data);
        assertNotNull(shown.displayId);
    }

    /**
     * A picture also comes as HTML, the form nbconvert's HTML export keeps (it cleans SVG outputs
     * down to their text), and Jupyter shows first: the same SVG, inline.
     */
    @Test
    void aPictureComesAsSvgAndAsTheSameSvgInHtml() {
        Rich picture = Rich.svg("<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>", "a dot");
        assertEquals("a dot", picture.text());
        assertEquals(picture.bundle().get(Rich.SVG), picture.bundle().get(Rich.HTML));
        assertEquals(List.of(Rich.TEXT, Rich.SVG, Rich.HTML), List.copyOf(picture.bundle().keySet()));
    }

    @Test
    void aRichValueAlwaysHasText() {
        assertThrows(NullPointerException.class, () -> new Rich(Map.of("text/html", "<p/>")));
        assertEquals("words", Rich.html("<p>words</p>", "words").toString());
    }
}
