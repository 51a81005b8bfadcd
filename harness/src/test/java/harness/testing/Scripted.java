package harness.testing;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.Role;
import harness.testing.Messages.Ping;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A server that plays a fixed script: at each step's time it takes the step's role, term and
 * vote, so tests can put a cluster into any state (two leaders of different terms, a stale
 * leader, an illegal history) without running a real election. A step may also send a {@link
 * Ping} of a chosen term to every peer; it sends it <em>before</em> changing its state, so a test
 * can check that the trace still lists the state change first. A scripted server ignores every
 * message it receives unless told to adopt higher terms.
 */
public final class Scripted implements RaftNode {

    /** At {@code atMillis}: send a Ping of {@code sendTerm} to every peer (if not negative), then take this state. */
    public record Step(long atMillis, Role role, long term, Integer votedFor, long sendTerm) {
        public static Step at(long atMillis, Role role, long term, Integer votedFor) {
            return new Step(atMillis, role, term, votedFor, -1);
        }

        public Step sending(long term) {
            return new Step(atMillis, role, this.term, votedFor, term);
        }
    }

    /** Servers play their steps; those without a script stay followers of term 0. */
    public static TestImplementation implementation(Map<Integer, List<Step>> script) {
        return implementation(script, false);
    }

    /** As above; with {@code adoptHigherTerms}, a received message of a higher term makes the server a follower of that term. */
    public static TestImplementation implementation(Map<Integer, List<Step>> script, boolean adoptHigherTerms) {
        return new TestImplementation("scripted", Messages.class,
                (config, env) -> new Scripted(config, env, script.getOrDefault(config.id(), List.of()), adoptHigherTerms));
    }

    private final NodeConfig config;
    private final Environment env;
    private final List<Step> steps;
    private final boolean adoptHigherTerms;
    private Role role = Role.FOLLOWER;
    private long term;
    private Integer votedFor;

    private Scripted(NodeConfig config, Environment env, List<Step> steps, boolean adoptHigherTerms) {
        this.config = config;
        this.env = env;
        this.steps = steps;
        this.adoptHigherTerms = adoptHigherTerms;
    }

    @Override
    public void start() {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            env.startTimer("step" + (i + 1), Duration.ofMillis(step.atMillis()), () -> play(step));
        }
    }

    private void play(Step step) {
        if (step.sendTerm() >= 0) {
            for (int peer : config.peers()) {
                env.send(peer, new Ping(step.sendTerm(), 0));
            }
        }
        role = step.role();
        term = step.term();
        votedFor = step.votedFor();
    }

    @Override
    public void receive(int from, RaftMessage message) {
        if (adoptHigherTerms && message.term() > term) {
            term = message.term();
            role = Role.FOLLOWER;
            votedFor = null;
        }
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public long currentTerm() {
        return term;
    }

    @Override
    public Integer votedFor() {
        return votedFor;
    }
}
