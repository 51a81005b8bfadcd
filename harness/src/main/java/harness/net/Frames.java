package harness.net;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The real cluster's framing: every message on a TCP connection is a 4-byte big-endian length,
 * then that many bytes of UTF-8 JSON. A frame over {@link #MAX_BYTES} is refused before anything
 * of it is read, so a garbage length cannot make a process allocate gigabytes.
 */
public final class Frames {

    /** The largest frame either side accepts: 64 entries of a few kilobytes each fit with room to spare. */
    public static final int MAX_BYTES = 1 << 20;

    private Frames() {
    }

    /** A frame that cannot be read: the connection carrying it is closed, and nothing else is affected. */
    public static final class BadFrame extends IOException {
        public BadFrame(String message) {
            super(message);
        }
    }

    /** Closes a socket (or anything closeable, null included) that is being given up on anyway. */
    static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // it is being given up on
            }
        }
    }

    /** Writes one frame; the caller flushes. */
    public static void write(OutputStream out, byte[] body) throws IOException {
        if (body.length > MAX_BYTES) {
            throw new BadFrame("a frame of " + body.length + " bytes is over the " + MAX_BYTES + "-byte limit");
        }
        out.write(new byte[] {(byte) (body.length >>> 24), (byte) (body.length >>> 16), (byte) (body.length >>> 8), (byte) body.length});
        out.write(body);
    }

    /** Reads one frame, or returns null at a clean end of the stream (between frames). */
    public static byte[] read(DataInputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int length;
        try {
            length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedShort());
        } catch (EOFException e) {
            throw endedInside(-1);
        }
        if (length < 0 || length > MAX_BYTES) {
            throw overLimit(length);
        }
        byte[] body = new byte[length];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            throw endedInside(length);
        }
        return body;
    }

    static BadFrame overLimit(int length) {
        return new BadFrame("a frame announced " + Integer.toUnsignedString(length) + " bytes, over the " + MAX_BYTES
                + "-byte limit (is the peer speaking this protocol? a frame is a 4-byte big-endian length, then JSON)");
    }

    /** The stream ended inside a frame that announced {@code length} bytes, or inside its length (-1). */
    static BadFrame endedInside(int length) {
        return new BadFrame(length < 0 ? "the connection ended inside a frame's 4-byte length"
                : "the connection ended inside a frame: " + length + " bytes announced, fewer sent");
    }
}
