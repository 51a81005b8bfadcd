package harness.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's non-blocking connection: frames that arrive in pieces or larger than the read
 * buffer come out whole, a bad length is refused without allocating what it announced, the end
 * of the stream inside a frame is an error, and a peer that stops reading costs a bounded queue.
 */
class ConnectionTest {

    private Selector selector;
    private SocketChannel remote;   // the other side, blocking
    private Connection connection;  // this side, as the node holds it

    @BeforeEach
    void connect() throws IOException {
        selector = Selector.open();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            remote = SocketChannel.open(listener.getLocalAddress());
            SocketChannel local = listener.accept();
            local.configureBlocking(false);
            connection = new Connection(local, local.register(selector, SelectionKey.OP_READ), null);
        }
    }

    @AfterEach
    void close() throws IOException {
        connection.close();
        remote.close();
        selector.close();
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            remote.write(b);
        }
    }

    /** Reads until {@code count} frames have come, or the stream ends; returns them. */
    private List<byte[]> readFrames(int count) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (frames.size() < count && System.nanoTime() < deadline) {
            if (!connection.read(frames::add)) {
                break;
            }
            Thread.sleep(1);
        }
        return frames;
    }

    @Test
    void framesArrivingInPiecesComeOutWholeAndInOrder() throws Exception {
        byte[] one = frame("{\"type\":\"Hello\",\"from\":2}".getBytes(StandardCharsets.UTF_8));
        byte[] two = frame("{\"type\":\"Status\",\"from\":5000}".getBytes(StandardCharsets.UTF_8));
        byte[] both = Arrays.copyOf(one, one.length + two.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        for (int cut : new int[] {2, one.length + 3}) { // inside the first length, inside the second frame
            sendRaw(Arrays.copyOfRange(both, 0, cut));
            assertEquals(cut < 4 ? 0 : 1, readFrames(cut < 4 ? 0 : 1).size());
            Thread.sleep(20);
            List<byte[]> partial = new ArrayList<>();
            connection.read(partial::add);
            assertEquals(0, partial.size(), "nothing more is whole after " + cut + " bytes");
            sendRaw(Arrays.copyOfRange(both, cut, both.length));
            List<byte[]> rest = readFrames(cut < 4 ? 2 : 1);
            assertArrayEquals(Arrays.copyOfRange(two, 4, two.length), rest.get(rest.size() - 1));
        }
    }

    @Test
    void aFrameLargerThanTheReadBufferComesOutWhole() throws Exception {
        byte[] body = new byte[300_000];
        Arrays.fill(body, (byte) 'x');
        sendRaw(frame(body));
        List<byte[]> frames = readFrames(1);
        assertEquals(1, frames.size());
        assertArrayEquals(body, frames.get(0));
    }

    @Test
    void aLengthOverTheLimitIsRefusedWithoutAllocatingIt() throws Exception {
        int before = connection.bufferBytes();
        sendRaw("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // announces 1,195,725,856 bytes
        Thread.sleep(50);
        Frames.BadFrame e = assertThrows(Frames.BadFrame.class, () -> connection.read(f -> { }));
        assertTrue(e.getMessage().contains("announced 1195725856 bytes, over the 1048576-byte limit"), e.getMessage());
        assertEquals(before, connection.bufferBytes(), "the read buffer did not grow toward the announced length");
    }

    @Test
    void theStreamEndingInsideAFrameIsAnErrorAndBetweenFramesIsNot() throws Exception {
        sendRaw(frame("{}".getBytes(StandardCharsets.UTF_8)));
        sendRaw(new byte[] {0, 0, 0, 9, '{'});
        remote.shutdownOutput();
        Thread.sleep(50);
        List<byte[]> frames = new ArrayList<>();
        Frames.BadFrame e = assertThrows(Frames.BadFrame.class, () -> {
            while (connection.read(frames::add)) {
                Thread.sleep(1);
            }
        });
        assertEquals(1, frames.size(), "the whole frame before the cut one was handed on");
        assertTrue(e.getMessage().contains("9 bytes announced, fewer sent"), e.getMessage());
    }

    @Test
    void aPeerThatStopsReadingCostsABoundedQueue() throws Exception {
        byte[] body = new byte[16 * 1024];
        for (int i = 0; i < 3 * Connection.QUEUE_FRAMES; i++) { // far more than the socket's buffers hold
            connection.send(body);
        }
        assertTrue(connection.waiting() <= Connection.QUEUE_FRAMES, connection.waiting() + " frames waiting");
        assertTrue(connection.waiting() > 0, "the socket took everything: the test did not fill it");
    }
}
