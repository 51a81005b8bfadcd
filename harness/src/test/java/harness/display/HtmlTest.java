package harness.display;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class HtmlTest {

    @Test
    void escapingLeavesNoMarkupAndNoForbiddenCharacters() {
        assertEquals("&lt;b title=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;", Html.escape("<b title=\"x\">Tom & Jerry's</b>"));
        assertEquals("a\uFFFDb\tc\nd", Html.escape("a\u0000b\tc\nd"), "NUL is not allowed in XML; tabs and newlines are");
        assertEquals("node1 → node2 ✗", Html.escape("node1 → node2 ✗"), "other characters pass unchanged");
    }

    @Test
    void termZeroIsGreyAndTheNextTenTermsHaveTenColoursThenTheyCycle() {
        Set<String> colours = new HashSet<>();
        for (long term = 1; term <= 10; term++) {
            colours.add(Html.termColour(term));
        }
        assertEquals(10, colours.size());
        assertEquals(false, colours.contains(Html.termColour(0)));
        assertEquals(Html.termColour(1), Html.termColour(11));
        assertEquals(Html.termColour(7), Html.termColour(107));
        assertNotEquals(Html.termColour(3), Html.termColour(4));
    }
}
