package harness.storage;

import harness.api.Entry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static harness.storage.Logs.HEADER;
import static harness.storage.Logs.entries;
import static harness.storage.Logs.entry;
import static harness.storage.Logs.fileSize;
import static harness.storage.Logs.offsets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LogStore} on a real directory ({@link FileVolume}): what recovery keeps, cuts and refuses
 * when the files are torn or damaged, and what each operation writes. Damage is made by editing
 * the files between two openings of the store, as a crash or a bad disk would leave them.
 */
class LogStoreFileTest {

    private final List<FileVolume> volumes = new ArrayList<>();

    @AfterEach
    void closeVolumes() {
        volumes.forEach(FileVolume::close);
    }

    private LogStore open(Path dir) {
        FileVolume volume = new FileVolume(dir);
        volumes.add(volume);
        return LogStore.open(volume);
    }

    /** Closes the store's files (its unsynced writes are dropped with it) and opens the directory again. */
    private LogStore reopen(LogStore store, Path dir) {
        ((FileVolume) store.volume()).close();
        return open(dir);
    }

    /** A directory whose log holds exactly {@code log}, synced, and the log file's bytes. */
    private byte[] writeLog(Path dir, List<Entry> log) {
        LogStore store = open(dir);
        log.forEach(store::append);
        store.sync();
        ((FileVolume) store.volume()).close();
        return read(dir.resolve("log"));
    }

    private static Path withLog(Path dir, byte[] content) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("log"), content);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The log file's first {@code end} bytes, after checking that only zeros follow them: the space
     * the volume made ahead of the log ({@link Volume#preallocate}).
     */
    private static byte[] logUpTo(Path dir, long end, String why) {
        byte[] file = read(dir.resolve("log"));
        assertTrue(file.length >= end, why + ": the log file holds " + file.length + " bytes, fewer than " + end);
        assertTrue(allZero(file, (int) end, file.length), why + ": only zeros follow the last record, at " + end);
        return Arrays.copyOf(file, (int) end);
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean allZero(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Opening {@code dir} fails naming {@code file} at {@code offset} (if not null), and leaves every file as it was. */
    private CorruptStorageException assertRefused(Path dir, String file, Long offset, String why) {
        List<String> namesBefore = names(dir);
        byte[] logBefore = read(dir.resolve("log"));
        byte[] stateBefore = Files.exists(dir.resolve("state")) ? read(dir.resolve("state")) : null;
        CorruptStorageException e = assertThrows(CorruptStorageException.class, () -> open(dir), why);
        String message = e.getMessage();
        assertTrue(message.contains(dir.resolve(file).toString()), why + ": the message names the file: " + message);
        if (offset != null) {
            assertTrue(message.contains("byte offset " + offset + ":"), why + ": the message names offset " + offset + ": " + message);
        }
        assertEquals(namesBefore, names(dir), why + ": no file was created or removed");
        assertArrayEquals(logBefore, read(dir.resolve("log")), why + ": the log is byte-for-byte unchanged");
        if (stateBefore != null) {
            assertArrayEquals(stateBefore, read(dir.resolve("state")), why + ": the state file is unchanged");
        }
        return e;
    }

    // ---- Torn and zero-filled tails -----------------------------------------------------------

    @Test
    void aLogTornAtAnyByteOfItsLastRecordKeepsTheRestCutsTheFileAndGoesOn(@TempDir Path tmp) {
        List<Entry> log = new ArrayList<>(entries(4));
        log.add(new Entry(9, "set key-000042 to value-0042 é中")); // a last record with multi-byte characters
        byte[] whole = writeLog(tmp.resolve("whole"), log);
        long last = offsets(log)[4];
        List<Entry> kept = log.subList(0, 4);
        Entry after = new Entry(10, "appended after recovery");

        for (int cut = (int) last + 1; cut < whole.length; cut++) {
            String why = "log cut to " + cut + " of " + whole.length + " bytes";
            Path dir = withLog(tmp.resolve("cut" + cut), Arrays.copyOf(whole, cut));

            LogStore store = open(dir);
            assertEquals(kept, store.load().log(), why + ": every whole record is kept");
            assertEquals(last, dir.resolve("log").toFile().length(), why + ": the file is cut where the torn record began");
            String report = store.recoveryReport();
            assertTrue(report.contains("4 entries; discarded a torn record at the end of the log"), why + ": " + report);
            assertTrue(report.endsWith((cut - last) + " bytes at offset " + last), why + ": " + report);

            store.append(after);
            store.sync();
            LogStore again = reopen(store, dir);
            List<Entry> expected = new ArrayList<>(kept);
            expected.add(after);
            assertEquals(expected, again.load().log(), why + ": the entry appended after recovery survives a reopening");
            assertFalse(again.recoveryReport().contains("discarded"), why + ": " + again.recoveryReport());
            assertEquals(fileSize(expected), dir.resolve("log").toFile().length(), why);
        }
    }

    @Test
    void aLastRecordFailingItsChecksumIsATornWrite(@TempDir Path tmp) {
        List<Entry> log = entries(5);
        byte[] whole = writeLog(tmp.resolve("whole"), log);
        long last = offsets(log)[4];
        for (int at = (int) last + 4; at < whole.length; at++) { // every byte after the length field
            byte[] damaged = whole.clone();
            damaged[at] ^= 0x20;
            Path dir = withLog(tmp.resolve("at" + at), damaged);
            LogStore store = open(dir);
            assertEquals(log.subList(0, 4), store.load().log(), "byte " + at + " changed");
            assertTrue(store.recoveryReport().contains("(its CRC32C check fails)"), store.recoveryReport());
            assertEquals(last, dir.resolve("log").toFile().length());
        }
    }

    @Test
    void zerosAtTheEndOfTheLogAreDiscarded(@TempDir Path tmp) {
        List<Entry> log = entries(6);
        byte[] whole = writeLog(tmp.resolve("whole"), log);
        for (int zeros : new int[] {1, 3, 4, 5, 24, 4096}) {
            Path dir = withLog(tmp.resolve("zeros" + zeros), concat(whole, new byte[zeros]));
            LogStore store = open(dir);
            assertEquals(log, store.load().log(), zeros + " zero bytes after the last record");
            assertEquals(whole.length, dir.resolve("log").toFile().length(), "the zeros are cut off");
            assertTrue(store.recoveryReport().contains(zeros + " bytes at offset " + whole.length), store.recoveryReport());
        }
    }

    /**
     * A file system may make a file longer before the data written into it is durable, so the tail
     * of the last write reads back as zeros, possibly up to a block boundary past the record's end.
     */
    @Test
    void aLastRecordWhoseEndReadsAsZerosIsATornWrite(@TempDir Path tmp) {
        List<Entry> log = entries(6);
        byte[] whole = writeLog(tmp.resolve("whole"), log);
        long last = offsets(log)[5];
        int n = 0;
        for (int from = (int) last + 4; from < whole.length; from++) {
            if (allZero(whole, from, whole.length)) {
                continue; // nothing would change
            }
            for (int padding : new int[] {0, 7, 4096}) {
                byte[] damaged = Arrays.copyOf(whole, whole.length + padding); // zeros beyond the end too
                Arrays.fill(damaged, from, whole.length, (byte) 0);
                Path dir = withLog(tmp.resolve("zeros" + n++), damaged);
                String why = "zeros from byte " + from + " of the last record's " + last + ".." + whole.length + ", then " + padding + " more";
                LogStore store = open(dir);
                assertEquals(log.subList(0, 5), store.load().log(), why);
                assertEquals(last, dir.resolve("log").toFile().length(), why);
            }
        }
    }

    @Test
    void aLogCutInsideItsHeaderHeldNothingAndStartsAgain(@TempDir Path tmp) {
        byte[] header = "RAFTLOG1".getBytes(StandardCharsets.US_ASCII);
        for (int cut = 0; cut < HEADER; cut++) {
            Path dir = withLog(tmp.resolve("cut" + cut), Arrays.copyOf(header, cut));
            LogStore store = open(dir);
            assertEquals(List.of(), store.load().log());
            assertArrayEquals(header, read(dir.resolve("log")), "the header is written whole");
            store.append(entry(1));
            store.sync();
            assertEquals(List.of(entry(1)), reopen(store, dir).load().log());
        }
    }

    // ---- Damage a crash cannot explain --------------------------------------------------------

    @Test
    void aDamagedByteInAMiddleRecordIsRefusedWithTheFileAndOffset(@TempDir Path tmp) {
        List<Entry> log = entries(6);
        byte[] whole = writeLog(tmp.resolve("whole"), log);
        long[] offsets = offsets(log);
        for (int record : new int[] {0, 2, 4}) { // the first, a middle one, the one before the last
            long start = offsets[record];
            for (int at = (int) start + 4; at < offsets[record + 1]; at++) { // index, term, command, checksum
                for (int flip : new int[] {0x01, 0x80}) {
                    byte[] damaged = whole.clone();
                    damaged[at] ^= (byte) flip;
                    Path dir = withLog(tmp.resolve("r" + record + "-at" + at + "-" + flip), damaged);
                    String why = "record " + (record + 1) + ", byte " + at + " xor " + flip;
                    CorruptStorageException e = assertRefused(dir, "log", start, why);
                    assertTrue(e.getMessage().contains("CRC32C"), why + ": " + e.getMessage());
                }
            }
        }
    }

    @Test
    void aDamagedLengthFieldInAMiddleRecordIsRefused(@TempDir Path tmp) {
        List<Entry> log = entries(6);
        byte[] whole = writeLog(tmp.resolve("whole"), log);
        long[] offsets = offsets(log);
        int record = 2;
        int start = (int) offsets[record];
        int length = ByteBuffer.wrap(whole).getInt(start);
        int toTheEnd = whole.length - start - 8; // a length whose checksum would be the file's last 4 bytes
        List<Integer> lengths = new ArrayList<>(List.of(0, 15, 16, length - 1, length + 1, toTheEnd, toTheEnd + 1,
                toTheEnd + 1000, 1 << 20, 16 << 20, (16 << 20) + 1, Integer.MAX_VALUE, -1, Integer.MIN_VALUE));
        for (int bit = 0; bit < 32; bit++) {
            lengths.add(length ^ (1 << bit));
        }
        for (int bad : lengths) {
            byte[] damaged = whole.clone();
            ByteBuffer.wrap(damaged).putInt(start, bad);
            Path dir = withLog(tmp.resolve("length" + Integer.toUnsignedString(bad)), damaged);
            assertRefused(dir, "log", (long) start, "record 3 of 6 claims a length of " + bad + " instead of " + length);
        }
    }

    @Test
    void aWholeRecordInTheWrongPlaceIsRefused(@TempDir Path tmp) {
        byte[] header = "RAFTLOG1".getBytes(StandardCharsets.US_ASCII);
        byte[] first = LogStore.encode(1, entry(1));
        byte[] skipped = LogStore.encode(3, entry(3)); // well formed, but for index 3 where 2 belongs
        Path dir = withLog(tmp.resolve("gap"), concat(concat(header, first), concat(skipped, LogStore.encode(4, entry(4)))));
        CorruptStorageException e = assertRefused(dir, "log", (long) HEADER + first.length, "a record for index 3 at index 2");
        assertTrue(e.getMessage().contains("index 3 where index 2 belongs"), e.getMessage());
    }

    @Test
    void aLogWithTheWrongHeaderIsRefused(@TempDir Path tmp) {
        byte[] whole = writeLog(tmp.resolve("whole"), entries(3));
        for (String header : new String[] {"RAFTLOG2", "raftlog1", "\0\0\0\0\0\0\0\0", "{\"log\":["}) {
            byte[] damaged = whole.clone();
            System.arraycopy(header.getBytes(StandardCharsets.ISO_8859_1), 0, damaged, 0, HEADER);
            Path dir = withLog(tmp.resolve("h" + Integer.toHexString(header.hashCode())), damaged);
            CorruptStorageException e = assertRefused(dir, "log", null, "header " + header);
            assertTrue(e.getMessage().contains("RAFTLOG1"), e.getMessage());
        }
        Path shortForeign = withLog(tmp.resolve("short"), "XY".getBytes(StandardCharsets.US_ASCII));
        assertRefused(shortForeign, "log", null, "two bytes that are not the start of the header");
    }

    @Test
    void aDamagedStateFileIsRefused(@TempDir Path tmp) {
        Path good = tmp.resolve("good");
        LogStore store = open(good);
        store.saveTermAndVote(5, 2);
        store.append(entry(1));
        store.sync();
        ((FileVolume) store.volume()).close();
        byte[] state = read(good.resolve("state"));
        byte[] log = read(good.resolve("log"));
        assertEquals(24, state.length, "header, term, vote, checksum");

        List<byte[]> damaged = new ArrayList<>();
        for (int at = 0; at < state.length; at++) {
            byte[] d = state.clone();
            d[at] ^= 0x04;
            damaged.add(d);
        }
        damaged.add(new byte[0]);
        damaged.add(Arrays.copyOf(state, 12));
        damaged.add(Arrays.copyOf(state, 23));
        damaged.add(Arrays.copyOf(state, 25));
        damaged.add(new byte[24]);
        for (int i = 0; i < damaged.size(); i++) {
            Path dir = withLog(tmp.resolve("d" + i), log);
            try {
                Files.write(dir.resolve("state"), damaged.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            CorruptStorageException e = assertRefused(dir, "state", null, "damaged state #" + i);
            assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
        }
    }

    @Test
    void aLeftoverStateTmpIsIgnoredAndReplaced(@TempDir Path dir) throws IOException {
        LogStore store = open(dir);
        store.saveTermAndVote(5, 2);
        store.sync();
        ((FileVolume) store.volume()).close();

        // A crash after state.tmp was written but before the rename: garbage, or a whole newer state.
        Files.write(dir.resolve("state.tmp"), "half a st".getBytes(StandardCharsets.US_ASCII));
        LogStore reopened = open(dir);
        assertEquals(5, reopened.load().term());
        assertEquals(2, reopened.load().votedFor());
        ((FileVolume) reopened.volume()).close();

        Files.copy(dir.resolve("state"), dir.resolve("state.tmp"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] newer = read(dir.resolve("state.tmp"));
        newer[10] ^= 0x7F; // a different term (its checksum is wrong too, which does not matter: it is never read)
        Files.write(dir.resolve("state.tmp"), newer);
        reopened = open(dir);
        assertEquals(5, reopened.load().term());

        reopened.saveTermAndVote(6, 3);
        reopened.sync();
        assertEquals(List.of("log", "state"), names(dir), "state.tmp was written over and renamed");
        LogStore last = reopen(reopened, dir);
        assertEquals(6, last.load().term());
        assertEquals(3, last.load().votedFor());
    }

    // ---- Against a model ----------------------------------------------------------------------

    @Test
    void thousandsOfRandomOperationsReopenToWhatAModelPredicts(@TempDir Path dir) {
        SplittableRandom random = new SplittableRandom(20240611);
        LogStore store = open(dir);
        List<Entry> written = new ArrayList<>(); // the store's log, synced or not
        List<Entry> inFile = new ArrayList<>(); // the file's records: the last sync, less truncations since
        long term = 0, fileTerm = 0;
        Integer vote = null, fileVote = null;
        int reopens = 0, truncations = 0, longest = 0;

        for (int step = 0; step < 6000; step++) {
            int op = random.nextInt(100);
            String why = "step " + step;
            if (op < 55) {
                Entry e = Logs.randomEntry(random);
                store.append(e);
                written.add(e);
            } else if (op < 65) {
                int from = random.nextInt(4) == 0 ? 1 + random.nextInt(written.size() + 2) // anywhere, or just past the end
                        : Math.max(1, written.size() + 2 - random.nextInt(6)); // mostly a short suffix, as in Raft
                store.truncateFrom(from);
                truncations++;
                if (from <= written.size()) {
                    written.subList(from - 1, written.size()).clear();
                }
                if (from <= inFile.size()) { // the record is in the file already: the file is cut now
                    inFile.subList(from - 1, inFile.size()).clear();
                }
            } else if (op < 72) {
                term += random.nextInt(3);
                vote = random.nextInt(4) == 0 ? null : 1 + random.nextInt(9);
                store.saveTermAndVote(term, vote);
            } else if (op < 92) {
                store.sync();
                assertTrue(store.synced(), why);
                inFile = new ArrayList<>(written);
                fileTerm = term;
                fileVote = vote;
            } else {
                if (op < 96) { // sometimes sync first, sometimes drop what is buffered
                    store.sync();
                    inFile = new ArrayList<>(written);
                    fileTerm = term;
                    fileVote = vote;
                }
                store = reopen(store, dir);
                reopens++;
                assertEquals(inFile, store.load().log(), why);
                assertEquals(fileTerm, store.load().term(), why);
                assertEquals(fileVote, store.load().votedFor(), why);
                assertFalse(store.recoveryReport().contains("discarded"), why + ": " + store.recoveryReport());
                written = new ArrayList<>(inFile);
                term = fileTerm;
                vote = fileVote;
            }
            longest = Math.max(longest, written.size());
            assertEquals(written, store.entries(), why);
            logUpTo(dir, fileSize(inFile), why + ": the file holds the model's records");
        }
        assertTrue(reopens > 300 && truncations > 400 && longest > 130,
                "the run exercised enough: " + reopens + " reopenings, " + truncations + " truncations, logs up to " + longest + " entries");
    }

    // ---- What each operation writes -----------------------------------------------------------

    @Test
    void appendingOneEntryWritesExactlyItsRecordAndTruncatingRewritesNothing(@TempDir Path dir) {
        LogStore store = open(dir);
        Volume.Counters counters = store.volume().counters();
        List<Entry> log = entries(10);
        log.forEach(store::append);
        store.sync();
        byte[] before = logUpTo(dir, fileSize(log), "ten entries");

        // One entry, one sync: one record's bytes, one fsync, no directory sync.
        Entry one = new Entry(4, "x".repeat(32));
        long bytes = counters.bytesWritten(), syncs = counters.fileSyncs(), dirSyncs = counters.directorySyncs();
        store.append(one);
        store.sync();
        assertEquals(4 + 8 + 8 + 32 + 4, counters.bytesWritten() - bytes, "length, index, term, command, checksum");
        assertEquals(1, counters.fileSyncs() - syncs);
        assertEquals(0, counters.directorySyncs() - dirSyncs);
        assertArrayEquals(concat(before, LogStore.encode(11, one)), logUpTo(dir, before.length + 56, "one more"),
                "the earlier records are untouched");

        // The command is counted in UTF-8 bytes, not characters.
        Entry wide = new Entry(4, "é中🙂");
        bytes = counters.bytesWritten();
        store.append(wide);
        store.sync();
        assertEquals(24 + 2 + 3 + 4, counters.bytesWritten() - bytes);

        // A sync with nothing to make durable does nothing.
        bytes = counters.bytesWritten();
        syncs = counters.fileSyncs();
        long storeSyncs = store.syncs();
        store.sync();
        assertEquals(bytes, counters.bytesWritten());
        assertEquals(syncs, counters.fileSyncs());
        assertEquals(storeSyncs, store.syncs());

        // Deleting a suffix of synced records cuts the file and writes nothing.
        long[] offsets = offsets(log);
        syncs = counters.fileSyncs();
        store.truncateFrom(4);
        store.sync();
        assertEquals(bytes, counters.bytesWritten(), "a truncation writes no bytes");
        assertEquals(syncs + 1, counters.fileSyncs());
        assertEquals(offsets[3], dir.resolve("log").toFile().length(), "the file is cut, no zeros kept after the cut");
        assertArrayEquals(Arrays.copyOf(before, (int) offsets[3]), read(dir.resolve("log")));

        // The next entry is one record where the cut was.
        Entry replacement = new Entry(7, "replacement");
        store.append(replacement);
        store.sync();
        assertEquals(Logs.recordSize(4, replacement), counters.bytesWritten() - bytes);
        byte[] replaced = concat(Arrays.copyOf(before, (int) offsets[3]), LogStore.encode(4, replacement));
        assertArrayEquals(replaced, logUpTo(dir, replaced.length, "the replacement"));

        // Records appended and deleted between two syncs never reach the volume.
        bytes = counters.bytesWritten();
        for (int i = 0; i < 5; i++) {
            store.append(new Entry(8, "buffered " + i));
        }
        store.truncateFrom(7);
        store.sync();
        List<Entry> expected = new ArrayList<>(log.subList(0, 3));
        expected.addAll(List.of(replacement, new Entry(8, "buffered 0"), new Entry(8, "buffered 1")));
        assertEquals(Logs.fileSize(expected) - Logs.fileSize(expected.subList(0, 4)), counters.bytesWritten() - bytes);
        assertEquals(expected, reopen(store, dir).load().log());
    }

    @Test
    void truncatingFromBeyondTheEndDoesNothingAndFromZeroIsAnError(@TempDir Path dir) {
        LogStore store = open(dir);
        entries(3).forEach(store::append);
        store.sync();
        store.truncateFrom(4);
        store.truncateFrom(100);
        assertTrue(store.synced(), "nothing to sync");
        assertEquals(entries(3), store.entries());
        assertThrows(IllegalArgumentException.class, () -> store.truncateFrom(0));
        store.truncateFrom(1);
        store.sync();
        assertEquals(List.of(), reopen(store, dir).load().log());
        assertEquals(HEADER, dir.resolve("log").toFile().length());
    }

    @Test
    void termAndVoteRoundTripIncludingNoVote(@TempDir Path dir) {
        LogStore store = open(dir);
        assertEquals(0, store.load().term());
        assertNull(store.load().votedFor());
        assertEquals("recovered term 0, no vote, 0 entries", store.recoveryReport());

        Volume.Counters counters = store.volume().counters();
        long bytes = counters.bytesWritten(), syncs = counters.fileSyncs(), dirSyncs = counters.directorySyncs();
        store.saveTermAndVote(3, 2);
        store.sync();
        assertEquals(24, counters.bytesWritten() - bytes, "the state file is written whole");
        assertEquals(1, counters.fileSyncs() - syncs, "state.tmp is synced; the log had nothing to sync");
        assertEquals(1, counters.directorySyncs() - dirSyncs, "the rename is made durable");

        store = reopen(store, dir);
        assertEquals(3, store.load().term());
        assertEquals(2, store.load().votedFor());
        assertEquals("recovered term 3, vote for node2, 0 entries", store.recoveryReport());

        store.saveTermAndVote(4, null);
        store.sync();
        store = reopen(store, dir);
        assertEquals(4, store.load().term());
        assertNull(store.load().votedFor(), "a new term without a vote forgets the old vote");

        store.saveTermAndVote(Long.MAX_VALUE, Integer.MAX_VALUE);
        store.sync();
        store = reopen(store, dir);
        assertEquals(Long.MAX_VALUE, store.load().term());
        assertEquals(Integer.MAX_VALUE, store.load().votedFor());

        store.saveTermAndVote(Long.MAX_VALUE, 1);
        store.saveTermAndVote(9, 1); // written, never synced
        store = reopen(store, dir);
        assertEquals(Long.MAX_VALUE, store.load().term(), "an unsynced save is not durable");
        assertEquals(Integer.MAX_VALUE, store.load().votedFor());
    }
}
