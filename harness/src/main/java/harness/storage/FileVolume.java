package harness.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A directory on a real disk. Files stay open for appending; a sync is {@code fsync} through
 * {@link FileChannel#force}; a rename is atomic, and syncing the directory makes names durable.
 * Not thread-safe: one server's thread uses it.
 */
public final class FileVolume implements Volume, AutoCloseable {

    private final Path directory;
    private final Counters counters = new Counters();
    private final Map<String, FileChannel> open = new HashMap<>();

    public FileVolume(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the storage directory " + directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public byte[] read(String name) {
        try {
            return Files.readAllBytes(directory.resolve(name));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failed("read", name, e);
        }
    }

    @Override
    public void append(String name, byte[] bytes) {
        try {
            FileChannel channel = channel(name);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long position = channel.size();
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            counters.wrote(bytes.length);
        } catch (IOException e) {
            throw failed("append to", name, e);
        }
    }

    @Override
    public void truncate(String name, long size) {
        try {
            channel(name).truncate(size);
        } catch (IOException e) {
            throw failed("truncate", name, e);
        }
    }

    /**
     * fdatasync: the data and the metadata needed to read it back, which includes the file's size
     * after an append or a truncation (Linux fdatasync(2)). The modification time is not needed.
     */
    @Override
    public void sync(String name) {
        try {
            channel(name).force(false);
            counters.syncedFile();
        } catch (IOException e) {
            throw failed("sync", name, e);
        }
    }

    @Override
    public void rename(String from, String to) {
        closeChannel(from);
        closeChannel(to);
        try {
            Files.move(directory.resolve(from), directory.resolve(to), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw failed("rename " + from + " to " + to + " in", "", e);
        }
    }

    @Override
    public void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
            counters.syncedDirectory();
        } catch (IOException e) {
            throw failed("sync the directory", "", e);
        }
    }

    @Override
    public String describe(String name) {
        return directory.resolve(name).toString();
    }

    @Override
    public Counters counters() {
        return counters;
    }

    @Override
    public void close() {
        for (String name : Map.copyOf(open).keySet()) {
            closeChannel(name);
        }
    }

    private FileChannel channel(String name) throws IOException {
        FileChannel channel = open.get(name);
        if (channel == null) {
            channel = FileChannel.open(directory.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            open.put(name, channel);
        }
        return channel;
    }

    private void closeChannel(String name) {
        FileChannel channel = open.remove(name);
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw failed("close", name, e);
            }
        }
    }

    private UncheckedIOException failed(String what, String name, IOException e) {
        return new UncheckedIOException("cannot " + what + " " + describe(name) + ": " + e, e);
    }
}
