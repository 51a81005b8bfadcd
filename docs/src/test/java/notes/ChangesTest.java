package notes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChangesTest {

    @TempDir
    Path root;

    private Path module(String name, String serverCode) throws IOException {
        Path file = root.resolve(name).resolve("src/main/java/raft/Server.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, serverCode);
        return root.resolve(name);
    }

    @Test
    void theDiffShowsTheCodeThatChangedAndNoTagMarkers() throws IOException {
        Path one = module("milestone-1-election", "class Server {\n    // tag::state[]\n    long term;\n    // end::state[]\n}\n");
        Path two = module("milestone-2-replication", "class Server {\n    // tag::state[]\n    long term;\n    List<Entry> log;\n    // end::state[]\n}\n");
        String diff = Changes.between(root, one, two);
        assertTrue(diff.startsWith("[source,diff]\n"), diff);
        assertTrue(diff.contains("+    List<Entry> log;"), diff);
        assertTrue(diff.contains("--- milestone-1-election/java/raft/Server.java"), diff);
        assertFalse(diff.contains("tag::"), diff);
        assertFalse(diff.contains("end::"), diff);
    }

    @Test
    void theFirstMilestoneListsItsFilesWithTheirLinesOfCode() throws IOException {
        Path one = module("milestone-1-election", "class Server {\n    // tag::state[]\n    long term;\n    // end::state[]\n}\n");
        String table = Changes.firstMilestone(root, one);
        assertTrue(table.contains("| `milestone-1-election/src/main/java/raft/Server.java` | 3\n"), table);
    }
}
