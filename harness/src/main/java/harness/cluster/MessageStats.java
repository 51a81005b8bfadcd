package harness.cluster;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Counters per message type: messages sent, delivered, lost, duplicated, and bytes sent. */
public final class MessageStats {

    /** The counters of one message type. */
    public static final class Counters {
        private long sent, delivered, dropped, duplicated, bytes;

        public long sent() { return sent; }
        public long delivered() { return delivered; }
        public long dropped() { return dropped; }
        public long duplicated() { return duplicated; }
        public long bytes() { return bytes; }
    }

    private final Map<String, Counters> byType = new TreeMap<>();

    synchronized void sent(Packet p) {
        Counters c = of(p.type());
        c.sent++;
        c.bytes += p.bytes().length;
    }

    synchronized void delivered(Packet p) { of(p.type()).delivered++; }
    synchronized void dropped(Packet p) { of(p.type()).dropped++; }
    synchronized void duplicated(Packet p) { of(p.type()).duplicated++; }

    private Counters of(String type) {
        return byType.computeIfAbsent(type, t -> new Counters());
    }

    /** The counters of one type (all zero if none was sent). */
    public synchronized Counters get(String type) {
        Counters c = byType.get(type);
        Counters copy = new Counters();
        if (c != null) {
            copy.sent = c.sent; copy.delivered = c.delivered; copy.dropped = c.dropped;
            copy.duplicated = c.duplicated; copy.bytes = c.bytes;
        }
        return copy;
    }

    /** Messages of this type sent so far. */
    public long sent(String type) {
        return get(type).sent;
    }

    /** Messages of all types sent so far. */
    public synchronized long totalSent() {
        return byType.values().stream().mapToLong(Counters::sent).sum();
    }

    /** Bytes of all types sent so far. */
    public synchronized long totalBytes() {
        return byType.values().stream().mapToLong(Counters::bytes).sum();
    }

    /** A text table, one row per message type. */
    public synchronized String table() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-22s %10s %10s %9s %10s %12s%n", "message", "sent", "delivered", "lost", "duplicated", "bytes sent"));
        byType.forEach((type, c) -> s.append(String.format(Locale.ROOT, "%-22s %10d %10d %9d %10d %12d%n", type, c.sent, c.delivered, c.dropped, c.duplicated, c.bytes)));
        return s.toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
