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

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * One Raft server as an operating-system process: the same node code as in the simulator, with
 * the wall clock for its timers, files for its storage, and TCP for its messages.
 *
 * <p>Everything the node does runs on one thread, the event loop: it reads the sockets that have
 * frames, handles what they brought, syncs, writes the answers, and waits on a selector for more
 * (the shape of Redis's event loop). No other thread touches the node, so it needs no locks, as in
 * the simulator; the one other thread fires timers, and hands each to the loop. The sockets
 * never block: a write takes what the socket accepts and the rest waits, bounded, on its
 * {@link Connection}; so a slow or paused peer never holds up the others.
 *
 * <p>Connections, and what a frame must be to get through, are {@link Sockets}'s part; this class
 * decides what a frame is for: the node, a status request, or nothing (refused).
 */
public final class TcpNode implements Environment, AutoCloseable {

    /** Types a client may send; anything else from a client id is refused. */
    private static final Set<String> CLIENT_TYPES = Set.of("ClientRequest", "ReadRequest", "Status");

    private final int id;
    private final RaftImplementation implementation;
    private final MessageCodec codec;
    private final boolean trace;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final WallClockTimers timers;
    private final RandomGenerator random;
    private final ScheduledExecutorService timerThread;
    private final Thread loop;
    private final Sockets sockets;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final FileVolume volume;
    private final LogStore store;
    private final RaftNode node;
    private StateMachine stateMachine;
    private long lastApplied;
    private volatile boolean closed;
    private final Queue<Runnable> inputs = new ConcurrentLinkedQueue<>(); // what the loop's next batch handles
    private final List<Outgoing> replication = new ArrayList<>(); // the batch's AppendEntries
    private final List<Outgoing> outbox = new ArrayList<>(); // the batch's other messages
    private boolean syncWanted;
    private final long startBy = System.nanoTime() + START_WAIT.toNanos();
    /** Set once the node has booted from its storage: a message handed to it before would meet an empty log. */
    private boolean started;

    /**
     * Opens the data directory (locked against a second process), the listening port and the
     * links to the peers, then boots the node on its event loop. Every way this can fail throws
     * {@link StartFailure} with a message that says what to do.
     */
    public TcpNode(int id, List<Integer> peers, Addresses addresses, InetSocketAddress bind, RaftImplementation implementation,
                   Path data, FileVolume.LogFiles logFiles, long seed, boolean trace, PrintStream out) throws StartFailure {
        this.id = id;
        this.implementation = implementation;
        this.codec = new MessageCodec(implementation.messageType());
        this.trace = trace;
        this.out = out;
        this.random = new SplittableRandom(seed * 100 + id); // one --seed serves a whole cluster: each node draws its own
        this.timerThread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "timers"));
        this.timers = new WallClockTimers(timerThread, this::runOnLoop); // a timer that fires is an input of the next batch
        this.volume = openVolume(data, logFiles);
        this.lockFile = openLock(data);
        this.lock = tryLock(lockFile, data);
        this.store = openStore(volume, data);
        this.batchedStorage = store.withSync(() -> syncWanted = true);
        this.sockets = new Sockets(id, peers, addresses, bind, this::receive, this::log);
        this.stateMachine = implementation.newStateMachine();
        // A store serves clients; one connection carries a node's messages to a peer, in order.
        NodeConfig config = new NodeConfig(id, peers, Timing.DEFAULT, stateMachine != null, true);
        this.node = implementation.create(config, this);
        this.loop = daemon(guarded(this::run), "node" + id);
        loop.start();
        log("node" + id + " of " + implementation.name() + " listening on " + Addresses.format(sockets.address()) + ", data in "
                + data.toAbsolutePath() + ", peers " + sockets.peerList());
        log(store.recoveryReport()); // after kill -9: what the disk held, and the log's zeros made ahead cut off
    }

    /** A node that could not start: the message names the file or port and what to do. */
    public static final class StartFailure extends Exception {
        public StartFailure(String message) {
            super(message);
        }
    }

    private static FileVolume openVolume(Path data, FileVolume.LogFiles logFiles) throws StartFailure {
        try {
            return new FileVolume(data, logFiles);
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
     * batch as needing one. The batch ends with one fsync, then its messages leave (all but the
     * leader's AppendEntries, which need not wait: see {@link #run}); so nothing the node sends
     * gets ahead of the disk it depends on (Figure 2), and a burst of inputs costs one fsync.
     */
    private final Storage batchedStorage;

    /**
     * Starts the node (its election timer) once every peer is reachable, or after {@link #START_WAIT}:
     * servers started one after another then begin together, and the first election is not lost
     * to peers that are still booting (with fixed seeds, the same server wins it every time).
     */
    private void startOncePeersAreUp() {
        if (!started && (System.nanoTime() > startBy || sockets.peersReachable())) {
            node.start();
            started = true;
        }
    }

    /** How long a node waits at boot for its peers before it starts anyway. */
    static final Duration START_WAIT = Duration.ofSeconds(5);

    // ---- Messages that arrive -------------------------------------------------------------------

    /** A frame whose sender {@link Sockets} has checked: refused if it is not for this node, else an input. */
    private void receive(Envelope envelope, Connection connection) throws Envelope.BadEnvelope {
        int from = envelope.from();
        if (ClientConfig.isClient(from) && !CLIENT_TYPES.contains(envelope.type())) {
            throw new Envelope.BadEnvelope(ClientConfig.name(from) + " sent " + envelope.type() + ", a message"
                    + " between servers; a client sends " + CLIENT_TYPES);
        }
        if (envelope.type().equals("Hello")) {
            return; // a peer's new connection names its sender: nothing to hand the node
        }
        if (envelope.type().equals("Status")) {
            runOnLoop(() -> sockets.answer(connection, Envelope.wrap("StatusReply", id, status())));
            return;
        }
        RaftMessage message = envelope.message(codec);
        if (trace) {
            log("← " + ClientConfig.name(from) + " " + envelope.type() + " " + envelope.fields());
        }
        if (started) {
            runOnLoop(() -> node.receive(from, message));
        } // else lost, as if it had come before the process listened: its sender sends again
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
        s.put("address", Addresses.format(sockets.address()));
        s.put("milestone", implementation.name());
        return s;
    }

    // ---- The event loop -------------------------------------------------------------------------

    /**
     * The event loop. Each turn reads every socket that has something, then handles the inputs
     * that brought, and any timers that fired, as one batch (etcd's Ready, thesis §10.2.1): up to
     * {@link #BATCH} inputs, then one sync if any of them asked for it, and only then the messages
     * they produced leave.
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
    private void run() {
        while (!closed && sockets.poll(!inputs.isEmpty())) {
            startOncePeersAreUp();
            drain();
        }
    }

    /** Queues an input for the loop's next batch; from another thread, wakes the loop for it. */
    private void runOnLoop(Runnable task) {
        inputs.add(task);
        if (Thread.currentThread() != loop) {
            sockets.wakeup();
        }
    }

    private void drain() {
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
    }

    private void releaseAll(List<Outgoing> messages) {
        messages.forEach(m -> sockets.send(m.to(), m.frame()));
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

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closed = true;
        timerThread.shutdownNow();
        sockets.wakeup();
        try {
            loop.join(2000);
            sockets.close();
            lock.release();
            lockFile.close();
        } catch (IOException | InterruptedException ignored) {
            // the process is ending
        }
        volume.close();
    }
}
