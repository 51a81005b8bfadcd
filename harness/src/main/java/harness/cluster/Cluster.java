package harness.cluster;

import harness.api.NodeConfig;
import harness.api.RaftImplementation;
import harness.api.Proposal;
import harness.api.StateMachine;
import harness.api.Timing;
import harness.check.SafetyChecker;
import harness.observe.NodeView;
import harness.observe.Time;
import harness.observe.Trace;
import harness.observe.TraceEvent;
import harness.sim.SimulatedCluster;
import harness.api.Storage;
import harness.storage.FileVolume;
import harness.storage.SimulatedVolume;
import harness.storage.Volume;
import harness.wire.MessageCodec;

import java.nio.file.Path;
import java.time.Duration;
import harness.api.ClientConfig;
import harness.api.Operation;
import harness.api.Outcome;
import harness.history.Call;
import harness.history.History;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.function.Consumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * A group of Raft servers you can run, break and watch: the one API of tests, demos and
 * notebooks. Two runtimes host it: {@link SimulatedCluster} (virtual time, one seed fixes the
 * whole run) and {@link harness.realtime.RealTimeCluster} (threads and the wall clock).
 *
 * <pre>{@code
 * Cluster cluster = Cluster.simulated(5, 42);
 * int leader = cluster.awaitLeader(seconds(2));
 * cluster.isolate(leader);
 * cluster.runFor(seconds(1));
 * System.out.println(cluster.stateTable());
 * }</pre>
 *
 * <p>Safety properties are checked after every input of every server; a broken one throws a
 * {@link harness.check.SafetyViolation} out of whichever call was running the cluster.
 */
public abstract class Cluster implements AutoCloseable {

    protected final List<Integer> ids;
    protected final long seed;
    final Subject subject;
    final Network network;
    final Trace trace = new Trace();
    private final Timing timing;
    private final SafetyChecker checker;
    private final Observer observer;
    final MessageCodec codec;
    private final Map<Integer, Host> hosts = new LinkedHashMap<>();
    private final Map<Integer, ClientHost> clients = new LinkedHashMap<>();
    private final List<ClientConfig> clientConfigs;
    private final boolean servesClients;
    /** With ordered links: when the latest message put on each link (from → to) arrives, in µs. */
    private final Map<Long, Long> linkArrivals;
    /** With ordered links: the last index of the latest AppendEntries with entries on each link, until a reply comes back. */
    private final Map<Long, Long> unansweredUpTo = new HashMap<>();
    private boolean everPipelined;
    final History history = new History();
    private final List<Consumer<Call>> completionListeners = new ArrayList<>();
    private final Supplier<StateMachine> stateMachine;
    private final Path storageDirectory;
    /** The disks' own random source, apart from the network's, so adding disks changed no earlier run. */
    private final SplittableRandom diskRandom;
    /** How long a disk sync that writes something keeps its server busy, in µs (simulator only). */
    private final long syncLatencyMicros;

    /** Sets the cluster up; the runtime then adds one {@link Host} per server with {@link #add}. */
    protected Cluster(Builder b) {
        this.subject = b.subject != null ? b.subject : Implementations.underTest();
        this.ids = IntStream.rangeClosed(1, b.nodes).boxed().toList();
        this.timing = b.timing;
        this.seed = b.seed;
        this.servesClients = b.clients > 0;
        this.linkArrivals = b.orderedLinks ? new HashMap<>() : null;
        this.clientConfigs = IntStream.rangeClosed(1, b.clients)
                .mapToObj(k -> new ClientConfig(ClientConfig.FIRST_ID + k - 1, ids, b.retryAfter, b.giveUpAfter, b.readsThroughLog))
                .toList();
        this.stateMachine = b.stateMachine != null ? b.stateMachine : servesClients ? serviceStateMachine(subject) : CommandLog::new;
        this.storageDirectory = b.storageDirectory;
        this.diskRandom = new SplittableRandom(b.seed).split().split();
        this.syncLatencyMicros = b.syncLatency.toNanos() / 1000;
        this.network = new Network(ids, clientConfigs.stream().map(ClientConfig::id).toList(), b.conditions, new Network.Events() {
            @Override
            public void released(Packet packet) {
                release(packet);
            }

            @Override
            public void changed(String description) {
                trace.record(new TraceEvent.NetworkChanged(nowMicros(), description));
            }
        });
        this.checker = new SafetyChecker(ids.size());
        this.observer = new Observer(trace, checker);
        this.codec = new MessageCodec(subject.implementation().messageType());
    }

    /** A runtime adds the host of each server as it sets up. */
    protected final void add(Host host) {
        hosts.put(host.id, host);
    }

    /** How a runtime runs a task later on a client's thread of control. */
    @FunctionalInterface
    protected interface Scheduler {
        Host.Scheduled after(long delayMicros, Runnable task);
    }

    /** The key-value store the implementation offers its servers, or a clear refusal before milestone 5. */
    private static Supplier<StateMachine> serviceStateMachine(Subject subject) {
        RaftImplementation implementation = subject.implementation();
        if (implementation.newStateMachine() == null) {
            throw new harness.api.Unimplemented("RaftImplementation.newStateMachine()", implementation.name() + " has no state"
                    + " machine for clients: the key-value store and its clients start at milestone 5 (return one from"
                    + " newStateMachine in your Milestone)");
        }
        return implementation::newStateMachine;
    }

    /**
     * A runtime starts the clients once its servers are up, each running on the thread of control
     * {@code scheduler} gives it, with {@code random} as its random source.
     */
    protected final void startClients(Scheduler scheduler, RandomGenerator random) {
        for (ClientConfig config : clientConfigs) {
            ClientHost client = new ClientHost(this, config.id(), scheduler, random);
            clients.put(config.id(), client);
            client.start(config);
        }
    }

    /** Puts {@code packet} on its way to its receiver, server or client: one copy per delay (µs). */
    final void dispatch(Packet packet, long[] delaysMicros) {
        if (linkArrivals != null) {
            delaysMicros = inOrder(packet, delaysMicros);
            notePipelining(packet);
        }
        if (ClientConfig.isClient(packet.to())) {
            ClientHost receiver = clientHost(packet.to());
            for (long delay : delaysMicros) {
                receiver.schedule(delay, () -> receiver.deliver(packet));
            }
            return;
        }
        Host receiver = host(packet.to());
        int incarnation = receiver.incarnation(); // a server that restarts meanwhile never gets it
        for (long delay : delaysMicros) {
            receiver.schedule(delay, () -> receiver.deliver(packet, incarnation));
        }
    }

    /** Ordered links: no copy arrives before a message sent earlier on the same link. */
    private synchronized long[] inOrder(Packet packet, long[] delaysMicros) {
        long link = link(packet.from(), packet.to());
        long now = nowMicros();
        long[] delays = new long[delaysMicros.length];
        for (int i = 0; i < delays.length; i++) {
            long arrival = Math.max(now + delaysMicros[i], linkArrivals.getOrDefault(link, 0L));
            linkArrivals.put(link, arrival);
            delays[i] = arrival - now;
        }
        return delays;
    }

    private static long link(int from, int to) {
        return (long) from << 32 | to;
    }

    /** Notes a leader sending new entries that continue an AppendEntries still unanswered: see {@link #everPipelined}. */
    private synchronized void notePipelining(Packet packet) {
        if (packet.is("AppendEntriesReply")) {
            unansweredUpTo.remove(link(packet.to(), packet.from()));
            return;
        }
        Integer entries = packet.is("AppendEntries") ? harness.wire.MessageCodec.arraySize(packet.bytes(), "entries") : null;
        Long prev = entries == null || entries == 0 ? null : harness.wire.MessageCodec.longField(packet.bytes(), "prev_log_index");
        if (prev != null) {
            Long upTo = unansweredUpTo.put(link(packet.from(), packet.to()), prev + entries);
            everPipelined |= upTo != null && prev >= upTo;
        }
    }

    protected final Host host(int id) {
        Host h = hosts.get(id);
        if (h == null) {
            throw new IllegalArgumentException("there is no node" + id + " in this cluster; the nodes are " + ids);
        }
        return h;
    }

    protected final Collection<Host> hosts() {
        return hosts.values();
    }

    /** Runs {@code action} on the server's thread of control and returns its result. */
    protected abstract <T> T onServerThread(Host host, Supplier<T> action);

    /** The random source of the network: latency, loss, duplication. */
    protected abstract RandomGenerator networkRandom();

    // ---- Building ------------------------------------------------------------------------------

    public static Builder builder() {
        return new Builder();
    }

    /** {@code nodes} simulated servers of the implementation under test, started at time 0. */
    public static Cluster simulated(int nodes, long seed) {
        return builder().nodes(nodes).seed(seed).simulated();
    }

    /** How to describe a cluster before starting it. */
    public static final class Builder {
        private int nodes = 3;
        private long seed = 1;
        private Timing timing = Timing.DEFAULT;
        private Conditions conditions = Conditions.reliable();
        private Subject subject;
        private Supplier<StateMachine> stateMachine; // null: the harness's command log, or the implementation's store for clients
        private Path storageDirectory;
        private Duration syncLatency = Duration.ZERO;
        private int clients;
        private Duration retryAfter = Duration.ofMillis(200);
        private Duration giveUpAfter = Duration.ofSeconds(2);
        private boolean readsThroughLog;
        private boolean orderedLinks;

        public Builder nodes(int nodes) {
            if (nodes < 1 || nodes > 99) {
                throw new IllegalArgumentException("a cluster has 1 to 99 servers, not " + nodes);
            }
            this.nodes = nodes;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder timing(Timing timing) {
            this.timing = timing;
            return this;
        }

        public Builder network(Conditions conditions) {
            this.conditions = conditions;
            return this;
        }

        /** Runs this implementation instead of the one registered on the class path. */
        public Builder implementation(RaftImplementation implementation) {
            this.subject = new Subject(implementation);
            return this;
        }

        /**
         * Runs milestone {@code n}'s implementation, even when another milestone (or none) is on
         * the class path: notebooks pick their milestone this way.
         */
        public Builder milestone(int n) {
            this.subject = new Subject(Implementations.milestone(n));
            return this;
        }

        /**
         * Runs your own code for milestone {@code n}: the workspace {@code ./course start n} made
         * ({@code workspace/milestone-n}), compiled first if any of its sources changed, so a
         * notebook cell run again after an edit runs the edited code.
         */
        public Builder workspace(int n) {
            this.subject = new Subject(harness.workspace.Workspace.of(n).load());
            return this;
        }

        /** Runs a bug-zoo variant of the implementation (see {@link RaftImplementation#bugZoo()}). */
        public Builder bug(String name) {
            this.subject = (subject != null ? subject : Implementations.underTest()).withBug(name);
            return this;
        }

        public Builder subject(Subject subject) {
            this.subject = subject;
            return this;
        }

        /** The state machine each server applies committed commands to (a fresh one per boot). */
        public Builder stateMachine(Supplier<StateMachine> stateMachine) {
            this.stateMachine = stateMachine;
            return this;
        }

        /**
         * Stores each server's persistent state in files under {@code directory} (node1/, node2/, …)
         * instead of on a simulated disk. The files stay after the cluster is closed, and a cluster
         * built on the same directory starts from them.
         */
        public Builder storeIn(Path directory) {
            this.storageDirectory = directory;
            return this;
        }

        /**
         * Delivers the messages from one server (or client) to another in the order they were sent,
         * as a TCP connection does: a message whose latency would bring it before an earlier one
         * arrives just after it instead. Loss, duplication and holding back still apply. Servers are
         * told (see {@link NodeConfig#orderedLinks()}), so a leader may pipeline AppendEntries.
         */
        public Builder orderedLinks() {
            this.orderedLinks = true;
            return this;
        }

        /**
         * In the simulator, a disk sync that has something to write takes {@code latency} of
         * virtual time, however much it writes: the server is busy until it completes (inputs that
         * come meanwhile wait their turn), and the messages it sends after the sync leave only then.
         * A sync with nothing to write costs nothing. Zero by default: syncs are instant.
         */
        public Builder syncLatency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("a disk sync cannot take negative time: " + latency);
            }
            this.syncLatency = latency;
            return this;
        }

        /**
         * Runs the implementation's key-value store (milestone 5) with {@code n} clients on the
         * network, client1 to client{@code n} (ids 101, 102, ...). Its servers serve clients: they
         * apply commands to the implementation's state machine, and a new leader appends a no-op (§8).
         */
        public Builder clients(int n) {
            if (n < 0 || n > 99) {
                throw new IllegalArgumentException("a cluster has 0 to 99 clients, not " + n);
            }
            this.clients = n;
            return this;
        }

        /**
         * How patient clients are: a client asks another server when one has not answered a read
         * within {@code retryAfter}, and reports an operation as unknown after {@code giveUpAfter}.
         * 200 ms and 2 s by default.
         */
        public Builder clientPatience(Duration retryAfter, Duration giveUpAfter) {
            this.retryAfter = retryAfter;
            this.giveUpAfter = giveUpAfter;
            return this;
        }

        /** Clients send gets through the log like writes (§8), instead of asking for a read by read-index. */
        public Builder readsThroughLog(boolean throughLog) {
            this.readsThroughLog = throughLog;
            return this;
        }

        /** Starts the servers in the simulator, in virtual time. */
        public SimulatedCluster simulated() {
            return new SimulatedCluster(this);
        }

        /** Starts the servers on real threads, one per server, with the wall clock. */
        public harness.realtime.RealTimeCluster realTime() {
            if (!syncLatency.isZero()) {
                throw new IllegalStateException("syncLatency is for the simulator: on real threads a sync takes what the disk takes");
            }
            return new harness.realtime.RealTimeCluster(this);
        }
    }

    // ---- Time ----------------------------------------------------------------------------------

    /** The cluster's clock: virtual time in the simulator, time since start in real time. */
    public Duration now() {
        return Duration.ofNanos(nowMicros() * 1000);
    }

    protected abstract long nowMicros();

    /** Lets the cluster run for {@code duration}. */
    public abstract void runFor(Duration duration);

    /**
     * Runs until {@code condition} holds (checked after every event in the simulator) or until
     * {@code within} has passed; says whether the condition came true.
     */
    public abstract boolean runUntil(Predicate<Cluster> condition, Duration within);

    /** Runs until a leader that can reach a majority exists, and returns it; fails after {@code within}. */
    public int awaitLeader(Duration within) {
        if (!runUntil(c -> c.leader().isPresent(), within)) {
            throw new IllegalStateException("no leader within " + Time.format(within) + " (at " + Time.format(nowMicros()) + ")\n" + stateTable());
        }
        return leader().orElseThrow();
    }

    // ---- Servers -------------------------------------------------------------------------------

    public List<Integer> ids() {
        return ids;
    }

    public int size() {
        return ids.size();
    }

    /** The servers other than {@code id}. */
    public List<Integer> others(int id) {
        return ids.stream().filter(i -> i != id).toList();
    }

    public Subject subject() {
        return subject;
    }

    public long seed() {
        return seed;
    }

    public Timing timing() {
        return timing;
    }

    protected NodeConfig configOf(int id) {
        return new NodeConfig(id, others(id), timing, servesClients, linkArrivals != null);
    }

    /** What server {@code id} shows now. */
    public NodeView view(int id) {
        Host h = host(id);
        return onServerThread(h, h::view);
    }

    public List<NodeView> views() {
        return ids.stream().map(this::view).toList();
    }

    public boolean isUp(int id) {
        return view(id).up();
    }

    /**
     * Stops server {@code id} at once: its volatile state is gone, its timers never fire, and
     * messages on their way to it are lost. It keeps only what it made durable (from milestone 4).
     */
    public void crash(int id) {
        Host h = host(id);
        onServerThread(h, () -> {
            h.crash();
            return null;
        });
    }

    /** Boots server {@code id} again from what it made durable; it starts as a follower. */
    public void restart(int id) {
        Host h = host(id);
        onServerThread(h, () -> {
            if (h.isUp()) {
                throw new IllegalStateException("node" + id + " is running; crash it before restarting it");
            }
            h.boot();
            return null;
        });
    }

    // ---- Disks (from milestone 4) ------------------------------------------------------------------

    /**
     * The power fails during server {@code id}'s next disk sync: a random part of what it is
     * syncing reaches the disk (the last record usually torn), and the server goes down at once,
     * in the middle of its input. What it sent before the sync is already on the network.
     */
    public void failNextSync(int id) {
        Host h = host(id);
        onServerThread(h, () -> {
            h.failNextSync();
            return null;
        });
    }

    /**
     * Server {@code id} goes down right after its next disk sync completes, before it acts on
     * what it wrote: a crash between the disk write and the reply.
     */
    public void crashAfterNextSync(int id) {
        Host h = host(id);
        onServerThread(h, () -> {
            h.crashAfterNextSync();
            return null;
        });
    }

    /** What server {@code id} would find on its disk if it crashed now: its durable term, vote and log. */
    public Storage.Persisted durable(int id) {
        Host h = host(id);
        return onServerThread(h, h::durable);
    }

    /** What server {@code id}'s disk has done since the cluster started: bytes written and syncs. */
    public Volume.Counters diskCounters(int id) {
        Host h = host(id);
        return onServerThread(h, h::diskCounters);
    }

    /** Whether any server has ever asked for its storage: false for code written before milestone 4. */
    public boolean everUsedStorage() {
        return hosts.values().stream().anyMatch(Host::usedStorage);
    }

    /** Whether this cluster's links keep order (see {@link Builder#orderedLinks}). */
    public boolean hasOrderedLinks() {
        return linkArrivals != null;
    }

    /**
     * Whether, on ordered links, a leader ever sent a follower new entries that continue an
     * AppendEntries the follower had not answered yet: false for code written before milestone 5,
     * which keeps one request per follower.
     */
    public synchronized boolean everPipelined() {
        return everPipelined;
    }

    /** Whether any server has ever counted an entry as committed: false for code written before milestone 3. */
    public boolean everCommitted() {
        return checker.anyCommitted();
    }

    /** How long a sync that writes something keeps a server busy, in µs; see {@link Builder#syncLatency}. */
    final long syncLatencyMicros() {
        return syncLatencyMicros;
    }

    /** From milestone 4 servers persist, and the harness checks they do so before sending. */
    final boolean checksPersistence() {
        return subject.implementation().milestone() >= 4;
    }

    final Volume newDisk(int id) {
        return storageDirectory == null ? new SimulatedVolume("node" + id + "'s disk")
                : new FileVolume(storageDirectory.resolve("node" + id));
    }

    final synchronized SplittableRandom newDiskRandom() {
        return diskRandom.split();
    }

    // ---- Leaders -------------------------------------------------------------------------------

    /** Every running server that believes it is leader (an isolated old leader may still believe it). */
    public List<Integer> leaders() {
        return views().stream().filter(NodeView::isLeader).map(NodeView::id).toList();
    }

    /**
     * The leader that can lead: of the running leaders that reach a majority of running servers
     * (both ways), the one with the highest term. A stale leader cut off in a minority is not it.
     */
    public Optional<Integer> leader() {
        NodeView best = null;
        for (NodeView v : views()) {
            if (v.isLeader() && reachesMajority(v.id()) && (best == null || v.term() > best.term())) {
                best = v;
            }
        }
        return Optional.ofNullable(best).map(NodeView::id);
    }

    /** Does {@code id} exchange messages with a majority of the cluster (itself included) that is running? */
    public boolean reachesMajority(int id) {
        long reached = ids.stream()
                .filter(o -> o == id || (isUp(o) && network.connected(id, o) && network.connected(o, id)))
                .count();
        return reached > ids.size() / 2;
    }

    /** The highest term any running server has reached. */
    public long maxTerm() {
        return views().stream().filter(NodeView::up).mapToLong(NodeView::term).max().orElse(0);
    }

    // ---- The network ---------------------------------------------------------------------------

    public Network network() {
        return network;
    }

    public void setConditions(Conditions conditions) {
        network.setConditions(conditions);
    }

    /** Cuts server {@code id} off from every other server. */
    public void isolate(int id) {
        network.isolate(id);
    }

    /** Reconnects server {@code id} to every other server. */
    public void reconnect(int id) {
        network.reconnect(id);
    }

    /** Servers talk only within their group; servers in no group are isolated. */
    @SafeVarargs
    public final void partition(Collection<Integer>... groups) {
        network.partition(groups);
    }

    /** Two sides that cannot talk, joined only through {@code bridge}. */
    public void bridge(int bridge, Collection<Integer> left, Collection<Integer> right) {
        network.bridge(bridge, left, right);
    }

    /** The servers in a ring, each linked to its {@code reach} nearest neighbours either side. */
    public void ring(int reach) {
        network.ring(reach);
    }

    /** Every server reaches every other again. */
    public void heal() {
        network.heal();
    }

    // ---- What hosts report ----------------------------------------------------------------------

    /** A host reports a server's view after each of its inputs. */
    final void observed(NodeView view) {
        observer.observe(nowMicros(), view);
    }

    /** A host reports that a server is about to handle a message, with its view before. */
    final void delivering(Packet packet, NodeView before) {
        observer.delivering(packet, before);
    }

    /** A host reports that a server handled a message, with its views before and after. */
    final void delivered(Packet packet, NodeView before, NodeView after) {
        checker.onDelivery(nowMicros(), packet.type(), packet.term(), before, after);
    }

    /** A host reports that a server is booting, for the first time or again. */
    final void booting(int id, boolean restart) {
        observer.forget(id);
        if (restart) {
            trace.record(new TraceEvent.Restarted(nowMicros(), id));
        }
    }

    final StateMachine newStateMachine() {
        return stateMachine.get();
    }

    /** A host reports that a server applies the entry at {@code index}; the checker may refuse it. */
    final void applying(int id, long index, String command, long lastApplied, long commitIndex) {
        checker.onApply(nowMicros(), id, index, command, lastApplied, commitIndex);
    }

    /** A host reports that a server crashed. */
    final void crashed(int id) {
        observer.down(id);
        trace.record(new TraceEvent.Crashed(nowMicros(), id));
    }

    /** Delivers a packet that a {@link Network.Held} rule let go, after a fresh latency. */
    private void release(Packet packet) {
        dispatch(packet, new long[] {network.latencyForReleased(networkRandom())});
    }

    // ---- Watching ------------------------------------------------------------------------------

    public Trace trace() {
        return trace;
    }

    public MessageStats stats() {
        return network.stats();
    }

    /** Adds a line of narration to the trace (demos and notebooks use it to mark steps). */
    public void note(String text) {
        trace.record(new TraceEvent.Note(nowMicros(), 0, text));
    }

    /** One row per server: id, role, term, vote. */
    public String stateTable() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-7s %-10s %5s  %-9s%n", "node", "role", "term", "votedFor"));
        for (NodeView v : views()) {
            String role = v.up() ? v.role().title() : "(down)";
            String vote = v.votedFor() == null ? "-" : "node" + v.votedFor();
            s.append(String.format(Locale.ROOT, "%-7s %-10s %5d  %-9s%n", "node" + v.id(), role, v.term(), vote));
        }
        return s.toString();
    }

    // ---- Clients and logs (from milestone 2) -----------------------------------------------------

    /**
     * A client proposes {@code command} to server {@code id} (§5.3), which answers on its own
     * thread of control: a leader appends it and says where, any other server names the leader
     * it knows. A server that is down cannot answer.
     */
    public Proposal propose(int id, String command) {
        Host host = host(id);
        if (!host.isUp()) {
            throw new IllegalStateException("node" + id + " is down and cannot take a proposal");
        }
        return onServerThread(host, () -> host.propose(command));
    }

    /** Proposes {@code command} to the current leader; fails if there is none that can reach a majority. */
    public Proposal propose(String command) {
        int leader = leader().orElseThrow(() -> new IllegalStateException("no leader to propose \"" + command
                + "\" to at " + Time.format(nowMicros()) + "; wait for one with awaitLeader\n" + stateTable()));
        return propose(leader, command);
    }

    // ---- Clients of the key-value store (from milestone 5) ------------------------------------------

    /** The clients' ids on the network: client k is {@code 100 + k}. */
    public List<Integer> clientIds() {
        return List.copyOf(clients.keySet());
    }

    /** The network id of client {@code k} (1, 2, ...), for partitions that place clients. */
    public int clientId(int k) {
        return clientHost(ClientConfig.FIRST_ID + k - 1).id;
    }

    final ClientHost clientHost(int id) {
        ClientHost c = clients.get(id);
        if (c == null) {
            throw new IllegalArgumentException(ClientConfig.isClient(id)
                    ? "there is no " + ClientConfig.name(id) + " in this cluster; it has " + clients.size() + " clients (Builder.clients)"
                    : "node" + id + " is a server, not a client");
        }
        return c;
    }

    /**
     * Asks client {@code k} (1, 2, ...) to run {@code operation}, and records the call in the
     * {@link #history()}. The client must have no operation under way. Returns the call's id; the
     * outcome comes as the cluster runs.
     */
    public int submit(int k, Operation operation) {
        ClientHost client = clientHost(ClientConfig.FIRST_ID + k - 1);
        return onClientThread(() -> client.submit(operation));
    }

    /** Whether client {@code k} has an operation under way. */
    public boolean busy(int k) {
        return clientHost(ClientConfig.FIRST_ID + k - 1).busy();
    }

    /**
     * Client {@code k} runs {@code operation}, and the cluster runs until the client answers:
     * returns the outcome, or null if the client had not answered within {@code within}.
     */
    public Outcome perform(int k, Operation operation, Duration within) {
        int call = submit(k, operation);
        runUntil(c -> !c.history.call(call).isPending(), within);
        return history.call(call).outcome();
    }

    /** Every call clients were asked to make, with what they answered. */
    public History history() {
        return history;
    }

    /** Calls {@code listener} after each call completes, on the client's thread (a workload submits the next). */
    public void onCompletion(Consumer<Call> listener) {
        synchronized (completionListeners) {
            completionListeners.add(listener);
        }
    }

    /** A client reports a completed call. */
    final void completed(Call call) {
        List<Consumer<Call>> listeners;
        synchronized (completionListeners) {
            listeners = List.copyOf(completionListeners);
        }
        listeners.forEach(l -> l.accept(call));
    }

    /** Runs {@code action} on the clients' thread of control and returns its result. */
    protected abstract <T> T onClientThread(Supplier<T> action);

    /** What to print when a scenario fails: the state, the network and the last events. */
    public String report() {
        return this + "\n"
                + stateTable()
                + "network: " + network.topology() + "; " + network.conditions() + "\n"
                + "last events:\n" + trace.recentLines(40);
    }

    /** "Cluster of 5 running milestone-1-election, seed 7, at 165.1 ms": what JShell prints for a cluster. */
    @Override
    public String toString() {
        return "Cluster of " + size() + " running " + subject + ", seed " + seed + ", at " + Time.format(nowMicros());
    }

    /** Releases what the servers hold outside memory: the files of disks made with {@link Builder#storeIn}. */
    @Override
    public void close() {
        hosts.values().forEach(Host::closeDisk);
    }
}
