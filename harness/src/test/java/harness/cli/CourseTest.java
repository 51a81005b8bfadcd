package harness.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the command line says to wrong use: the error, a one-line usage and a hint, never the whole help. */
class CourseTest {

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        picocli.CommandLine line = Course.commandLine();
        line.setErr(new PrintWriter(err, true));
        line.setOut(new PrintWriter(new StringWriter(), true));
        return new Run(line.execute(args), err.toString());
    }

    private static void assertShort(Run run, String error) {
        assertEquals(2, run.exit(), run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(3, lines.size(), "the error, the usage line, the hint; not the whole help:\n" + run.err());
        assertTrue(lines.get(0).contains(error), run.err());
        assertTrue(lines.get(1).startsWith("Usage: "), run.err());
        assertEquals("Run ./course help for every command and option.", lines.get(2));
    }

    @Test
    void aMilestoneThatDoesNotExistSaysWhichOnesDo() {
        assertShort(run("grade", "0"), "./course grade: the course's milestones are numbered 1 to 8, so there is no milestone 0");
        assertShort(run("demo", "9", "--mine"), "numbered 1 to 8");
        assertShort(run("start", "0"), "numbered 1 to 8");
    }

    @Test
    void wrongOptionsAndUnknownCommandsAreAnsweredShortly() {
        assertShort(run("grade", "1", "--seeds", "0"), "--seeds must be at least 1");
        assertShort(run("grade", "1", "--seed", "2", "--seeds", "3"), "not both");
        assertShort(run("grade", "1", "--mine", "--bug", "votes-twice"), "your workspace has none");
        assertShort(run("grade", "1", "--frobnicate"), "--frobnicate");
        assertShort(run("frobnicate"), "frobnicate");
        assertShort(run("grade", "one"), "one");
        assertShort(run("bench", "4", "--only", "kv"), "./course bench: the kv benchmark measures what milestone 5 adds, so it needs"
                + " milestone 5 or later, not 4");
        assertShort(run("bench", "5", "--only", "clients"), "expected one of [simulator, commits, storage, kv, checker]");
        assertShort(run("soak", "2", "--seeds", "0"), "./course soak: --seeds, --from-seed and --jobs must be at least 1");
        assertShort(run("soak", "2", "--jobs", "0"), "must be at least 1");
        assertShort(run("soak", "2", "--mine"), "Unknown option: '--mine'");
        assertShort(run("soak", "9"), "numbered 1 to 8");
    }

    @Test
    void aWorkspaceProblemIsItsMessageAndExitOne() {
        Run run = run("start", "1");
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().startsWith("./course start: milestone 1 is where the course begins"), run.err());
    }
}
