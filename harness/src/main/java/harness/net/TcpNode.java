package harness.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import harness.api.ClientConfig;
import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.RaftImplementation;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.StateMachine;
import harness.api.Storage;
import harness.api.Timing;
import harness.storage.FileVolume;
import harness.storage.LogStore;
import harness.wire.MessageCodec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * One Raft server as an operating-system process: the same node code as in the simulator, with
 * the wall clock for its timers, files for its storage, and TCP for its messages.
 *
 * <p>Everything the node does runs on one thread, the event loop: messages that arrive, timers
 * that fire, status requests. Other threads only read sockets and write them: one reader per
 * connection that arrives, one writer per peer ({@link PeerLink}), one writer per client. So the
 * node needs no locks, as in the simulator.
 *
 * <p>Connections: each server opens one connection to each peer and sends on it; it receives on
 * the connections its peers open to it. A client opens a connection to a server and gets its
 * answers on that same connection. Every frame names its sender; a frame that is not the course's
 * protocol closes its connection, says why on standard error, and changes nothing else.
 */
public final class TcpNode implements Environment, AutoCloseable {

    /** Types a client may send; anything else from a client id is refused. */
    private static final Set<String> CLIENT_TYPES = Set.of("ClientRequest", "ReadRequest", "Status");

    private final int id;
    private final List<Integer> peers;
    private final Addresses addresses;
    private final RaftImplementation implementation;
    private final MessageCodec codec;
    private final boolean trace;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final WallClockTimers timers;
    private final RandomGenerator random;
    private final ScheduledExecutorService loop;
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> daemon(r, "reader"));
    private final Map<Integer, PeerLink> links = new HashMap<>();
    private final Map<Integer, ClientLink> clients = new ConcurrentHashMap<>();
    private final Set<Integer> heardFrom = ConcurrentHashMap.newKeySet(); // peers that have connected to this node
    private final FileChannel lockFile;
    private final FileLock lock;
    private final FileVolume volume;
    private final LogStore store;
    private final ServerSocket listener;
    private final RaftNode node;
    private StateMachine stateMachine;
    private long lastApplied;
    private volatile boolean closed;
    private final java.util.Queue<Runnable> inputs = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Outgoing> replication = new java.util.ArrayList<>(); // the batch's AppendEntries, on the loop only
    private final List<Outgoing> outbox = new java.util.ArrayList<>(); // the batch's other messages, on the loop only
    private boolean syncWanted; // on the loop only
    /** Set once the node has booted from its storage: a message handed to it before would meet an empty log. */
    private volatile boolean started;

    /**
     * Opens the data directory (locked against a second process), the listening port and the
     * links to the peers, then boots the node on its event loop. Every way this can fail throws
     * {@link StartFailure} with a message that says what to do.
     */
    public TcpNode(int id, List<Integer> peers, Addresses addresses, InetSocketAddress bind, RaftImplementation implementation,
                   Path data, long seed, boolean trace, PrintStream out) throws StartFailure {
        this.id = id;
        this.peers = List.copyOf(peers);
        this.addresses = addresses;
        this.implementation = implementation;
        this.codec = new MessageCodec(implementation.messageType());
        this.trace = trace;
        this.out = out;
        this.random = new SplittableRandom(seed * 100 + id); // one --seed serves a whole cluster: each node draws its own
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "node" + id));
        this.timers = new WallClockTimers(loop, this::runOnLoop); // a timer that fires is an input of the next batch
        this.volume = openVolume(data);
        this.lockFile = openLock(data);
        this.lock = tryLock(lockFile, data);
        this.store = openStore(volume, data);
        this.batchedStorage = store.withSync(() -> syncWanted = true);
        this.listener = listen(bind, id);
        for (int peer : peers) {
            links.put(peer, new PeerLink("node" + peer, addresses.of(peer), Envelope.wrap("Hello", id, Envelope.JSON.createObjectNode()),
                    this::log));
        }
        this.stateMachine = implementation.newStateMachine();
        NodeConfig config = new NodeConfig(id, peers, Timing.DEFAULT, stateMachine != null); // a store serves clients
        this.node = implementation.create(config, this);
        Thread acceptor = daemon(this::accept, "accept");
        acceptor.start();
        daemon(this::startOncePeersAreUp, "start").start();
        log("node" + id + " of " + implementation.name() + " listening on " + Addresses.format(bindAddress()) + ", data in "
                + data.toAbsolutePath() + ", peers " + peerList());
    }

    /** A node that could not start: the message names the file or port and what to do. */
    public static final class StartFailure extends Exception {
        public StartFailure(String message) {
            super(message);
        }
    }

    private static FileVolume openVolume(Path data) throws StartFailure {
        try {
            return new FileVolume(data);
        } catch (java.io.UncheckedIOException e) {
            throw new StartFailure(e.getMessage() + ": check that " + data.toAbsolutePath().getParent() + " exists and this user"
                    + " may write there, or choose another --data");
        }
    }

    private static FileChannel openLock(Path data) throws StartFailure {
        try {
            return FileChannel.open(data.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StartFailure("cannot open " + data.resolve("lock") + " (" + e.getMessage() + "): check that the data"
                    + " directory " + data + " is writable by this user, or choose another with --data");
        }
    }

    private static FileLock tryLock(FileChannel channel, Path data) throws StartFailure {
        FileLock l;
        try {
            l = channel.tryLock();
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            throw new StartFailure("the data directory " + data.toAbsolutePath() + " is in use by another running raft-node"
                    + " (it holds the lock on " + data.resolve("lock") + "): stop that node first, or give this one its own --data");
        }
        return l;
    }

    private static LogStore openStore(FileVolume volume, Path data) throws StartFailure {
        try {
            LogStore s = LogStore.open(volume);
            s.load();
            return s;
        } catch (harness.storage.CorruptStorageException e) {
            throw new StartFailure("the stored state in " + data.toAbsolutePath() + " is damaged: " + e.getMessage() + ". The"
                    + " node will not start on it. If the other servers hold the data, move this directory aside and start"
                    + " with an empty one: the node then catches up from the leader");
        } catch (java.io.UncheckedIOException e) {
            throw new StartFailure("cannot read the stored state in " + data.toAbsolutePath() + ": " + e.getMessage()
                    + ". Check the files' permissions, or choose another --data");
        }
    }

    private static ServerSocket listen(InetSocketAddress bind, int id) throws StartFailure {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(bind.getHostString(), bind.getPort()));
            return s;
        } catch (java.net.BindException e) {
            throw new StartFailure("port " + bind.getPort() + " on " + bind.getHostString() + " is in use (" + e.getMessage()
                    + "): is node" + id + " already running? Stop it, or place this node elsewhere with --listen HOST:PORT"
                    + " (and --peer " + id + "=HOST:PORT on the others)");
        } catch (IOException e) {
            throw new StartFailure("cannot listen on " + Addresses.format(bind) + ": " + e.getMessage());
        }
    }

    // ---- The environment ------------------------------------------------------------------------

    @Override
    public void send(int to, RaftMessage message) {
        byte[] frame = Envelope.encode(codec, id, message);
        if (trace) {
            log("→ " + ClientConfig.name(to) + " " + new String(frame, java.nio.charset.StandardCharsets.UTF_8));
        }
        Outgoing outgoing = new Outgoing(to, frame);
        if (MessageCodec.typeName(message).equals("AppendEntries")) {
            replication.add(outgoing); // leaves with the batch, before its sync: see drain()
        } else {
            outbox.add(outgoing); // leaves with the batch, after its sync
        }
    }

    private record Outgoing(int to, byte[] frame) {
    }

    /** Puts a frame on its way: to a peer's link, or to a client's connection (a client that has gone loses it). */
    private void release(Outgoing message) {
        PeerLink link = links.get(message.to());
        if (link != null) {
            link.offer(message.frame());
            return;
        }
        ClientLink client = clients.get(message.to());
        if (client != null) {
            client.offer(message.frame());
        }
    }

    @Override
    public void startTimer(String name, Duration delay, Runnable action) {
        timers.start(name, delay, action);
    }

    @Override
    public void cancelTimer(String name) {
        timers.cancel(name);
    }

    @Override
    public Duration now() {
        return timers.now();
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public void log(String message) {
        synchronized (out) {
            out.printf("%10.3f  node%d  %s%n", (System.nanoTime() - startNanos) / 1e9, id, message);
            out.flush();
        }
    }

    @Override
    public String apply(long index, String command) {
        if (index != lastApplied + 1) {
            throw new IllegalStateException("node" + id + " applied index " + index + " after " + lastApplied
                    + ": entries are applied once each, in order");
        }
        lastApplied = index;
        return stateMachine == null ? "" : stateMachine.apply(command);
    }

    @Override
    public String query(String command) {
        if (stateMachine == null) {
            return Environment.super.query(command);
        }
        return stateMachine.query(command);
    }

    @Override
    public Storage storage() {
        return batchedStorage;
    }

    /**
     * The store as the node sees it: writes go to the store at once, but a sync only marks the
     * batch as needing one. The batch ends with one fsync, then its messages leave; so nothing
     * the node sends gets ahead of the disk (Figure 2), and a burst of inputs costs one fsync.
     */
    private final Storage batchedStorage;

    /**
     * Starts the node (its election timer) once every peer is reachable, or after {@link #START_WAIT}:
     * servers started one after another then begin together, and the first election is not lost
     * to peers that are still booting (with fixed seeds, the same server wins it every time).
     */
    private void startOncePeersAreUp() {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (!closed && System.nanoTime() < deadline
                && !peers.stream().allMatch(p -> links.get(p).connected() || heardFrom.contains(p))) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
        runOnLoop(() -> {
            node.start();
            started = true;
        });
    }

    /** How long a node waits at boot for its peers before it starts anyway. */
    static final Duration START_WAIT = Duration.ofSeconds(5);

    // ---- Connections that arrive ----------------------------------------------------------------

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log("stopped accepting connections: " + e.getMessage());
                }
                return;
            }
            readers.execute(() -> serve(s));
        }
    }

    /** Reads one connection's frames until it closes or breaks the protocol. */
    private void serve(Socket socket) {
        String remote = socket.getRemoteSocketAddress().toString().replaceFirst("^/", "");
        Integer sender = null;
        ClientLink answers = null;
        try (socket) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            while (!closed) {
                byte[] frame = Frames.read(in);
                if (frame == null) {
                    return;
                }
                Envelope envelope = Envelope.decode(frame);
                int from = envelope.from();
                if (sender == null) {
                    checkSender(from);
                    sender = from;
                    if (!ClientConfig.isClient(from)) {
                        heardFrom.add(from);
                    }
                    if (ClientConfig.isClient(from)) {
                        answers = new ClientLink(socket.getOutputStream());
                        clients.put(from, answers);
                    }
                } else if (from != sender) {
                    throw new Envelope.BadEnvelope("a frame claims to come from " + ClientConfig.name(from) + " on the"
                            + " connection of " + ClientConfig.name(sender) + ": one connection, one sender");
                }
                handle(envelope, answers);
            }
        } catch (Frames.BadFrame | Envelope.BadEnvelope e) {
            log("refused a frame from " + (sender == null ? remote : ClientConfig.name(sender) + " (" + remote + ")") + ": "
                    + e.getMessage() + "; closed that connection, nothing else changed");
        } catch (IOException e) {
            // the peer went away: it reconnects when it can
        } finally {
            if (answers != null) {
                clients.remove(sender, answers);
                answers.close();
            }
        }
    }

    private void checkSender(int from) throws Envelope.BadEnvelope {
        if (ClientConfig.isClient(from)) {
            return;
        }
        if (from == id || !peers.contains(from)) {
            throw new Envelope.BadEnvelope("a frame from node" + from + ", which is not a peer of node" + id + " (its peers are "
                    + peerList() + "): check --peers on both");
        }
    }

    private void handle(Envelope envelope, ClientLink answers) throws Envelope.BadEnvelope {
        int from = envelope.from();
        if (ClientConfig.isClient(from) && !CLIENT_TYPES.contains(envelope.type())) {
            throw new Envelope.BadEnvelope(ClientConfig.name(from) + " sent " + envelope.type() + ", a message"
                    + " between servers; a client sends " + CLIENT_TYPES);
        }
        if (envelope.type().equals("Hello")) {
            return; // a peer's new connection names its sender: nothing to hand the node
        }
        if (envelope.type().equals("Status")) {
            ClientLink to = answers;
            runOnLoop(() -> {
                byte[] reply = Envelope.wrap("StatusReply", id, status());
                if (to != null) {
                    to.offer(reply);
                } else if (links.containsKey(from)) {
                    links.get(from).offer(reply);
                }
            });
            return;
        }
        RaftMessage message = envelope.message(codec);
        if (trace) {
            log("← " + ClientConfig.name(from) + " " + envelope.type() + " " + envelope.fields());
        }
        runOnLoop(() -> {
            if (started) {
                node.receive(from, message);
            } // else lost, as if it had come before the process listened: its sender sends again
        });
    }

    /** What {@code raft-client status} shows of this server, read on the event loop. */
    private ObjectNode status() {
        ObjectNode s = Envelope.JSON.createObjectNode();
        s.put("id", id);
        s.put("role", node.role().title());
        s.put("term", node.currentTerm());
        s.put("commit_index", node.commitIndex());
        s.put("last_applied", lastApplied);
        s.put("log_length", node.logStart() - 1 + node.log().size());
        s.put("address", Addresses.format(bindAddress()));
        s.put("milestone", implementation.name());
        return s;
    }

    // ---- The event loop -------------------------------------------------------------------------

    /**
     * Queues an input for the event loop. Inputs are handled in batches (etcd's Ready, thesis
     * §10.2.1): the loop handles every input that is waiting, up to {@link #BATCH}, syncs once if
     * any of them asked for it, and only then releases the messages they produced.
     *
     * <p>One kind leaves before the sync: the leader's AppendEntries, so that followers write the
     * new entries while the leader writes them too (thesis §10.2.1, "write to its disk in parallel").
     * Figure 2 is still kept. An AppendEntries does not depend on the leader's own copy: its term was
     * made durable before the election's RequestVotes left, and its leaderCommit counts entries
     * made durable by earlier batches only (below). The leader counts its own log toward a
     * majority, and that is safe because an acknowledgement can only be handled in a later batch,
     * which begins after this batch's sync: the entries a follower acknowledges are then on the
     * leader's disk too. That is why the AppendEntries wait for the end of the batch's inputs
     * rather than leave the moment they are sent: a reply handled in the same batch could commit an
     * entry only the follower has on disk. Everything else, votes, acknowledgements, answers to
     * clients, waits for the sync.
     */
    private void runOnLoop(Runnable task) {
        inputs.add(task);
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(guarded(this::drain));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: nothing runs any more
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Runnable input;
        for (int handled = 0; handled < BATCH && (input = inputs.poll()) != null; handled++) {
            input.run();
        }
        releaseAll(replication); // the followers write while this server writes
        if (syncWanted) {
            store.sync();
            syncWanted = false;
        }
        releaseAll(outbox);
        if (!inputs.isEmpty()) {
            scheduleDrain();
        }
    }

    private void releaseAll(List<Outgoing> messages) {
        messages.forEach(this::release);
        messages.clear();
    }

    /** The most inputs one batch handles before it syncs and sends. */
    static final int BATCH = 1024;

    /** A failure of the node's own code stops the process: a server that broke a rule must not go on. */
    private Runnable guarded(Runnable task) {
        return () -> {
            if (closed) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log("stopping: the node failed: " + e);
                e.printStackTrace(out);
                out.flush();
                Runtime.getRuntime().halt(1);
            }
        };
    }

    private InetSocketAddress bindAddress() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private String peerList() {
        StringBuilder s = new StringBuilder();
        for (int p : peers) {
            s.append(s.length() == 0 ? "" : ", ").append("node").append(p).append(" at ").append(Addresses.format(addresses.of(p)));
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.values().forEach(PeerLink::close);
        clients.values().forEach(ClientLink::close);
        loop.shutdownNow();
        readers.shutdownNow();
        try {
            loop.awaitTermination(2, TimeUnit.SECONDS);
            lock.release();
            lockFile.close();
        } catch (IOException | InterruptedException ignored) {
            // the process is ending
        }
        volume.close();
    }

    /** Answers to one client, on the connection it opened: written by a thread of its own, bounded like a peer's. */
    private static final class ClientLink implements AutoCloseable {
        private final java.util.concurrent.BlockingQueue<byte[]> queue = new java.util.concurrent.ArrayBlockingQueue<>(PeerLink.QUEUE_FRAMES);
        private final OutputStream out;
        private final Thread writer;
        private volatile boolean closed;

        ClientLink(OutputStream raw) {
            this.out = new BufferedOutputStream(raw, 1 << 16);
            this.writer = daemon(this::pump, "client-writer");
            writer.start();
        }

        void offer(byte[] frame) {
            queue.offer(frame); // a client that does not read its answers loses them
        }

        private void pump() {
            try {
                while (!closed) {
                    byte[] frame = queue.take();
                    Frames.write(out, frame);
                    byte[] more;
                    while ((more = queue.poll()) != null) {
                        Frames.write(out, more);
                    }
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        @Override
        public void close() {
            closed = true;
            writer.interrupt();
        }
    }
}
