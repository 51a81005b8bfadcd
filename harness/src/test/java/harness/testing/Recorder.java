package harness.testing;

import harness.cluster.Cluster;
import harness.observe.TraceEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Keeps every trace event of a cluster from the moment it subscribes (the trace keeps only the last 400). */
public final class Recorder implements Consumer<TraceEvent> {

    private final List<TraceEvent> events = new ArrayList<>();

    public static Recorder on(Cluster cluster) {
        Recorder r = new Recorder();
        cluster.trace().subscribe(r);
        return r;
    }

    @Override
    public synchronized void accept(TraceEvent event) {
        events.add(event);
    }

    public synchronized List<TraceEvent> events() {
        return List.copyOf(events);
    }

    /** The events of one kind, in order. */
    public synchronized <T extends TraceEvent> List<T> of(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
