package harness.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How {@link FileVolume} writes a log ({@link Volume#preallocate}): into space made ahead of it.
 *
 * <p>The file is made longer a chunk at a time by writing zeros and syncing them once. Each
 * append then writes over zeros inside the file, so its fdatasync has the data to write and no new
 * file size to record; on ext4 a new size is a journal commit, and one journal serves every file
 * on the disk, the three nodes of a local cluster included. etcd preallocates its WAL segments for
 * the same reason. Between the end of the log and the end of the file there are only zeros:
 * {@link #close} cuts them off, and after a crash {@link LogStore}'s recovery does. Not
 * thread-safe.
 */
final class PreallocatedFile implements AutoCloseable {

    /** How much longer the file is made at a time, by default: 4 MiB, about 14,000 of the cluster benchmark's puts. */
    static final int CHUNK = 4 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final FileChannel channel;
    private final int chunk;
    private long end; // where the next append goes
    private long allocated; // the file's length: zeros from end to here

    /** Opens {@code file}, whose whole length is the log, to be made longer {@code chunk} bytes at a time. */
    PreallocatedFile(Path file, int chunk) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.chunk = chunk;
        this.end = this.allocated = channel.size();
    }

    /** Writes {@code bytes} at the end of the log, over zeros made ahead of it. */
    void append(byte[] bytes) throws IOException {
        reserve(end + bytes.length);
        end += writeFully(ByteBuffer.wrap(bytes), end);
    }

    /** Cuts the log, and the file, at {@code size}: no record after it may come back, so no zeros are kept either. */
    void truncate(long size) throws IOException {
        channel.truncate(size);
        end = allocated = Math.min(size, channel.size());
    }

    /** fdatasync: with the file's size unchanged since the zeros were synced, only the data. */
    void sync() throws IOException {
        channel.force(false);
    }

    /** Cuts the zeros after the log off and closes the file. */
    @Override
    public void close() throws IOException {
        try {
            channel.truncate(end);
        } finally {
            channel.close();
        }
    }

    /** Makes the file at least {@code needed} bytes long, a chunk at a time, with zeros made durable. */
    private void reserve(long needed) throws IOException {
        if (needed <= allocated) {
            return;
        }
        long target = Math.max(needed, allocated + chunk);
        while (allocated < target) {
            allocated += writeFully(ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), target - allocated)), allocated);
        }
        channel.force(false);
    }

    private int writeFully(ByteBuffer b, long at) throws IOException {
        int total = b.remaining();
        long position = at;
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
        return total;
    }
}
