package harness.net;

import harness.storage.FileVolume;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code ./course cluster bench}'s options, and the errors for wrong ones. */
class ClusterBenchmarkOptionsTest {

    @Test
    void defaultsAndEachOption() {
        assertEquals(new ClusterBenchmark.Options(Duration.ofSeconds(5), FileVolume.LogFiles.PREALLOCATED),
                ClusterBenchmark.Options.of(new String[0]));
        assertEquals(new ClusterBenchmark.Options(Duration.ofMillis(2500), FileVolume.LogFiles.GROWN),
                ClusterBenchmark.Options.of(new String[] {"--log-file", "grown", "--seconds", "2.5"}));
        assertEquals(FileVolume.LogFiles.PREALLOCATED,
                ClusterBenchmark.Options.of(new String[] {"--log-file", "preallocated"}).logFiles());
        assertEquals("--log-file does not take \"direct\"", message("--log-file", "direct"));
    }

    @Test
    void wrongUseSaysWhatWasWrong() {
        assertEquals("there is no option --bogus", message("--bogus", "1"));
        assertEquals("--seconds needs a value", message("--seconds"));
        assertEquals("--seconds does not take \"0\"", message("--seconds", "0"));
        assertEquals("--log-file does not take \"fast\"", message("--log-file", "fast"));
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ClusterBenchmark.Options.of(args)).getMessage();
    }
}
