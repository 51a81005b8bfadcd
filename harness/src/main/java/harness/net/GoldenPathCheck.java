package harness.net;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The golden path of the real cluster gives the transcript in {@code golden-path.txt}, word for word. */
@Tag("real-cluster")
@DisplayName("The real cluster: the golden path with a fixed seed gives the same transcript every run")
public class GoldenPathCheck {

    @Test
    @DisplayName("Three nodes with seed 433, eight raft-client commands: node1 leads term 1, the outputs and exit codes as recorded")
    void transcriptIsTheRecordedOne() throws Exception {
        String expected;
        try (InputStream in = GoldenPathCheck.class.getResourceAsStream("golden-path.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path data = Files.createTempDirectory("golden-path-");
        String transcript = GoldenPath.run(data, freeBase());
        assertEquals(expected, transcript, "the golden path's transcript differs from harness/net/golden-path.txt; the"
                + " nodes' logs are in " + data);
        harness.storage.Folders.deleteTree(data); // kept for inspection when the check fails
    }

    /** A base port with the three after it free: the check must not meet a cluster a learner has running. */
    private static int freeBase() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            try (ServerSocket a = new ServerSocket(base + 1); ServerSocket b = new ServerSocket(base + 2);
                 ServerSocket c = new ServerSocket(base + 3)) {
                return base;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("found no three free consecutive ports");
    }
}
