package harness.cluster;

import harness.api.ClientConfig;
import harness.api.ClientEnvironment;
import harness.api.Operation;
import harness.api.Outcome;
import harness.api.RaftClient;
import harness.api.RaftMessage;
import harness.history.Call;
import harness.observe.TraceEvent;
import harness.wire.MessageCodec;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One client's place in a runtime, and the {@link ClientEnvironment} through which it acts: the
 * client's counterpart of {@link Host}. It records every call in the cluster's history at the
 * client's boundary (when the client is asked, when it answers), so the history never depends on
 * the code under test telling the truth about itself. Clients do not crash.
 */
final class ClientHost implements ClientEnvironment {

    final int id;
    private final Cluster cluster;
    private final Cluster.Scheduler scheduler;
    private final RandomGenerator random;
    private final Map<String, Host.Scheduled> timers = new HashMap<>();
    private RaftClient client;
    private int callUnderWay; // the history's id of the call under way, 0 if none

    ClientHost(Cluster cluster, int id, Cluster.Scheduler scheduler, RandomGenerator random) {
        this.cluster = cluster;
        this.id = id;
        this.scheduler = scheduler;
        this.random = random;
    }

    private String name() {
        return ClientConfig.name(id);
    }

    private String codePackage() {
        return cluster.subject.implementation().getClass().getPackageName();
    }

    /** Creates the client. */
    void start(ClientConfig config) {
        try {
            client = cluster.subject.implementation().createClient(config, this);
        } catch (RuntimeException | StackOverflowError e) {
            if (e instanceof UnsupportedOperationException) {
                throw e; // a missing feature: the grader names the milestone that brings it
            }
            throw new NodeFailure(id, "being created", cluster.nowMicros(), e, codePackage());
        }
    }

    boolean busy() {
        return callUnderWay != 0;
    }

    /** Asks the client to run {@code operation}; returns the call's id in the history. */
    int submit(Operation operation) {
        if (busy()) {
            throw new IllegalStateException(name() + " is still running call #" + callUnderWay + "; a client runs one operation"
                    + " at a time: wait for it to complete, or use another client");
        }
        callUnderWay = cluster.history.invoke(id, operation, cluster.nowMicros());
        cluster.trace.record(new TraceEvent.Invoked(cluster.nowMicros(), id, callUnderWay, operation));
        input("taking the operation \"" + operation + "\"", () -> client.submit(operation));
        return callUnderWay;
    }

    void deliver(Packet packet) {
        if (!cluster.network.arrives(packet)) {
            cluster.trace.record(new TraceEvent.Lost(cluster.nowMicros(), packet, "the link was cut"));
            return;
        }
        RaftMessage message = cluster.codec.decode(packet.type(), packet.bytes());
        cluster.trace.record(new TraceEvent.Delivered(cluster.nowMicros(), packet));
        input("handling " + packet.type() + " from " + ClientConfig.name(packet.from()), () -> client.receive(packet.from(), message));
    }

    private void input(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | StackOverflowError e) {
            throw new NodeFailure(id, what, cluster.nowMicros(), e, codePackage());
        }
    }

    Host.Scheduled schedule(long delayMicros, Runnable task) {
        return scheduler.after(delayMicros, task);
    }

    // ---- The environment ----------------------------------------------------------------------

    @Override
    public void send(int to, RaftMessage message) {
        Network network = cluster.network;
        Packet packet = network.packet(id, to, MessageCodec.typeName(message), message.term(), cluster.codec.encode(message));
        Network.Route route = network.route(packet, cluster.networkRandom());
        cluster.trace.record(new TraceEvent.Sent(cluster.nowMicros(), packet, route.outcome()));
        cluster.dispatch(packet, route.delaysMicros());
    }

    @Override
    public void startTimer(String name, Duration delay, Runnable action) {
        cancelTimer(name);
        Host.Scheduled[] self = new Host.Scheduled[1];
        self[0] = scheduler.after(delay.toNanos() / 1000, () -> {
            if (timers.get(name) == self[0]) {
                timers.remove(name);
                cluster.trace.record(new TraceEvent.TimerFired(cluster.nowMicros(), id, name));
                input("running its " + name + " timer", action);
            }
        });
        timers.put(name, self[0]);
    }

    @Override
    public void cancelTimer(String name) {
        Host.Scheduled pending = timers.remove(name);
        if (pending != null) {
            pending.cancel();
        }
    }

    @Override
    public Duration now() {
        return cluster.now();
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public void log(String message) {
        cluster.trace.record(new TraceEvent.Note(cluster.nowMicros(), id, message));
    }

    @Override
    public void complete(Outcome outcome) {
        if (!busy()) {
            throw new IllegalStateException(name() + " completed an operation (" + outcome + ") but had none under way: complete"
                    + " each operation once, when its answer comes");
        }
        if (outcome == null) {
            throw new IllegalArgumentException(name() + " completed call #" + callUnderWay + " without an outcome: use Outcome.ok(...)"
                    + " or Outcome.unknown(...)");
        }
        Call call = cluster.history.complete(callUnderWay, cluster.nowMicros(), outcome);
        callUnderWay = 0;
        cluster.trace.record(new TraceEvent.Completed(cluster.nowMicros(), id, call.id(), call.operation(), outcome));
        scheduler.after(0, () -> cluster.completed(call)); // listeners act in an input of their own, after this one
    }
}
