package notes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangesTest {

    @TempDir
    Path root;

    private Path module(String name, String serverCode) throws IOException {
        return file(name, "java/raft/Server.java", serverCode);
    }

    /** Writes {@code code} to {@code path} under the module's src/main, and returns the module. */
    private Path file(String module, String path, String code) throws IOException {
        Path file = root.resolve(module).resolve("src/main").resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, code);
        return root.resolve(module);
    }

    @Test
    void theDiffShowsTheCodeThatChangedAndNoTagMarkers() throws IOException {
        Path one = module("milestone-1-election", "class Server {\n    // tag::state[]\n    long term;\n    // end::state[]\n}\n");
        Path two = module("milestone-2-replication", "class Server {\n    // tag::state[]\n    long term;\n    List<Entry> log;\n    // end::state[]\n}\n");
        String diff = Changes.between(root, one, two);
        assertTrue(diff.contains("[source,diff"), diff);
        assertTrue(diff.contains("+    List<Entry> log;"), diff);
        assertTrue(diff.contains("--- milestone-1-election/java/raft/Server.java"), diff);
        assertFalse(diff.contains("tag::"), diff);
        assertFalse(diff.contains("end::"), diff);
    }

    /** The headers are the same at every build: no timestamps of the build's temporary copies. */
    @Test
    void fileHeadersCarryNoTimestamps() throws IOException {
        Path one = module("milestone-1-election", "class Server {\n}\n");
        file("milestone-1-election", "java/raft/Message.java", "interface Message {}\n");
        Path two = module("milestone-2-replication", "class Server {\n    long term;\n}\n");
        file("milestone-2-replication", "java/raft/Log.java", "class Log {}\n"); // new: diffed against nothing
        String diff = Changes.between(root, one, two);
        List<String> headers = diff.lines().filter(l -> l.startsWith("--- ") || l.startsWith("+++ ")).toList();
        assertEquals(List.of(
                "--- milestone-1-election/java/raft/Server.java", "+++ milestone-2-replication/java/raft/Server.java",
                "--- milestone-1-election/java/raft/Log.java", "+++ milestone-2-replication/java/raft/Log.java",
                "--- milestone-1-election/java/raft/Message.java", "+++ milestone-2-replication/java/raft/Message.java"),
                headers.stream().distinct().toList(), diff);
        assertFalse(Pattern.compile("\\d{4}-\\d\\d-\\d\\d|\\d\\d:\\d\\d:\\d\\d|\\t").matcher(diff).find(), diff);
        assertFalse(diff.contains("diff -"), "no diff command lines:\n" + diff);
    }

    /**
     * Server.java comes first, alone; then the milestone's other files; then the bug zoo, in a
     * block of its own that the HTML folds away.
     */
    @Test
    void serverFirstAndAloneThenTheOtherFilesThenTheBugZooApart() throws IOException {
        file("milestone-1-election", "java/raft/bugzoo/VotesTwice.java", "class VotesTwice {}\n");
        file("milestone-1-election", "java/raft/Message.java", "interface Message {}\n");
        Path one = module("milestone-1-election", "class Server {\n}\n");
        file("milestone-2-replication", "java/raft/bugzoo/VotesTwice.java", "class VotesTwice { int x; }\n");
        file("milestone-2-replication", "java/raft/bugzoo/SkipsConsistencyCheck.java", "class SkipsConsistencyCheck {}\n");
        file("milestone-2-replication", "java/raft/Message.java", "interface Message { int y(); }\n");
        file("milestone-2-replication", "java/raft/Log.java", "class Log {}\n");
        Path two = module("milestone-2-replication", "class Server {\n    Log log;\n}\n");
        String diff = Changes.between(root, one, two);

        int server = diff.indexOf("+++ milestone-2-replication/java/raft/Server.java");
        int log = diff.indexOf("+++ milestone-2-replication/java/raft/Log.java");
        int message = diff.indexOf("+++ milestone-2-replication/java/raft/Message.java");
        int zoo = diff.indexOf(".The bug zoo");
        int skips = diff.indexOf("+++ milestone-2-replication/java/raft/bugzoo/SkipsConsistencyCheck.java");
        int votes = diff.indexOf("+++ milestone-2-replication/java/raft/bugzoo/VotesTwice.java");
        assertTrue(0 <= server && server < log && log < message && message < zoo && zoo < skips && skips < votes, diff);

        // Server.java's listing holds nothing else: the next file starts in a listing of its own.
        String serverListing = diff.substring(server, diff.indexOf("--------------\nendif::[]", server));
        assertEquals(1, count(serverListing, "+++ "), serverListing);
        assertTrue(diff.indexOf("`Server.java`") < server, diff);
        assertTrue(diff.contains("(`Log.java` new; `Message.java` changed)"), diff);
        assertTrue(diff.contains(".The bug zoo, `raft/bugzoo/` (`SkipsConsistencyCheck.java` new; `VotesTwice.java` changed)\n[%collapsible,caption=\"\"]\n===="), diff);
        assertTrue(diff.stripTrailing().endsWith("===="), "the bug zoo is the last part:\n" + diff);
    }

    /** The bug zoo's block has padding of its own, so its PDF lines are broken shorter. */
    @Test
    void theBugZoosPdfLinesFitInsideItsBlock() throws IOException {
        String comment = "// " + "word ".repeat(30);
        file("milestone-1-election", "java/raft/bugzoo/VotesTwice.java", "class VotesTwice {}\n");
        Path one = module("milestone-1-election", "class Server {\n}\n");
        file("milestone-2-replication", "java/raft/bugzoo/VotesTwice.java", "class VotesTwice {\n    " + comment + "\n}\n");
        Path two = module("milestone-2-replication", "class Server {\n    " + comment + "\n}\n");
        String diff = Changes.between(root, one, two);
        String zoo = diff.substring(diff.indexOf(".The bug zoo"));
        String pdf = between(zoo, "ifdef::backend-pdf[]\n[source,diff]\n", "endif::[]");
        assertTrue(pdf.lines().anyMatch(l -> l.length() > Changes.PDF_WIDTH_IN_BLOCK - 6), pdf);
        for (String l : pdf.lines().toList()) {
            assertTrue(l.length() <= Changes.PDF_WIDTH_IN_BLOCK, "fits the block: " + l);
        }
    }

    @Test
    void unchangedFilesAreLeftOut() throws IOException {
        file("milestone-1-election", "java/raft/Message.java", "interface Message {}\n");
        Path one = module("milestone-1-election", "class Server {\n}\n");
        file("milestone-2-replication", "java/raft/Message.java", "interface Message {}\n");
        Path two = module("milestone-2-replication", "class Server {\n    long x;\n}\n");
        String diff = Changes.between(root, one, two);
        assertFalse(diff.contains("Message.java"), diff);
        assertFalse(diff.contains("The other files"), diff);
        assertFalse(diff.contains("bug zoo"), diff);
    }

    /**
     * The PDF's copy breaks long lines so the page does not: each piece fits, and each
     * continuation keeps the line's mark. The HTML's copy keeps the line whole and does not wrap.
     */
    @Test
    void thePdfBreaksLongLinesUnderTheirMarkAndTheHtmlKeepsThemWhole() throws IOException {
        String longLine = "    record AppendEntriesReply(long term, boolean success, long matchIndex, long conflictTerm,"
                + " long conflictIndex, long somethingElse) implements Message {";
        Path one = module("milestone-1-election", "class Server {\n}\n");
        Path two = module("milestone-2-replication", "class Server {\n" + longLine + "\n}\n");
        String diff = Changes.between(root, one, two);

        String pdf = between(diff, "ifdef::backend-pdf[]\n[source,diff]\n", "endif::[]");
        String html = between(diff, "ifndef::backend-pdf[]\n[source,diff,options=\"nowrap\"]\n", "endif::[]");
        assertTrue(html.contains("+" + longLine + "\n"), html);
        List<String> added = pdf.lines().filter(l -> l.startsWith("+") && !l.startsWith("+++")).toList();
        assertTrue(added.size() >= 2, "the long line is broken:\n" + pdf);
        for (String l : pdf.lines().toList()) {
            assertTrue(l.length() <= Changes.PDF_WIDTH, "fits the page: " + l);
        }
        assertEquals(longLine.strip(), String.join(" ", added.stream().map(l -> l.substring(1).strip()).toList()),
                "nothing is lost at the breaks:\n" + pdf);
    }

    @Test
    void wrappingKeepsTheMarkAndIndentsContinuations() {
        assertEquals(List.of("-        return somethingRatherLong(first,", "-              second, third);"),
                Changes.wrap("-        return somethingRatherLong(first, second, third);", 44));
        assertEquals(List.of("+short"), Changes.wrap("+short", 30));
        assertEquals(List.of("--- a/very/long/path/that/is/not/broken/because/it/is/a/header"),
                Changes.wrap("--- a/very/long/path/that/is/not/broken/because/it/is/a/header", 30), "headers stay whole");
        assertEquals(List.of(" " + "x".repeat(29), "       " + "x".repeat(11)), Changes.wrap(" " + "x".repeat(40), 30),
                "a word longer than the line is cut");
    }

    @Test
    void theFirstMilestoneListsItsFilesWithTheirLinesOfCode() throws IOException {
        Path one = module("milestone-1-election", "class Server {\n    // tag::state[]\n    long term;\n    // end::state[]\n}\n");
        String table = Changes.firstMilestone(root, one);
        assertTrue(table.contains("| `milestone-1-election/src/main/java/raft/Server.java` | 3\n"), table);
    }

    @Test
    void theFirstMilestoneListsServerFirstAndTheBugZooLast() throws IOException {
        file("milestone-1-election", "java/raft/bugzoo/BugZoo.java", "class BugZoo {}\n");
        file("milestone-1-election", "java/raft/Message.java", "interface Message {}\n");
        file("milestone-1-election", "java/raft/Zeta.java", "class Zeta {}\n");
        Path one = module("milestone-1-election", "class Server {\n}\n");
        String table = Changes.firstMilestone(root, one);
        int server = table.indexOf("raft/Server.java");
        int message = table.indexOf("raft/Message.java");
        int zeta = table.indexOf("raft/Zeta.java");
        int zoo = table.indexOf("raft/bugzoo/BugZoo.java");
        assertTrue(0 <= server && server < message && message < zeta && zeta < zoo, table);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start + " in\n" + text);
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
