package harness.storage;

import harness.api.Entry;
import harness.api.Storage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A server's stable storage as two files on a {@link Volume}, the layout of most write-ahead logs:
 * <ul>
 *   <li>{@code log}: an 8-byte header, then one framed record per entry, appended in index order:
 *       length (4 bytes), index (8), term (8), the command in UTF-8, and a CRC32C of everything
 *       before it in the record. Appending an entry writes that record and nothing else; deleting a
 *       conflicting suffix cuts the file at the first deleted record.</li>
 *   <li>{@code state}: currentTerm and votedFor with their CRC32C, replaced whole and atomically
 *       (written to {@code state.tmp}, synced, renamed over {@code state}, directory synced), so a
 *       crash leaves either the old pair or the new one.</li>
 * </ul>
 * Writes are buffered in memory until {@link #sync()}; a sync writes the pending state first and
 * then the pending records, and fsyncs each. The log may be followed by zeros, space a volume
 * made ahead of it ({@link Volume#preallocate}). Opening the store recovers: zeros after the last
 * record, and a record cut short at the end of the log (a torn write), are discarded and the file
 * cut before them; damage anywhere else stops the server with a {@link CorruptStorageException}
 * naming the file and the byte offset.
 */
public final class LogStore implements Storage {

    static final String LOG = "log";
    static final String STATE = "state";
    static final String STATE_TMP = "state.tmp";
    private static final byte[] LOG_HEADER = "RAFTLOG1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATE_HEADER = "RAFTSTA1".getBytes(StandardCharsets.US_ASCII);
    private static final int STATE_SIZE = STATE_HEADER.length + 8 + 4 + 4;
    /** What the log file's header takes, and one write of the state file: the fixed costs of the format. */
    public static final int LOG_HEADER_BYTES = LOG_HEADER.length;
    public static final int STATE_FILE_BYTES = STATE_SIZE;
    private static final int RECORD_FIXED = 8 + 8; // index and term
    private static final int FRAME = 4 + 4; // length before, checksum after
    private static final int MAX_RECORD = 16 << 20;

    private final Volume volume;
    private final Persisted recovered;
    private final String recoveryReport;

    private long term;
    private Integer votedFor;
    private boolean stateUnsynced;
    private final List<Entry> entries = new ArrayList<>(); // the log as written: entry i at position i - 1
    private long[] offsets = new long[64]; // the file offset of entry i's record at position i - 1
    private long end; // the end of the last record written
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(); // records not yet handed to the volume
    private long pendingFrom; // the file offset where the pending records go
    private boolean logUnsynced;
    private long syncs;

    private LogStore(Volume volume) {
        this.volume = volume;
        StringBuilder report = new StringBuilder();
        recoverState();
        recoverLog(report);
        volume.preallocate(LOG); // from here on the log only grows at its end, or is cut
        this.recovered = new Persisted(term, votedFor, entries);
        this.recoveryReport = "recovered term " + term + ", " + (votedFor == null ? "no vote" : "vote for node" + votedFor)
                + ", " + entries.size() + (entries.size() == 1 ? " entry" : " entries") + report;
    }

    /** Opens the store on {@code volume}, recovering what a crash left; creates it if it is empty. */
    public static LogStore open(Volume volume) {
        return new LogStore(volume);
    }

    // ---- Storage ----------------------------------------------------------------------------------

    @Override
    public Persisted load() {
        return recovered;
    }

    @Override
    public void saveTermAndVote(long term, Integer votedFor) {
        this.term = term;
        this.votedFor = votedFor;
        stateUnsynced = true;
    }

    @Override
    public void append(Entry entry) {
        byte[] record = encode(entries.size() + 1, entry);
        if (entries.size() == offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[entries.size()] = end;
        entries.add(entry);
        pending.writeBytes(record);
        end += record.length;
        logUnsynced = true;
    }

    @Override
    public void truncateFrom(long index) {
        if (index < 1) {
            throw new IllegalArgumentException("log indexes start at 1; cannot truncate from " + index);
        }
        if (index > entries.size()) {
            return; // nothing stored there
        }
        long cut = offsets[(int) index - 1];
        if (cut >= pendingFrom) {
            byte[] kept = Arrays.copyOf(pending.toByteArray(), (int) (cut - pendingFrom));
            pending.reset();
            pending.writeBytes(kept);
        } else {
            pending.reset();
            volume.truncate(LOG, cut);
            pendingFrom = cut;
        }
        entries.subList((int) index - 1, entries.size()).clear();
        end = cut;
        logUnsynced = true;
    }

    @Override
    public void sync() {
        if (!stateUnsynced && !logUnsynced) {
            return;
        }
        if (stateUnsynced) {
            replaceState(); // first, so that a log entry of some term never outlives the term itself
            stateUnsynced = false;
        }
        if (logUnsynced) {
            if (pending.size() > 0) {
                volume.append(LOG, pending.toByteArray());
                pending.reset();
                pendingFrom = end;
            }
            volume.sync(LOG);
            logUnsynced = false;
        }
        syncs++;
    }

    /**
     * This store as a server sees it, except that the server's {@code sync()} runs {@code sync}
     * instead: the runtime decides what a sync does (sync now and count it, or mark the batch for
     * one fsync before its messages leave).
     */
    public Storage withSync(Runnable sync) {
        LogStore store = this;
        return new Storage() {
            @Override
            public Persisted load() {
                return store.load();
            }

            @Override
            public void saveTermAndVote(long term, Integer votedFor) {
                store.saveTermAndVote(term, votedFor);
            }

            @Override
            public void append(Entry entry) {
                store.append(entry);
            }

            @Override
            public void truncateFrom(long index) {
                store.truncateFrom(index);
            }

            @Override
            public void sync() {
                sync.run();
            }
        };
    }

    // ---- What the harness reads ---------------------------------------------------------------------

    /** The term last written (synced or not). */
    public long term() {
        return term;
    }

    /** The vote last written (synced or not). */
    public Integer votedFor() {
        return votedFor;
    }

    /** The log as written (synced or not), from index 1. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** True when everything written is durable. */
    public boolean synced() {
        return !stateUnsynced && !logUnsynced;
    }

    /** What opening the store found, in a line: "recovered term 3, vote for node1, 12 entries; …". */
    public String recoveryReport() {
        return recoveryReport;
    }

    /** Syncs that had something to make durable. */
    public long syncs() {
        return syncs;
    }

    public Volume volume() {
        return volume;
    }

    // ---- The state file -----------------------------------------------------------------------------

    private void replaceState() {
        ByteBuffer b = ByteBuffer.allocate(STATE_SIZE);
        b.put(STATE_HEADER).putLong(term).putInt(votedFor == null ? 0 : votedFor);
        b.putInt(crc(b.array(), 0, b.position()));
        volume.truncate(STATE_TMP, 0);
        volume.append(STATE_TMP, b.array());
        volume.sync(STATE_TMP);
        volume.rename(STATE_TMP, STATE);
        volume.syncDirectory();
    }

    private void recoverState() {
        byte[] s = volume.read(STATE);
        if (s == null) {
            return; // never written: term 0, no vote
        }
        ByteBuffer b = ByteBuffer.wrap(s);
        if (s.length != STATE_SIZE || !startsWith(s, STATE_HEADER) || crc(s, 0, STATE_SIZE - 4) != b.getInt(STATE_SIZE - 4)) {
            throw new CorruptStorageException(volume.describe(STATE) + " is damaged: " + (s.length != STATE_SIZE
                    ? "it holds " + s.length + " bytes, not " + STATE_SIZE : !startsWith(s, STATE_HEADER)
                    ? "it does not begin with RAFTSTA1" : "its CRC32C check fails")
                    + ". It is only ever replaced whole by an atomic rename, so a crash cannot explain this. " + HOW_TO_GO_ON);
        }
        term = b.getLong(STATE_HEADER.length);
        int vote = b.getInt(STATE_HEADER.length + 8);
        votedFor = vote == 0 ? null : vote;
    }

    // ---- The log file -------------------------------------------------------------------------------

    private static final String HOW_TO_GO_ON = "Nothing was changed or dropped. Do not start this server with less than it"
            + " stored (it could vote twice or lose an entry it acknowledged): restore the file from a copy, or replace the"
            + " server by a new, empty one through a membership change (milestone 8).";

    private void recoverLog(StringBuilder report) {
        byte[] data = volume.read(LOG);
        if (data == null || (data.length < LOG_HEADER.length && startsWith(LOG_HEADER, data))) {
            volume.truncate(LOG, 0); // new, or its header was torn: nothing was ever stored in it
            volume.append(LOG, LOG_HEADER);
            volume.sync(LOG);
            volume.syncDirectory();
            end = pendingFrom = LOG_HEADER.length;
            return;
        }
        if (!startsWith(data, LOG_HEADER)) {
            throw new CorruptStorageException(volume.describe(LOG) + " is not a log of this course: it does not begin with"
                    + " RAFTLOG1. " + HOW_TO_GO_ON);
        }
        int pos = LOG_HEADER.length;
        String torn = null;
        while (pos < data.length && torn == null && !zerosFrom(data, pos)) {
            torn = tornRecordAt(data, pos);
            if (torn == null) {
                pos = readRecord(data, pos);
            }
        }
        if (pos < data.length) {
            volume.truncate(LOG, pos);
            volume.sync(LOG);
            report.append(torn != null ? "; discarded a torn record at the end of the log (" + torn + "): "
                    : "; cut off the zeros after the last record (space made ahead of the log, or a file made longer"
                    + " before a crash wrote into it): ").append(data.length - pos).append(" bytes at offset ").append(pos);
        }
        end = pendingFrom = pos;
    }

    /**
     * True if only zeros follow {@code pos}, at least a record's length field of them: space made
     * ahead of the log ({@link Volume#preallocate}), or a file made longer before a crash wrote into
     * it. No record starts with four zero bytes, as its length is at least 16; fewer zeros may be
     * the start of a record's length, torn.
     */
    private static boolean zerosFrom(byte[] data, int pos) {
        return data.length - pos >= 4 && allZero(data, pos);
    }

    /**
     * Why the record at {@code pos} is a torn write at the end of the file, or null if it is whole.
     * A crash can only cut the last write short (and a file system may show its missing end as
     * zeros); a bad record with more records after it is damage.
     */
    private String tornRecordAt(byte[] data, int pos) {
        int remaining = data.length - pos;
        if (remaining < 4) {
            return "its length is cut short";
        }
        int length = ByteBuffer.wrap(data).getInt(pos);
        if (length < RECORD_FIXED || length > MAX_RECORD) {
            throw corrupt(pos, "a record length of " + length + " bytes, outside 16.." + MAX_RECORD);
        }
        boolean pastTheEnd = remaining < length + FRAME;
        if (!pastTheEnd) {
            int stored = ByteBuffer.wrap(data).getInt(pos + 4 + length);
            if (stored == crc(data, pos, 4 + length)) {
                return null;
            }
            if (!allZero(data, pos + length + FRAME)) { // only zeros may follow a torn write (a file grown before its data)
                throw corrupt(pos, "a record that fails its CRC32C check, with " + (remaining - length - FRAME)
                        + " bytes of records after it");
            }
        }
        // It looks torn; but if a whole later record follows, its length field is what is damaged.
        int later = laterRecord(data, pos);
        if (later >= 0) {
            throw corrupt(pos, "a record " + (pastTheEnd ? "whose length of " + length + " bytes runs past the end of the file"
                    : "that fails its CRC32C check") + ", yet a whole record for a later index starts at byte offset " + later);
        }
        return pastTheEnd ? "it needs " + (length + FRAME) + " bytes and " + remaining + " are there" : "its CRC32C check fails";
    }

    /** The offset of a whole, checked record for an index after the next one, somewhere after {@code pos}, or -1. */
    private int laterRecord(byte[] data, int pos) {
        ByteBuffer b = ByteBuffer.wrap(data);
        for (int at = pos + 1; at + FRAME + RECORD_FIXED <= data.length; at++) {
            int length = b.getInt(at);
            if (length >= RECORD_FIXED && length <= data.length - at - FRAME && b.getLong(at + 4) > entries.size() + 1
                    && b.getInt(at + 4 + length) == crc(data, at, 4 + length)) {
                return at;
            }
        }
        return -1;
    }

    /** Reads the whole, checked record at {@code pos} into the log and returns where the next one starts. */
    private int readRecord(byte[] data, int pos) {
        ByteBuffer b = ByteBuffer.wrap(data);
        int length = b.getInt(pos);
        long index = b.getLong(pos + 4);
        long entryTerm = b.getLong(pos + 12);
        if (index != entries.size() + 1) {
            throw corrupt(pos, "a record for index " + index + " where index " + (entries.size() + 1) + " belongs");
        }
        String command = new String(data, pos + 4 + RECORD_FIXED, length - RECORD_FIXED, StandardCharsets.UTF_8);
        if (entries.size() == offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[entries.size()] = pos;
        entries.add(new Entry(entryTerm, command));
        return pos + length + FRAME;
    }

    private CorruptStorageException corrupt(int offset, String what) {
        return new CorruptStorageException(volume.describe(LOG) + " is damaged at byte offset " + offset + ": " + what
                + ". A crash only ever cuts the last write short, so this is not a torn write. " + HOW_TO_GO_ON);
    }

    /** What one entry takes in the log file: its framed record. */
    public static int recordBytes(Entry entry) {
        return FRAME + RECORD_FIXED + entry.command().getBytes(StandardCharsets.UTF_8).length;
    }

    static byte[] encode(long index, Entry entry) {
        byte[] command = entry.command().getBytes(StandardCharsets.UTF_8);
        int length = RECORD_FIXED + command.length;
        ByteBuffer b = ByteBuffer.allocate(length + FRAME);
        b.putInt(length).putLong(index).putLong(entry.term()).put(command);
        b.putInt(crc(b.array(), 0, 4 + length));
        return b.array();
    }

    private static int crc(byte[] data, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, from, length);
        return (int) crc.getValue();
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean allZero(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
