package notes;

import harness.api.Bug;
import harness.cluster.Implementations;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every milestone has a chapter that the book includes, covers its bug zoo and links its notebook:
 * the HTML page of the copy the build ran, never a {@code .ipynb} file.
 */
class NotesCheck {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    static final Path SOURCES = ROOT.resolve("docs/src/docs/asciidoc");

    @Test
    void everyMilestoneHasAChapterThatCoversItsBugZooAndLinksItsNotebook() throws IOException {
        String book = Files.readString(SOURCES.resolve("index.adoc"));
        for (Path module : Generate.milestoneModules(ROOT)) {
            int n = Generate.milestoneNumber(module);
            String name = "_milestone-" + n + ".adoc";
            Path chapter = SOURCES.resolve(name);
            assertTrue(Files.isRegularFile(chapter), "milestone " + n + " has no chapter " + SOURCES.relativize(chapter));
            assertTrue(book.contains("include::" + name + "["), "index.adoc does not include " + name);
            String text = Files.readString(chapter);
            for (Bug bug : Implementations.milestone(n).bugZoo()) {
                assertTrue(text.contains("`" + bug.name() + "`"), name + " has no pitfall for the bug-zoo variant " + bug.name());
            }
            String notebook = String.format("notebooks/%02d-", n);
            assertTrue(text.contains(notebook), name + " does not link its notebook " + notebook + "*.ipynb");
            String page = String.format("link:{notebooks}/target/executed/%02d-", n);
            assertTrue(Pattern.compile(Pattern.quote(page) + "[\\w-]+\\.html\\[").matcher(text).find(),
                    name + " does not link the HTML page of its executed notebook, " + page.substring("link:{notebooks}/".length()) + "*.html");
            assertFalse(Pattern.compile("link:[^\\[\\s]*\\.ipynb\\[").matcher(text).find(),
                    name + " links a .ipynb file, which a browser shows as raw JSON: link the executed notebook's .html page");
        }
    }

    @Test
    void theGeneratedPartsAreThere() {
        Path generated = ROOT.resolve("docs/target/generated-notes");
        for (String part : new String[] {"milestone-1/rubric.adoc", "milestone-1/rules.adoc", "milestone-1/bug-zoo.adoc",
                "milestone-1/changes.adoc", "milestone-1/election.svg", "figure16.adoc"}) {
            assertTrue(Files.isRegularFile(generated.resolve(part)), "not generated: " + part);
        }
    }
}
