package harness.api;

import java.util.List;

/**
 * Stable storage for a server's persistent state (Figure 2: currentTerm, votedFor and the log,
 * "updated on stable storage before responding to RPCs"). From milestone 4 a server reaches it
 * through {@link Environment#storage()}; the runtime keeps it across crashes and hands a restarted
 * server exactly what survived.
 *
 * <p>Writes are buffered: nothing written is durable until {@link #sync()} returns. A crash loses
 * what was written since the last sync, and a crash during a sync may leave part of it, ending in
 * a torn record, which recovery discards. So a server syncs after writing and before telling
 * anyone what it wrote.
 */
public interface Storage {

    /** What this server's storage held when it booted: read it once, when the server is created. */
    Persisted load();

    /** Records the current term and the vote cast in it (null for none); replaces the earlier pair. */
    void saveTermAndVote(long term, Integer votedFor);

    /** Appends {@code entry} to the stored log, after the last entry written. */
    void append(Entry entry);

    /** Deletes the stored entry at {@code index} and every entry after it (§5.3: a conflicting suffix). */
    void truncateFrom(long index);

    /** Makes everything written so far durable. Cheap when nothing was written since the last sync. */
    void sync();

    /**
     * A server's persistent state as storage holds it.
     *
     * @param log the stored log, from index 1
     */
    record Persisted(long term, Integer votedFor, List<Entry> log) {

        public Persisted {
            log = List.copyOf(log);
        }

        /** A server's state before it ever wrote anything: term 0, no vote, an empty log. */
        public static Persisted empty() {
            return new Persisted(0, null, List.of());
        }
    }
}
