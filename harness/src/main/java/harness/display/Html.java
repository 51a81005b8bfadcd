package harness.display;

import harness.api.Role;

/**
 * What the renderers of this package share: escaping text for HTML and SVG, and the colours of
 * roles and terms, so that a table, a log matrix and a timeline of the same run agree on them.
 *
 * <p>Every renderer here returns a self-contained string (inline styles, no scripts, no external
 * files) that is also well-formed XML, so the same output works in a notebook, a web page, an
 * AsciiDoc passthrough block and an XML parser in a test.
 */
public final class Html {

    /** The background of a follower: a light grey, because following is the quiet normal state. */
    public static final String FOLLOWER = "#e0e0e0";
    /** The background of a candidate: amber, an election is under way. */
    public static final String CANDIDATE = "#ffc857";
    /** The background of a leader: green. */
    public static final String LEADER = "#74c476";
    /** The background of a crashed server. */
    public static final String DOWN = "#616161";

    /** Term 0 is the term before any election, so it gets a neutral grey rather than a colour. */
    private static final String TERM_ZERO = "#eeeeee";
    /** Pastels that black text is readable on; terms 1, 2, 3... take them in turn and start over after the last. */
    private static final String[] TERMS = {
        "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
        "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5", "#fff2a8",
    };

    private Html() {
    }

    /**
     * {@code text} safe to put between tags or inside a double- or single-quoted attribute. Control
     * characters that XML 1.0 forbids (a stray NUL in a note, say) become U+FFFD, so the output
     * stays well-formed whatever a server logged.
     */
    public static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '\uFFFD' : c);
            }
        }
        return s.toString();
    }

    /** The colour of a term: light grey for term 0, then a distinct pastel per term, cycling over ten. */
    public static String termColour(long term) {
        if (term <= 0) {
            return TERM_ZERO;
        }
        return TERMS[(int) ((term - 1) % TERMS.length)];
    }

    /** The background of a role, the same in every picture. */
    public static String roleColour(Role role) {
        return switch (role) {
            case FOLLOWER -> FOLLOWER;
            case CANDIDATE -> CANDIDATE;
            case LEADER -> LEADER;
        };
    }

    /** {@code <tag style="style">text</tag>}, with the text escaped. */
    static String element(String tag, String style, String text) {
        return "<" + tag + " style=\"" + escape(style) + "\">" + escape(text) + "</" + tag + ">";
    }
}
