package harness.suites;

import harness.cluster.Cluster;
import harness.observe.TraceEvent;
import harness.wire.MessageCodec;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Counts the messages of one type, their bytes and the entries they carry, by receiver, while it is open: suite 2's budgets. */
final class Sends implements AutoCloseable {
    private final Cluster cluster;
    private final String type;
    private final Map<Integer, long[]> byReceiver = new HashMap<>();
    private final Consumer<TraceEvent> listener = this::onEvent;

    Sends(Cluster cluster, String type) {
        this.cluster = cluster;
        this.type = type;
        cluster.trace().subscribe(listener);
    }

    private void onEvent(TraceEvent e) {
        if (e instanceof TraceEvent.Sent sent && sent.packet().is(type)) {
            long[] c = byReceiver.computeIfAbsent(sent.packet().to(), id -> new long[3]);
            c[0]++;
            c[1] += sent.packet().bytes().length;
            Integer entries = MessageCodec.arraySize(sent.packet().bytes(), "entries");
            c[2] += entries == null ? 0 : entries;
        }
    }

    long count(int to) {
        return byReceiver.getOrDefault(to, new long[3])[0];
    }

    long entries(int to) {
        return byReceiver.getOrDefault(to, new long[3])[2];
    }

    long total() {
        return byReceiver.values().stream().mapToLong(c -> c[0]).sum();
    }

    long bytes() {
        return byReceiver.values().stream().mapToLong(c -> c[1]).sum();
    }

    @Override
    public void close() {
        cluster.trace().unsubscribe(listener);
    }
}
