package harness.testing;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.Role;
import harness.testing.Messages.Ping;
import harness.testing.Messages.Pong;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server that is no Raft at all: it starts a "ping" timer drawn at random from its
 * environment, sends a {@link Ping} to every peer when it fires (and starts it again), answers
 * every Ping with a {@link Pong}, and counts the messages it received in {@link #currentTerm()}.
 * Its messages carry term 0, so the safety checker never objects to them.
 *
 * <p>Options make it misbehave on purpose: throw on a chosen input, or send to a server id that
 * does not exist.
 */
public final class Pinger implements RaftNode {

    /** The server with this id throws while handling this input ("start", "ping" for the timer, "Ping" or "Pong"). */
    public record FailOn(int id, String input) {
    }

    /** How a cluster of pingers behaves. */
    public static final class Options {
        long minMillis = 10;
        long maxMillis = 30;
        FailOn failOn;
        Integer alsoSendTo;
        /** The threads that ran a pinger's code, for the real-time tests. */
        public final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        public Options timerMillis(long min, long max) {
            this.minMillis = min;
            this.maxMillis = max;
            return this;
        }

        public Options failOn(int id, String input) {
            this.failOn = new FailOn(id, input);
            return this;
        }

        public Options alsoSendTo(int id) {
            this.alsoSendTo = id;
            return this;
        }
    }

    /** A pinger implementation with default options. */
    public static TestImplementation implementation() {
        return implementation(new Options());
    }

    public static TestImplementation implementation(Options options) {
        return new TestImplementation("pinger", Messages.class, (config, env) -> new Pinger(config, env, options));
    }

    private final NodeConfig config;
    private final Environment env;
    private final Options options;
    private int seq;
    private long received;

    public Pinger(NodeConfig config, Environment env, Options options) {
        this.config = config;
        this.env = env;
        this.options = options;
    }

    private void maybeFail(String input) {
        options.threads.add(Thread.currentThread());
        FailOn f = options.failOn;
        if (f != null && f.id() == config.id() && f.input().equals(input)) {
            throw new IllegalStateException("boom in " + input);
        }
    }

    @Override
    public void start() {
        maybeFail("start");
        startTimer();
    }

    private void startTimer() {
        long delay = env.random().nextLong(options.minMillis, options.maxMillis + 1);
        env.startTimer("ping", Duration.ofMillis(delay), this::ping);
    }

    private void ping() {
        maybeFail("ping");
        seq++;
        for (int peer : config.peers()) {
            env.send(peer, new Ping(0, seq));
        }
        if (options.alsoSendTo != null) {
            env.send(options.alsoSendTo, new Ping(0, seq));
        }
        startTimer();
    }

    @Override
    public void receive(int from, RaftMessage message) {
        maybeFail(message.getClass().getSimpleName());
        received++;
        if (message instanceof Ping p) {
            env.send(from, new Pong(0, p.seq()));
        }
    }

    @Override
    public Role role() {
        return Role.FOLLOWER;
    }

    /** The number of messages received so far. */
    @Override
    public long currentTerm() {
        return received;
    }

    @Override
    public Integer votedFor() {
        return null;
    }
}
