package harness.testing;

import harness.api.Entry;
import harness.api.Environment;
import harness.api.Proposal;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.Role;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A server with a log that plays a fixed script, like {@link Scripted}: at each step's time it
 * takes the step's role, term and vote, and, if the step says so, its log and commitIndex; then it
 * applies the step's indexes, in the order listed, through {@link Environment#apply} (the command
 * is that of its own log entry at the index, or "nothing" if it has none), so tests can make a
 * cluster apply legally or illegally. It keeps the state machine's answers in {@link #answers()}.
 *
 * <p>It answers {@link #propose} as a leader would, by appending the command in its current term,
 * and otherwise with {@link Proposal.NotLeader}, naming as leader the server it voted for if it is
 * a follower (in scripts, followers vote for the leader). It ignores every message it receives.
 * After a restart it starts over: empty log, commitIndex 0, and its script played again from the
 * restart.
 */
public final class LogScripted implements RaftNode {

    /**
     * At {@code atMillis}: take the role, term and vote; if {@code log} is not null, take {@code
     * logStart} and {@code log}; if {@code commitIndex} is not null, take it; then apply each of
     * {@code apply}.
     */
    public record Step(long atMillis, Role role, long term, Integer votedFor,
                       long logStart, List<Entry> log, Long commitIndex, List<Long> apply) {

        /** Takes the role, term and vote; keeps the log and commitIndex; applies nothing. */
        public static Step at(long atMillis, Role role, long term, Integer votedFor) {
            return new Step(atMillis, role, term, votedFor, 1, null, null, List.of());
        }

        /** Also replaces the log by {@code entries}, from index 1. */
        public Step log(Entry... entries) {
            return logFrom(1, entries);
        }

        /** Also replaces the log by {@code entries}, the first at index {@code start} (as after a snapshot). */
        public Step logFrom(long start, Entry... entries) {
            return new Step(atMillis, role, term, votedFor, start, List.of(entries), commitIndex, apply);
        }

        /** Also sets commitIndex. */
        public Step commit(long index) {
            return new Step(atMillis, role, term, votedFor, logStart, log, index, apply);
        }

        /** Then applies these indexes, in this order. */
        public Step apply(long... indexes) {
            return new Step(atMillis, role, term, votedFor, logStart, log, commitIndex, Arrays.stream(indexes).boxed().toList());
        }
    }

    /** Servers play their steps; those without a script stay followers of term 0 with an empty log. */
    public static TestImplementation implementation(Map<Integer, List<Step>> script) {
        return new TestImplementation("log-scripted", Messages.class,
                (config, env) -> new LogScripted(env, script.getOrDefault(config.id(), List.of())));
    }

    /** Shorthand for a list of steps. */
    public static List<Step> steps(Step... steps) {
        return Arrays.asList(steps);
    }

    private final Environment env;
    private final List<Step> steps;
    private final List<Entry> log = new ArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private Role role = Role.FOLLOWER;
    private long term;
    private Integer votedFor;
    private long logStart = 1;
    private long commitIndex;

    private LogScripted(Environment env, List<Step> steps) {
        this.env = env;
        this.steps = steps;
    }

    @Override
    public void start() {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            env.startTimer("step" + (i + 1), Duration.ofMillis(step.atMillis()), () -> play(step));
        }
    }

    private void play(Step step) {
        role = step.role();
        term = step.term();
        votedFor = step.votedFor();
        if (step.log() != null) {
            logStart = step.logStart();
            log.clear();
            log.addAll(step.log());
        }
        if (step.commitIndex() != null) {
            commitIndex = step.commitIndex();
        }
        for (long index : step.apply()) {
            boolean held = index >= logStart && index < logStart + log.size();
            answers.add(env.apply(index, held ? log.get((int) (index - logStart)).command() : "nothing"));
        }
    }

    @Override
    public Proposal propose(String command) {
        if (role != Role.LEADER) {
            return new Proposal.NotLeader(role == Role.FOLLOWER ? votedFor : null);
        }
        log.add(new Entry(term, command));
        return new Proposal.Accepted(logStart + log.size() - 1, term);
    }

    /** What the state machine answered to each of this server's applies, in order. */
    public List<String> answers() {
        return List.copyOf(answers);
    }

    @Override
    public void receive(int from, RaftMessage message) {
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

    @Override
    public List<Entry> log() {
        return List.copyOf(log);
    }

    @Override
    public long logStart() {
        return logStart;
    }

    @Override
    public long commitIndex() {
        return commitIndex;
    }
}
