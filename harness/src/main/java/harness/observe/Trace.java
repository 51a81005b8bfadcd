package harness.observe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The record of a run: every event goes through here. It keeps a fingerprint of the whole
 * sequence (two runs with the same seed have the same fingerprint), the most recent events for
 * failure reports, the history of the servers' states for pictures of the whole run, and passes
 * each event to its subscribers (timelines, notebooks, files).
 */
public final class Trace {

    private static final int RECENT = 400;
    /** A bound so that a run that never stops cannot fill the memory; past it the oldest state events go. */
    private static final int HISTORY = 100_000;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final ArrayDeque<TraceEvent> recent = new ArrayDeque<>();
    private final ArrayDeque<TraceEvent> history = new ArrayDeque<>();
    private final List<Consumer<TraceEvent>> subscribers = new CopyOnWriteArrayList<>();
    private long fingerprint = FNV_OFFSET;
    private long count;

    public void record(TraceEvent event) {
        synchronized (this) {
            count++;
            mix(event.timeMicros());
            String text = event.describe();
            for (int i = 0; i < text.length(); i++) {
                fingerprint = (fingerprint ^ text.charAt(i)) * FNV_PRIME;
            }
            if (recent.size() == RECENT) recent.removeFirst();
            recent.addLast(event);
            if (!isMessageOrTimer(event)) {
                if (history.size() == HISTORY) history.removeFirst();
                history.addLast(event);
            }
        }
        for (Consumer<TraceEvent> s : subscribers) s.accept(event);
    }

    /** Messages and timers are most of a run's events but none of its story, so the history leaves them out. */
    private static boolean isMessageOrTimer(TraceEvent event) {
        return event instanceof TraceEvent.Sent || event instanceof TraceEvent.Delivered
                || event instanceof TraceEvent.Lost || event instanceof TraceEvent.TimerFired;
    }

    private void mix(long value) {
        for (int i = 0; i < 8; i++) {
            fingerprint = (fingerprint ^ ((value >>> (8 * i)) & 0xff)) * FNV_PRIME;
        }
    }

    /** Calls {@code subscriber} with every event from now on. */
    public void subscribe(Consumer<TraceEvent> subscriber) {
        subscribers.add(subscriber);
    }

    public void unsubscribe(Consumer<TraceEvent> subscriber) {
        subscribers.remove(subscriber);
    }

    /** A fingerprint of every event so far, in order: equal for two runs of the same seed. */
    public synchronized String fingerprint() {
        return String.format(Locale.ROOT, "%016x", fingerprint);
    }

    /** The number of events so far. */
    public synchronized long size() {
        return count;
    }

    /** The last {@code n} events (at most the last 400 are kept). */
    public synchronized List<TraceEvent> recent(int n) {
        List<TraceEvent> all = new ArrayList<>(recent);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    /**
     * Every event of the run except messages and timers (role, term and vote changes, crashes,
     * restarts, network changes, notes), oldest first: what a timeline of the whole run needs.
     * At most the last 100,000 such events are kept; older ones are dropped.
     */
    public synchronized List<TraceEvent> history() {
        return List.copyOf(history);
    }

    /** The last {@code n} events as printed lines. */
    public String recentLines(int n) {
        StringBuilder s = new StringBuilder();
        for (TraceEvent e : recent(n)) s.append(e.line()).append('\n');
        return s.toString();
    }
}
