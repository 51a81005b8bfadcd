package harness.testing;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Proposal;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.Role;
import harness.testing.Messages.Ping;
import harness.testing.Messages.Pong;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A server that writes to its disk and syncs, for the tests of what a sync costs in time. What it
 * does on each input is a {@link Script} the test writes; the server keeps, for every input, the
 * virtual time at which it began. It counts its writes in {@link #currentTerm()}; its messages
 * carry term 0, so the safety checker never objects to them.
 */
public final class Syncer implements RaftNode {

    /** What every server of the cluster does on each of its inputs; it ignores messages unless told otherwise. */
    public interface Script {
        void start(Syncer server);

        default void receive(Syncer server, int from, RaftMessage message) {
        }
    }

    /**
     * A busy script: every 10–30 ms a server sends a Ping to every peer, writes and syncs, and sends
     * another; it answers a Ping by writing, syncing and sending a Pong, and a Pong by a sync with
     * nothing to write.
     */
    public static final Script BUSY = new Script() {
        @Override
        public void start(Syncer server) {
            server.startTimer("write", server.env().random().nextLong(10, 31), () -> {
                server.sendToAll(1);
                server.write();
                server.sync();
                server.sendToAll(2);
                start(server);
            });
        }

        @Override
        public void receive(Syncer server, int from, RaftMessage message) {
            if (message instanceof Ping ping) {
                server.write();
                server.sync();
                server.env().send(from, new Pong(0, ping.seq()));
            } else {
                server.sync();
            }
        }
    };

    public static TestImplementation implementation(Script script) {
        return new TestImplementation("syncer", Messages.class, (config, env) -> new Syncer(config, env, script));
    }

    /** A moment a server began an input, and which input it was. */
    public record Input(Duration at, String what) {
    }

    private final NodeConfig config;
    private final Environment env;
    private final Script script;
    private final List<Input> inputs = new ArrayList<>();
    private long writes;

    private Syncer(NodeConfig config, Environment env, Script script) {
        this.config = config;
        this.env = env;
        this.script = script;
    }

    public Environment env() {
        return env;
    }

    public int id() {
        return config.id();
    }

    /** Every input so far, oldest first. */
    public List<Input> inputs() {
        return List.copyOf(inputs);
    }

    /** Writes a new term to the disk; nothing is durable until {@link #sync}. */
    public void write() {
        writes++;
        env.storage().saveTermAndVote(writes, null);
    }

    public void sync() {
        env.storage().sync();
    }

    /** Sends a Ping carrying {@code seq} to every other server. */
    public void sendToAll(int seq) {
        for (int peer : config.peers()) {
            env.send(peer, new Ping(0, seq));
        }
    }

    /** Starts a timer whose input is recorded as "timer NAME". */
    public void startTimer(String name, long millis, Runnable action) {
        env.startTimer(name, Duration.ofMillis(millis), () -> {
            inputs.add(new Input(env.now(), "timer " + name));
            action.run();
        });
    }

    @Override
    public void start() {
        inputs.add(new Input(env.now(), "start"));
        writes = env.storage().load().term(); // a restarted server goes on counting from what it synced
        script.start(this);
    }

    @Override
    public void receive(int from, RaftMessage message) {
        inputs.add(new Input(env.now(), message.getClass().getSimpleName() + " from node" + from));
        script.receive(this, from, message);
    }

    /** A client's proposal: the server sends a Ping carrying 9 to every other server and names no leader. */
    @Override
    public Proposal propose(String command) {
        inputs.add(new Input(env.now(), "propose " + command));
        sendToAll(9);
        return new Proposal.NotLeader(null);
    }

    @Override
    public Role role() {
        return Role.FOLLOWER;
    }

    /** The number of writes so far. */
    @Override
    public long currentTerm() {
        return writes;
    }

    @Override
    public Integer votedFor() {
        return null;
    }
}
