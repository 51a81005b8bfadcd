package harness.storage;

/**
 * The few file operations a write-ahead log needs, on one directory: {@link FileVolume} on a
 * real disk, {@link SimulatedVolume} in the simulator. Writes reach the disk only when the file
 * is synced, and a new name (a created or renamed file) only when the directory is synced, as on
 * a POSIX file system; {@link LogStore} is written against exactly these rules.
 */
public interface Volume {

    /** The whole content of file {@code name}, or null if there is no such file. */
    byte[] read(String name);

    /** Appends {@code bytes} at the end of file {@code name}, creating it empty first if needed. */
    void append(String name, byte[] bytes);

    /** Cuts file {@code name} to its first {@code size} bytes, creating it empty if needed. */
    void truncate(String name, long size);

    /**
     * Says that file {@code name} is a log: from now on it changes only by appends and truncations,
     * here. A volume on a real disk may then make the file longer ahead of the appends, with zeros
     * (as etcd preallocates its WAL): a reader of the file may find zeros after the last byte
     * appended. By default, nothing changes.
     */
    default void preallocate(String name) {
    }

    /** Makes the content of file {@code name} durable (fsync). */
    void sync(String name);

    /** Gives file {@code from} the name {@code to}, atomically replacing any file called {@code to}. */
    void rename(String from, String to);

    /** Makes the directory's names durable: files created and renamed since the last sync. */
    void syncDirectory();

    /** How error messages name file {@code name}: its path, or the simulated disk it is on. */
    String describe(String name);

    /** Bytes written and syncs done since the volume was made. */
    Counters counters();

    /** Running totals of what a volume did: bytes written, file syncs, directory syncs. */
    final class Counters {
        private long bytesWritten;
        private long fileSyncs;
        private long directorySyncs;

        void wrote(long bytes) {
            bytesWritten += bytes;
        }

        void syncedFile() {
            fileSyncs++;
        }

        void syncedDirectory() {
            directorySyncs++;
        }

        public long bytesWritten() {
            return bytesWritten;
        }

        /** fsyncs of files, the expensive part of a write-ahead log. */
        public long fileSyncs() {
            return fileSyncs;
        }

        public long directorySyncs() {
            return directorySyncs;
        }

        @Override
        public String toString() {
            return bytesWritten + " bytes written, " + fileSyncs + " file syncs, " + directorySyncs + " directory syncs";
        }
    }
}
