package raft;

import harness.api.Entry;
import harness.api.Storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The log of Figure 2: entries numbered from 1, each with the term in which a leader received it.
 * Every method speaks in log indexes, never in list positions, and the index of the first entry
 * held is a field: once snapshots discard a prefix (milestone 7), only {@code start} changes.
 * Every change is also written to stable storage; the server syncs it before telling anyone.
 */
// tag::log[]
final class Log {

    private final List<Entry> entries = new ArrayList<>();
    private long start = 1; // the index of entries.get(0)
    private final Storage storage;

    Log(Storage storage) {
        this.storage = storage;
    }

    /** At boot: the entries storage held, from index 1. */
    void restore(List<Entry> stored) {
        entries.addAll(stored);
    }

    long lastIndex() {
        return start + entries.size() - 1;
    }

    /** The term of the entry at {@code index}; 0 for index 0, the empty log's "last entry". */
    long termAt(long index) {
        return index == start - 1 ? 0 : get(index).term();
    }

    Entry get(long index) {
        if (index < start || index > lastIndex()) {
            throw new IndexOutOfBoundsException("no entry " + index + " in a log of " + start + ".." + lastIndex());
        }
        return entries.get((int) (index - start));
    }

    /** The consistency check's question (§5.3): is there an entry at {@code index} of {@code term}? */
    boolean has(long index, long term) {
        return index <= lastIndex() && termAt(index) == term;
    }

    /** Up to {@code max} entries from {@code index} on, for one AppendEntries. */
    List<Entry> from(long index, int max) {
        long end = Math.min(lastIndex(), index + max - 1);
        return index > end ? List.of() : List.copyOf(entries.subList((int) (index - start), (int) (end - start + 1)));
    }

    void append(Entry entry) {
        entries.add(entry);
        storage.append(entry);
    }

    /** Deletes the entry at {@code index} and every entry after it (§5.3: a conflicting suffix). */
    void truncateFrom(long index) {
        entries.subList((int) (index - start), entries.size()).clear();
        storage.truncateFrom(index); // cut the file there: no rewrite of what comes before
    }

    /** The first index holding an entry of {@code term}, searching back from {@code index}. */
    long firstIndexOfTerm(long term, long index) {
        while (index > start && termAt(index - 1) == term) {
            index--;
        }
        return index;
    }

    /** The last index holding an entry of {@code term}, or 0 if the log has none. */
    long lastIndexOfTerm(long term) {
        for (long i = lastIndex(); i >= start; i--) {
            if (termAt(i) == term) {
                return i;
            }
            if (termAt(i) < term) {
                return 0; // terms only grow along a log
            }
        }
        return 0;
    }

    long start() {
        return start;
    }

    List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }
}
// end::log[]
