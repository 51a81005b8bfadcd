package harness.suites;

import harness.api.Role;
import harness.api.Rule;
import harness.cluster.Cluster;
import harness.observe.Time;
import harness.observe.TraceEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What graded suites have in common: time in words, failures in the course's words, watches. */
abstract class SuiteSupport {

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }

    /** Fails the scenario with a message that names the rule. */
    static AssertionError violation(Rule rule, String whatHappened) {
        return new AssertionError(rule.violated(whatHappened));
    }

    static void check(boolean condition, Rule rule, String whatHappened) {
        if (!condition) {
            throw violation(rule, whatHappened);
        }
    }

    /** Runs until a leader that reaches a majority exists; otherwise fails naming the liveness rule. */
    static int requireLeader(Cluster cluster, Duration within, String situation) {
        if (!cluster.runUntil(c -> c.leader().isPresent(), within)) {
            throw violation(Rule.ELECTION_LIVENESS, "no leader within " + Time.format(within) + " " + situation
                    + "; " + electionDiagnosis(cluster));
        }
        return cluster.leader().orElseThrow();
    }

    /** Where an election that produced no leader went wrong, as far as the counters tell. */
    static String electionDiagnosis(Cluster cluster) {
        long requests = cluster.stats().sent("RequestVote");
        long replies = cluster.stats().sent("RequestVoteReply");
        if (cluster.maxTerm() == 0) {
            return "no server ever stood for election (every term is 0): does start() set an election timer whose action"
                    + " starts an election?";
        }
        if (requests == 0) {
            return "servers reached term " + cluster.maxTerm() + " but sent no RequestVote: a candidate asks every other server";
        }
        return "servers reached term " + cluster.maxTerm() + " and sent " + requests + " RequestVotes and " + replies
                + " replies, yet no candidate won. Either the votes split every time (do servers draw their election"
                + " timeouts at random, so one usually stands first?) or they were not granted or not counted (does a"
                + " server grant a vote when it may, and does a candidate become leader once a majority granted it?)";
    }

    /** Records every election won while it is open: who became leader of which term, and when. */
    static final class Elections implements AutoCloseable {
        record Won(long timeMicros, int node, long term) {
            @Override
            public String toString() {
                return "node" + node + " won term " + term + " at " + Time.format(timeMicros);
            }
        }

        private final Cluster cluster;
        private final List<Won> won = new ArrayList<>();
        private final java.util.function.Consumer<TraceEvent> listener = this::onEvent;

        Elections(Cluster cluster) {
            this.cluster = cluster;
            cluster.trace().subscribe(listener);
        }

        private void onEvent(TraceEvent e) {
            if (e instanceof TraceEvent.RoleChanged r && r.to() == Role.LEADER) {
                won.add(new Won(r.timeMicros(), r.node(), r.term()));
            }
        }

        List<Won> won() {
            return List.copyOf(won);
        }

        @Override
        public void close() {
            cluster.trace().unsubscribe(listener);
        }
    }
}
