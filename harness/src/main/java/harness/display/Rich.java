package harness.display;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing to show, in several forms: always plain text (terminals, plain JShell, test reports)
 * and, for a Jupyter front end, a richer form such as an HTML table or an SVG picture. The keys
 * are MIME types, as in a Jupyter "display_data" bundle.
 */
public record Rich(Map<String, String> bundle) {

    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String SVG = "image/svg+xml";

    public Rich {
        Objects.requireNonNull(bundle.get(TEXT), "a Rich value always has a plain-text form");
        bundle = Collections.unmodifiableMap(new LinkedHashMap<>(bundle));
    }

    public static Rich text(String text) {
        return new Rich(Map.of(TEXT, text));
    }

    public static Rich html(String html, String text) {
        return of(TEXT, text, HTML, html);
    }

    /**
     * A picture: its text, the SVG, and the same SVG again as HTML. Jupyter prefers the HTML form
     * and shows it exactly as it shows the SVG (inline, scaled down to the output's width by the
     * same style rule), so a notebook looks the same. The HTML form is there for exported
     * notebooks: nbconvert 6 (Debian's, which the course installs) passes every {@code
     * image/svg+xml} output through its HTML cleaner, which drops the SVG's elements and leaves
     * only their text, but copies {@code text/html} as it is, so the picture survives the export
     * to HTML. Front ends that take no HTML still find the SVG.
     */
    public static Rich svg(String svg, String text) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TEXT, text);
        m.put(SVG, svg);
        m.put(HTML, svg);
        return new Rich(m);
    }

    private static Rich of(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return new Rich(m);
    }

    public String text() {
        return bundle.get(TEXT);
    }

    @Override
    public String toString() {
        return text();
    }
}
