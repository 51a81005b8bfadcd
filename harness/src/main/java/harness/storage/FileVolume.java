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
 * A file it is told is a log ({@link #preallocate}) is written into space made ahead of it
 * ({@link PreallocatedFile}). Not thread-safe: one server's thread uses it.
 */
public final class FileVolume implements Volume, AutoCloseable {

    /** How a volume writes the files it is told are logs; {@code ./course bench 4 --only storage} compares them. */
    public enum LogFiles {
        /** Made longer by each append, as every other file is written. */
        GROWN,
        /** Written over zeros made ahead of the appends: the default. */
        PREALLOCATED
    }

    private final Path directory;
    private final LogFiles logFiles;
    private final int chunk;
    private final Counters counters = new Counters();
    private final Map<String, FileChannel> open = new HashMap<>();
    private final Map<String, PreallocatedFile> logs = new HashMap<>();

    /** A volume on {@code directory}, created if needed, that writes logs over zeros made ahead of them. */
    public FileVolume(Path directory) {
        this(directory, LogFiles.PREALLOCATED);
    }

    public FileVolume(Path directory, LogFiles logFiles) {
        this(directory, logFiles, PreallocatedFile.CHUNK);
    }

    /** With logs made longer {@code chunk} bytes at a time: tests make it small, to cross many chunks. */
    FileVolume(Path directory, LogFiles logFiles, int chunk) {
        this.directory = directory;
        this.logFiles = logFiles;
        this.chunk = chunk;
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
    public void preallocate(String name) {
        if (logFiles == LogFiles.GROWN || logs.containsKey(name)) {
            return;
        }
        closeChannel(name);
        try {
            logs.put(name, new PreallocatedFile(directory.resolve(name), chunk));
        } catch (IOException e) {
            throw failed("open", name, e);
        }
    }

    @Override
    public void append(String name, byte[] bytes) {
        try {
            PreallocatedFile log = logs.get(name);
            if (log != null) {
                log.append(bytes);
                counters.wrote(bytes.length); // the log's bytes: the zeros made ahead, and their sync, are not the format's cost
                return;
            }
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
            PreallocatedFile log = logs.get(name);
            if (log != null) {
                log.truncate(size);
                return;
            }
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
            PreallocatedFile log = logs.get(name);
            if (log != null) {
                log.sync();
            } else {
                channel(name).force(false);
            }
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

    /** Closes every file; a log's zeros made ahead of it are cut off. */
    @Override
    public void close() {
        for (String name : Map.copyOf(open).keySet()) {
            closeChannel(name);
        }
        for (String name : Map.copyOf(logs).keySet()) {
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
        try (FileChannel channel = open.remove(name); PreallocatedFile log = logs.remove(name)) {
            // closed, the log first
        } catch (IOException e) {
            throw failed("close", name, e);
        }
    }

    private UncheckedIOException failed(String what, String name, IOException e) {
        return new UncheckedIOException("cannot " + what + " " + describe(name) + ": " + e, e);
    }
}
