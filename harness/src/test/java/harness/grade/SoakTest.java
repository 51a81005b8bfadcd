package harness.grade;

import harness.testing.JarredImplementation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A soak of two scenarios over three seeds, in two worker JVMs, of a stand-in implementation that
 * elects no leader (so one scenario fails every seed and the other passes), then run again:
 * it resumes from its progress file, redoes a chunk whose record was lost, and starts over when told.
 */
class SoakTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out) {
    }

    private Run soak(boolean fresh) throws IOException {
        Path registration = dir.resolve("implementation/META-INF/services/harness.api.RaftImplementation");
        Files.createDirectories(registration.getParent());
        Files.writeString(registration, JarredImplementation.class.getName()); // the workers' code under test, milestone 3
        List<Method> scenarios = List.of(Grader.scenario("ElectionSuite.initialElection", 3),
                Grader.scenario("ElectionSuite.sameSeedSameRun", 3));
        String classPath = System.getProperty("java.class.path") + File.pathSeparator + dir.resolve("implementation");
        Soak.Settings settings = new Soak.Settings(3, scenarios, 1, 3, 2, fresh, "the pinger", classPath, dir.resolve("soak"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new Soak(settings, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    /** The one progress file of this soak: its seeds, then a short name for its two scenarios. */
    private Path progressFile() throws IOException {
        try (var files = Files.list(dir.resolve("soak"))) {
            List<Path> progress = files.filter(f -> f.getFileName().toString().endsWith(".progress")).toList();
            assertEquals(1, progress.size(), "progress files: " + progress);
            assertTrue(progress.get(0).getFileName().toString().startsWith("seeds-1-3-"), progress.get(0).toString());
            return progress.get(0);
        }
    }

    @Test
    void reportsEachFailureWithItsReplayCommandThenATableAndResumes() throws IOException {
        Run first = soak(false);
        assertEquals(1, first.exit(), first.out());
        assertTrue(first.out().contains("FAIL ElectionSuite.initialElection seed 2: ["),
                first.out());
        assertTrue(first.out().contains("replay: ./course grade 3 --test ElectionSuite.initialElection --seed 2"), first.out());
        assertTrue(Files.exists(dir.resolve("soak/failures/ElectionSuite.initialElection-seed-2.txt")));
        assertTrue(first.out().matches("(?s).*ElectionSuite\\.initialElection +3 +3 .*ElectionSuite\\.sameSeedSameRun +3 +0 .*"),
                first.out());
        assertTrue(first.out().contains("6 of 6 runs, 3 failed"), first.out());

        Run again = soak(false);
        assertEquals(1, again.exit(), "the failures found before still count: " + again.out());
        assertTrue(again.out().contains("Resuming: 6 runs already done, 3 failed."), again.out());
        assertFalse(again.out().contains("0/6 runs"), "nothing left to run: " + again.out());

        List<String> lines = Files.readAllLines(progressFile());
        Files.write(progressFile(), lines.subList(0, lines.size() - 1)); // the last chunk's record, lost to a stop
        Run rest = soak(false);
        assertTrue(rest.out().contains("Resuming: 3 runs already done"), rest.out());
        assertTrue(rest.out().contains("6 of 6 runs, 3 failed"), rest.out());

        Run over = soak(true);
        assertFalse(over.out().contains("Resuming"), over.out());
        assertTrue(over.out().contains("6 of 6 runs, 3 failed"), over.out());
    }
}
