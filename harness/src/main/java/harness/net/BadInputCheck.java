package harness.net;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code raft-node} process against bad input: each kind of frame that is not the course's
 * protocol closes its own connection with a line in the node's log that says what was wrong, and
 * the node stays up with its state unchanged; a data directory in use, or damaged, and a port in
 * use stop a node at start with a message that names the file or port and what to do.
 */
@Tag("real-cluster")
@DisplayName("The real cluster: bad frames are refused and the node stays up; a bad start says why")
public class BadInputCheck {

    private Path directory;
    private int port;
    private Process node;

    @BeforeEach
    void startOneNode() throws Exception {
        directory = Files.createTempDirectory("bad-input-");
        port = freePort();
        node = start(directory.resolve("node1"), port);
        assertNotNull(awaitStatus(Duration.ofSeconds(10)), "the node did not answer a status request within 10 s:\n" + log());
    }

    @AfterEach
    void stop() throws Exception {
        node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        harness.storage.Folders.deleteTree(directory);
    }

    @Test
    @DisplayName("Garbage bytes, a truncated frame, a frame over the limit, an unknown type, a stranger, a client speaking the server protocol")
    void badFramesAreRefusedAndTheNodeStaysUp() throws Exception {
        JsonNode before = awaitStatus(Duration.ofSeconds(2));
        send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "over the 1048576-byte limit");
        send(frame("{\"type\":\"Status\",\"fro"), 10, "the connection ended inside a frame");
        send(new byte[] {0x10, 0, 0, 0, 1, 2, 3}, "over the 1048576-byte limit");
        send(frame("not json at all"), "a frame that is not JSON");
        send(frame("{\"type\":\"Gossip\",\"from\":2,\"term\":1}"), "unknown message type \"Gossip\"");
        send(frame("{\"type\":\"RequestVote\",\"from\":7,\"term\":9,\"candidate_id\":7,\"last_log_index\":0,\"last_log_term\":0}"),
                "from node7, which is not a peer of node1");
        send(frame("{\"type\":\"AppendEntries\",\"from\":5000,\"term\":9,\"leader_id\":1,\"prev_log_index\":0,\"prev_log_term\":0,"
                + "\"entries\":[],\"leader_commit\":0,\"round\":0}"), "a message between servers");
        send(frame("{\"type\":\"RequestVote\",\"from\":2,\"term\":\"nine\"}"), "malformed RequestVote");
        assertTrue(node.isAlive(), "the node exited after bad input:\n" + log());
        JsonNode after = awaitStatus(Duration.ofSeconds(2));
        assertNotNull(after, "the node no longer answers after bad input:\n" + log());
        // Alone, the node stands for election now and then; the refused frames claimed term 9, which it must not have taken.
        assertTrue(after.path("term").asLong() < 9, "a refused frame's term 9 reached the node (its term is now "
                + after.path("term").asLong() + "):\n" + log());
        assertEquals(before.path("log_length").asLong(), after.path("log_length").asLong(), "bad input changed the node's log");
    }

    @Test
    @DisplayName("A data directory in use by a running node, a damaged log, a log that cannot be read, a port in use, a directory that cannot be made: the node does not start, and says why")
    void badStartsSayWhy() throws Exception {
        Process second = start(directory.resolve("node1"), freePort());
        assertExits(second, "is in use by another running raft-node");
        try (ServerSocket taken = new ServerSocket(0)) {
            Process busy = start(directory.resolve("other"), taken.getLocalPort());
            assertExits(busy, "port " + taken.getLocalPort() + " on 127.0.0.1 is in use");
        }
        Path damaged = directory.resolve("damaged");
        Files.createDirectories(damaged);
        Files.write(damaged.resolve("log"), "this is not a raft log".getBytes(StandardCharsets.US_ASCII));
        assertExits(start(damaged, freePort()), "is damaged");
        Path unreadable = directory.resolve("unreadable"); // root reads past permission bits, so: a log that cannot be read as a file
        Files.createDirectories(unreadable.resolve("log"));
        assertExits(start(unreadable, freePort()), "cannot read the stored state in " + unreadable.toAbsolutePath());
        Path file = directory.resolve("a-file");
        Files.writeString(file, "not a directory");
        assertExits(start(file.resolve("node1"), freePort()), "cannot create the storage directory");
    }

    private void assertExits(Process p, String expected) throws Exception {
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the node did not stop; expected: " + expected);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), "exit status; output:\n" + output);
        assertTrue(output.contains(expected), "expected \"" + expected + "\" in:\n" + output);
    }

    /** Sends bytes on a fresh connection, then waits for the node's log to say {@code expected}. */
    private void send(byte[] bytes, String expected) throws Exception {
        send(bytes, bytes.length, expected);
    }

    private void send(byte[] bytes, int length, String expected) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(bytes, 0, length);
            out.flush();
            s.shutdownOutput();
            new DataInputStream(s.getInputStream()).read(); // until the node closes it
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!log().contains(expected)) {
            assertTrue(System.nanoTime() < deadline, "the node's log does not say \"" + expected + "\":\n" + log());
            Thread.sleep(20);
        }
    }

    private static byte[] frame(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[4 + body.length];
        f[0] = (byte) (body.length >>> 24);
        f[1] = (byte) (body.length >>> 16);
        f[2] = (byte) (body.length >>> 8);
        f[3] = (byte) body.length;
        System.arraycopy(body, 0, f, 4, body.length);
        return f;
    }

    private JsonNode awaitStatus(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Addresses a = new Addresses();
        a.add("1=127.0.0.1:" + port);
        while (System.nanoTime() < deadline) {
            JsonNode s = Probe.status(a, 1, Duration.ofMillis(500));
            if (s != null) {
                return s;
            }
            Thread.sleep(50);
        }
        return null;
    }

    private Process start(Path data, int listen) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RaftNodeMain.class.getName(),
                "--id", "1", "--peers", "2,3", "--peer", "2=127.0.0.1:1", "--peer", "3=127.0.0.1:1",
                "--listen", "127.0.0.1:" + listen, "--data", data.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (data.equals(directory.resolve("node1")) && node == null) {
            pb.redirectOutput(directory.resolve("node1.log").toFile());
        }
        return pb.start();
    }

    private String log() throws IOException {
        Path f = directory.resolve("node1.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
