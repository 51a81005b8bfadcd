package harness.storage;

import harness.api.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

import static harness.storage.Logs.fileSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FileVolume} writing {@link LogStore}'s log into space made ahead of it
 * ({@link PreallocatedFile}): after a crash the file holds zeros after the log, which recovery
 * cuts off; nothing cut off by a truncation ever comes back; and whichever way the log is
 * written, the same bytes hold the same log. A crash here is a process that dies: its volume is
 * dropped without being closed, and what it wrote stays in the file, synced or not.
 */
class PreallocatedLogTest {

    private final List<FileVolume> volumes = new ArrayList<>();

    @AfterEach
    void closeVolumes() {
        volumes.forEach(FileVolume::close);
    }

    private LogStore open(Path dir, FileVolume.LogFiles mode) {
        return open(dir, mode, PreallocatedFile.CHUNK);
    }

    private LogStore open(Path dir, FileVolume.LogFiles mode, int chunk) {
        FileVolume volume = new FileVolume(dir, mode, chunk);
        volumes.add(volume);
        return LogStore.open(volume);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final int CHUNK = 16 << 10;

    private static long fileLength(Path dir) {
        return dir.resolve("log").toFile().length();
    }

    private static boolean allZero(byte[] data, long from) {
        for (int i = (int) from; i < data.length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A command of {@code length} bytes, different for each seed. */
    private static String command(SplittableRandom random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    /** Runs {@code check} for each way of writing the log, each in its own directory under {@code tmp}. */
    private static void eachWay(Path tmp, BiConsumer<FileVolume.LogFiles, Path> check) {
        for (FileVolume.LogFiles mode : FileVolume.LogFiles.values()) {
            check.accept(mode, tmp.resolve(mode.name()));
        }
    }

    /** A store on {@code dir} holding {@code log}, synced. */
    private LogStore holding(Path dir, FileVolume.LogFiles mode, List<Entry> log) {
        LogStore store = open(dir, mode);
        log.forEach(store::append);
        store.sync();
        return store;
    }

    @Test
    void aCrashLeavesZerosAfterTheLogWhichRecoveryCutsOff(@TempDir Path tmp) {
        eachWay(tmp, this::aCrashLeavesZerosAfterTheLogWhichRecoveryCutsOff);
    }

    private void aCrashLeavesZerosAfterTheLogWhichRecoveryCutsOff(FileVolume.LogFiles mode, Path dir) {
        List<Entry> log = Logs.entries(20);
        holding(dir, mode, log);
        long end = fileSize(log);
        byte[] file = read(dir.resolve("log"));
        if (mode == FileVolume.LogFiles.GROWN) {
            assertEquals(end, file.length, "a grown log is exactly its records");
        } else {
            assertTrue(file.length >= PreallocatedFile.CHUNK, "the file was made a chunk longer: " + file.length);
            assertTrue(allZero(file, end), "only zeros after the log");
        }

        LogStore recovered = open(dir, mode); // the first volume is dropped, as by kill -9
        assertEquals(log, recovered.load().log());
        assertEquals(end, dir.resolve("log").toFile().length(), "recovery cut the file at the end of the last record");
        if (mode == FileVolume.LogFiles.GROWN) {
            assertFalse(recovered.recoveryReport().contains("; "), "nothing to cut: " + recovered.recoveryReport());
        } else {
            assertTrue(recovered.recoveryReport().contains("; cut off the zeros after the last record (space made ahead of the"
                    + " log, or a file made longer before a crash wrote into it): " + (file.length - end) + " bytes at offset " + end),
                    recovered.recoveryReport());
        }
        recovered.append(new Entry(9, "after the crash"));
        recovered.sync();
        List<Entry> longer = new ArrayList<>(log);
        longer.add(new Entry(9, "after the crash"));
        assertEquals(longer, open(dir, mode).load().log(), "the log goes on after the cut");
    }

    @Test
    void closingCutsTheZerosOff(@TempDir Path tmp) {
        eachWay(tmp, this::closingCutsTheZerosOff);
    }

    private void closingCutsTheZerosOff(FileVolume.LogFiles mode, Path dir) {
        List<Entry> log = Logs.entries(7);
        ((FileVolume) holding(dir, mode, log).volume()).close();
        assertEquals(fileSize(log), dir.resolve("log").toFile().length());
        LogStore reopened = open(dir, mode);
        assertEquals(log, reopened.load().log());
        assertFalse(reopened.recoveryReport().contains("; "), "nothing to cut: " + reopened.recoveryReport());
    }

    /**
     * Random appends (1 byte to 40 KiB), truncations,
     * syncs and crashes, with the file made longer 16 KiB at a time, so that appends use up the
     * space made ahead of them again and again: after each crash the log is
     * what was synced, less what was cut since, as a model predicts; and every way of writing it
     * leaves the same bytes before the zeros.
     */
    @Test
    void randomAppendsTruncationsAndCrashesRecoverWhatWasSyncedWhateverTheWayOfWriting(@TempDir Path tmp) {
        byte[] grownFile = null;
        for (FileVolume.LogFiles mode : FileVolume.LogFiles.values()) {
            Path dir = tmp.resolve(mode.name());
            SplittableRandom random = new SplittableRandom(20261207);
            LogStore store = open(dir, mode, CHUNK);
            List<Entry> written = new ArrayList<>(); // the store's log, synced or not
            List<Entry> inFile = new ArrayList<>(); // what the file holds: the last sync, less truncations since
            int crashes = 0, truncations = 0, chunksUsedUp = 0;
            long longest = 0;
            for (int step = 0; step < 1500; step++) {
                String why = mode + ", step " + step;
                int op = random.nextInt(100);
                if (op < 60) {
                    int length = random.nextInt(8) == 0 ? random.nextInt(40 << 10) : 1 + random.nextInt(300);
                    Entry e = new Entry(1 + random.nextInt(5), command(random, length));
                    store.append(e);
                    written.add(e);
                } else if (op < 64 && !written.isEmpty()) {
                    int from = Math.max(1, written.size() + 1 - random.nextInt(8));
                    store.truncateFrom(from);
                    truncations++;
                    written.subList(from - 1, written.size()).clear();
                    if (from <= inFile.size()) {
                        inFile.subList(from - 1, inFile.size()).clear();
                    }
                } else if (op < 97) {
                    long length = fileLength(dir);
                    boolean hadSpace = length > fileSize(inFile);
                    store.sync();
                    inFile = new ArrayList<>(written);
                    chunksUsedUp += hadSpace && fileLength(dir) > length ? 1 : 0;
                } else {
                    store = open(dir, mode, CHUNK);
                    crashes++;
                    assertEquals(inFile, store.load().log(), why + ": the log after a crash");
                    written = new ArrayList<>(inFile);
                }
                longest = Math.max(longest, fileSize(written));
                assertEquals(written, store.entries(), why);
            }
            store.sync();
            ((FileVolume) store.volume()).close();
            byte[] file = read(dir.resolve("log"));
            assertEquals(fileSize(written), file.length, mode + ": closed, the file is the log");
            if (grownFile == null) {
                grownFile = file;
            } else {
                assertArrayEquals(grownFile, file, mode + " wrote the same bytes as " + FileVolume.LogFiles.GROWN);
            }
            assertTrue(crashes > 30 && truncations > 30 && (mode == FileVolume.LogFiles.GROWN || chunksUsedUp > 20),
                    mode + ": the run exercised enough: " + crashes + " crashes, " + truncations + " truncations, "
                            + chunksUsedUp + " syncs that used up the space made ahead, " + longest + " bytes of log at most");
        }
    }

    @Test
    void aTruncatedRecordNeverComesBackAfterACrash(@TempDir Path dir) {
        List<Entry> log = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            log.add(new Entry(1, "entry " + i + " " + "x".repeat(i * 37)));
        }
        LogStore store = holding(dir, FileVolume.LogFiles.PREALLOCATED, log);
        store.truncateFrom(23); // the file must be cut, not only its end moved: recovery would read what follows
        store.append(new Entry(2, "shorter"));
        store.sync();
        List<Entry> expected = new ArrayList<>(log.subList(0, 22));
        expected.add(new Entry(2, "shorter"));

        LogStore recovered = open(dir, FileVolume.LogFiles.PREALLOCATED); // a crash
        assertEquals(expected, recovered.load().log());
        byte[] file = read(dir.resolve("log"));
        assertTrue(allZero(file, fileSize(expected)), "zeros only after the new last record");
    }
}
