package harness.storage;

import harness.api.Entry;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Entries and record layouts shared by the storage tests. */
final class Logs {

    /** The size of the file header, "RAFTLOG1". */
    static final int HEADER = 8;

    /** Pieces of commands, among them multi-byte UTF-8 (two, three and four bytes) and JSON-hostile ones. */
    private static final String[] PIECES = {"a", "set k=v;", "é", "中", "🙂", "\n", "\"", " ", "0123456789"};

    private Logs() {
    }

    /** A distinct, deterministic entry: terms grow slowly, commands vary in length. */
    static Entry entry(int i) {
        return new Entry(1 + i / 3, "cmd-" + i + "-" + "x".repeat(i % 7));
    }

    static List<Entry> entries(int n) {
        List<Entry> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(entry(i));
        }
        return list;
    }

    /** A random entry whose command is valid Unicode of 0 to about 60 bytes. */
    static Entry randomEntry(SplittableRandom random) {
        StringBuilder command = new StringBuilder();
        int pieces = random.nextInt(8);
        for (int i = 0; i < pieces; i++) {
            command.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return new Entry(random.nextLong(1, 1_000), command.toString());
    }

    /** The size of entry {@code e}'s record in the log file. */
    static int recordSize(long index, Entry e) {
        return LogStore.encode(index, e).length;
    }

    /** The byte offset of each entry's record in a log holding {@code log}, and then the end of the file. */
    static long[] offsets(List<Entry> log) {
        long[] offsets = new long[log.size() + 1];
        long at = HEADER;
        for (int i = 0; i < log.size(); i++) {
            offsets[i] = at;
            at += recordSize(i + 1, log.get(i));
        }
        offsets[log.size()] = at;
        return offsets;
    }

    /** The length of a log file holding exactly {@code log}. */
    static long fileSize(List<Entry> log) {
        return offsets(log)[log.size()];
    }
}
