package harness.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One TCP connection of a node, used only on the node's event loop and never blocking it: reads
 * take the frames that have arrived whole, writes take what the socket accepts now and keep the
 * rest until the selector says the socket can take more. What waits to be written is bounded:
 * beyond {@link #QUEUE_FRAMES} frames, a new frame is dropped, as a network drops messages, and
 * Raft sends again what matters. A slow or paused peer costs memory up to that bound, never time.
 */
final class Connection {

    /** The most frames waiting to be written on one connection. */
    static final int QUEUE_FRAMES = 4096;

    private final SocketChannel channel;
    private final SelectionKey key;
    private ByteBuffer in = ByteBuffer.allocate(1 << 16);
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    /** The link this node opened the connection for, or null for one that a peer or a client opened. */
    final PeerLink peer;
    /** Who sends on this connection, once its first frame has said so. */
    Integer sender;

    Connection(SocketChannel channel, SelectionKey key, PeerLink peer) {
        this.channel = channel;
        this.key = key;
        this.peer = peer;
        key.attach(this);
    }

    /** From now on the selector reports frames that arrive, and the end of the stream. */
    void listen() {
        key.interestOps(SelectionKey.OP_READ | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE));
    }

    SocketChannel channel() {
        return channel;
    }

    /** What a connection's frames are handed to, one at a time, in order. */
    interface FrameHandler {
        void frame(byte[] body) throws IOException, Envelope.BadEnvelope;
    }

    /**
     * Reads what has arrived and hands each whole frame to {@code frames}, in order. Returns false
     * at a clean end of the stream (between frames).
     *
     * @throws Frames.BadFrame the stream is not frames, or ended inside one
     */
    boolean read(FrameHandler frames) throws IOException, Envelope.BadEnvelope {
        int n = channel.read(in);
        in.flip();
        try {
            while (in.remaining() >= 4) {
                int length = in.getInt(in.position());
                if (length < 0 || length > Frames.MAX_BYTES) {
                    throw Frames.overLimit(length);
                }
                if (in.remaining() < 4 + length) {
                    break;
                }
                in.getInt();
                byte[] body = new byte[length];
                in.get(body);
                frames.frame(body);
            }
        } finally {
            keepTheRest();
        }
        if (n < 0) {
            if (in.position() > 0) {
                throw Frames.endedInside(in.position() < 4 ? -1 : in.getInt(0));
            }
            return false;
        }
        return true;
    }

    /**
     * Moves a frame that has begun to arrive to the start of the buffer, in a larger one if it
     * needs that; never larger than the limit allows, whatever length a bad frame announced.
     */
    private void keepTheRest() {
        int announced = in.remaining() >= 4 ? in.getInt(in.position()) : 0;
        if (announced > in.capacity() - 4 && announced <= Frames.MAX_BYTES) {
            int needed = 4 + announced;
            in = ByteBuffer.allocate(needed).put(in);
        } else {
            in.compact();
        }
    }

    /** Queues a frame and writes what the socket takes now. A frame beyond the bound is dropped. */
    void send(byte[] frame) throws IOException {
        if (out.size() >= QUEUE_FRAMES) {
            return;
        }
        out.add(ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).flip());
        if (out.size() == 1) {
            flush();
        }
    }

    /** Writes what waits until the socket takes no more; then asks to hear when it can take more. */
    void flush() throws IOException {
        if (!channel.isConnected()) {
            return; // still connecting: the frames go once it is open
        }
        while (!out.isEmpty()) {
            ByteBuffer[] frames = firstFrames();
            long bytes = 0;
            for (ByteBuffer f : frames) {
                bytes += f.remaining();
            }
            long written = channel.write(frames);
            while (!out.isEmpty() && !out.peek().hasRemaining()) {
                out.poll();
            }
            if (written < bytes) { // the socket is full: go on when the selector says it has room
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                return;
            }
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
    }

    /** Up to 64 of the waiting frames, for one gathering write. */
    private ByteBuffer[] firstFrames() {
        ByteBuffer[] frames = new ByteBuffer[Math.min(out.size(), 64)];
        java.util.Iterator<ByteBuffer> waiting = out.iterator();
        for (int i = 0; i < frames.length; i++) {
            frames[i] = waiting.next();
        }
        return frames;
    }

    /** Frames waiting to be written (for tests). */
    int waiting() {
        return out.size();
    }

    /** The read buffer's size: what a frame that is still arriving costs (for tests). */
    int bufferBytes() {
        return in.capacity();
    }

    void close() {
        key.cancel();
        Frames.closeQuietly(channel);
    }
}
