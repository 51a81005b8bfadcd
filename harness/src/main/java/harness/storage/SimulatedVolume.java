package harness.storage;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A disk in memory that forgets like a real one. Each file has the content its server sees and,
 * separately, what would survive a crash: the content as of the file's last sync. Names work the
 * same way: a file created or renamed since the directory's last sync is gone after a crash.
 *
 * <p>A crash between inputs loses every unsynced write. The harness can also cut the power in the
 * middle of a sync ({@link #failNextSync}): then a random part of the bytes being synced reaches
 * the disk, usually ending inside a record (a torn write), and the server goes down at once.
 */
public final class SimulatedVolume implements Volume {

    private final String label;
    private final Counters counters = new Counters();
    private Map<String, SimFile> names = new HashMap<>();
    private Map<String, SimFile> durableNames = new HashMap<>();
    private RandomGenerator failNextSync;

    /** @param label how messages name this disk, such as "node2's disk" */
    public SimulatedVolume(String label) {
        this.label = label;
    }

    @Override
    public byte[] read(String name) {
        SimFile f = names.get(name);
        return f == null ? null : Arrays.copyOf(f.data, f.size);
    }

    @Override
    public void append(String name, byte[] bytes) {
        file(name).append(bytes);
        counters.wrote(bytes.length);
    }

    @Override
    public void truncate(String name, long size) {
        file(name).truncate((int) size);
    }

    @Override
    public void sync(String name) {
        SimFile f = names.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no file " + describe(name) + " to sync");
        }
        counters.syncedFile();
        if (failNextSync != null) {
            int unsynced = f.unsyncedBytes();
            int written = f.tear(failNextSync);
            failNextSync = null;
            throw new PowerFailure("power failed while syncing " + describe(name) + ": " + written + " of its "
                    + unsynced + " unsynced bytes reached the disk");
        }
        f.sync();
    }

    @Override
    public void rename(String from, String to) {
        SimFile f = names.remove(from);
        if (f == null) {
            throw new IllegalArgumentException("no file " + describe(from) + " to rename");
        }
        names.put(to, f);
    }

    @Override
    public void syncDirectory() {
        counters.syncedDirectory();
        if (failNextSync != null) {
            failNextSync = null;
            throw new PowerFailure("power failed while syncing the directory of " + label + ": its new names are lost");
        }
        durableNames = new HashMap<>(names);
    }

    @Override
    public String describe(String name) {
        return label + ": " + name;
    }

    @Override
    public Counters counters() {
        return counters;
    }

    /** The next file or directory sync fails half way: {@code random} decides how much reached the disk. */
    public void failNextSync(RandomGenerator random) {
        this.failNextSync = random;
    }

    /** The machine stops: every file goes back to what its last sync made durable, and so do the names. */
    public void crash() {
        failNextSync = null;
        names = new HashMap<>(durableNames);
        names.values().forEach(SimFile::revertToDurable);
    }

    /** A new disk holding exactly what would survive a crash of this one now. */
    public SimulatedVolume durableCopy() {
        SimulatedVolume copy = new SimulatedVolume(label);
        Map<SimFile, SimFile> copies = new HashMap<>();
        durableNames.forEach((name, f) -> copy.names.put(name, copies.computeIfAbsent(f, SimFile::durableOnly)));
        copy.durableNames = new HashMap<>(copy.names);
        return copy;
    }

    private SimFile file(String name) {
        return names.computeIfAbsent(name, n -> new SimFile());
    }

    /**
     * One file: {@code data[0, size)} is what the server sees. Durable is {@code data[0, cut)}
     * followed by {@code durableRest}: the bytes a truncation since the last sync removed from
     * the view but not yet from the disk.
     */
    private static final class SimFile {
        private static final byte[] NONE = new byte[0];
        private byte[] data = new byte[256];
        private int size;
        private int cut;
        private byte[] durableRest = NONE;

        void append(byte[] bytes) {
            if (size + bytes.length > data.length) {
                data = Arrays.copyOf(data, Math.max(size + bytes.length, data.length * 2));
            }
            System.arraycopy(bytes, 0, data, size, bytes.length);
            size += bytes.length;
        }

        void truncate(int newSize) {
            if (newSize > size) {
                throw new IllegalArgumentException("cannot truncate a file of " + size + " bytes to " + newSize);
            }
            if (newSize < cut) {
                byte[] rest = new byte[cut - newSize + durableRest.length];
                System.arraycopy(data, newSize, rest, 0, cut - newSize);
                System.arraycopy(durableRest, 0, rest, cut - newSize, durableRest.length);
                durableRest = rest;
                cut = newSize;
            }
            size = newSize;
        }

        int unsyncedBytes() {
            return size - cut;
        }

        void sync() {
            cut = size;
            durableRest = NONE;
        }

        /** A sync cut short: the truncations reached the disk, and a random prefix of the new bytes. */
        int tear(RandomGenerator random) {
            int written = unsyncedBytes() == 0 ? 0 : random.nextInt(unsyncedBytes());
            cut += written;
            durableRest = NONE;
            return written; // the server still sees all it wrote, until the crash reverts it
        }

        void revertToDurable() {
            size = cut;
            append(durableRest);
            sync();
        }

        SimFile durableOnly() {
            SimFile copy = new SimFile();
            copy.append(Arrays.copyOf(data, cut));
            copy.append(durableRest);
            copy.sync();
            return copy;
        }
    }
}
