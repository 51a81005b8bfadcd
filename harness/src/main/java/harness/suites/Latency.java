package harness.suites;

import harness.api.Rule;
import harness.api.Timing;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.observe.NodeView;
import harness.observe.Time;
import harness.observe.TraceEvent;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static harness.grade.Scenario.cluster;
import static harness.suites.Commits.rotated;
import static harness.suites.SuiteSupport.check;
import static harness.suites.SuiteSupport.millis;
import static harness.suites.SuiteSupport.requireAccepted;
import static harness.suites.SuiteSupport.requireAcceptedRun;
import static harness.suites.SuiteSupport.requireLeader;
import static harness.suites.SuiteSupport.seconds;
import static harness.suites.SuiteSupport.states;

/**
 * The latency budget of suites 2 and 3, in simulated time on a reliable network: a new entry
 * leaves the leader at once, not with its next heartbeat, and a follower that missed entries gets
 * the next ones as soon as its reply shows what it lacks. Suite 2 measures until the entry is in
 * every follower's log; suite 3, until the leader has committed and applied it.
 */
final class Latency {

    static final int PROMPT_PROPOSALS = 40;
    static final int CATCH_UP_ENTRIES = 300;
    /**
     * Election timeouts long enough that a follower cut off while the leader takes a few hundred
     * entries does not stand for election, so that what it takes to catch up is replication alone.
     */
    static final Timing PATIENT = new Timing(Duration.ofMillis(600), Duration.ofMillis(1200), Duration.ofMillis(50));

    /** What an entry must reach within the budget. */
    enum Goal {
        /** Every follower's log (milestone 2 has no commit point yet). */
        STORED("be stored by every follower", "the entry goes out to the followers (one delay), at worst after the reply to"
                + " an AppendEntries already on its way (two more), and two to spare"),
        /** The leader's commit point and its state machine. */
        COMMITTED("commit at the leader", "the entry goes out to the followers and their acknowledgements come back (two"
                + " delays), at worst after the reply to an AppendEntries already on its way (two more), and one to spare");

        final String what;
        final String why;

        Goal(String what, String why) {
            this.what = what;
            this.why = why;
        }

        boolean reached(Cluster c, int leader, long index) {
            return this == STORED
                    ? c.views().stream().allMatch(v -> v.lastLogIndex() >= index)
                    : c.view(leader).commitIndex() >= index && c.view(leader).lastApplied() >= index;
        }

        boolean caughtUp(NodeView follower, long index) {
            return follower.lastLogIndex() >= index && (this == STORED || follower.commitIndex() >= index);
        }
    }

    private Latency() {
    }

    static void budget(long seed, Goal goal) {
        Conditions network = Conditions.reliable();
        Cluster cluster = cluster(Cluster.builder().nodes(5).seed(seed).network(network).timing(PATIENT));
        SplittableRandom random = new SplittableRandom(seed);
        int leader = requireLeader(cluster, seconds(3), "after the cluster started");
        long term = cluster.view(leader).term();
        cluster.runFor(millis(100));
        Duration delay = network.maxLatency();
        Duration heartbeat = cluster.timing().heartbeatInterval();

        // Each proposal, at a random moment between heartbeats, gets there within a few network delays.
        Duration budget = delay.multipliedBy(5);
        for (int i = 1; i <= PROMPT_PROPOSALS; i++) {
            cluster.runFor(millis(random.nextLong(0, 2 * heartbeat.toMillis())));
            requireAccepted(cluster, leader, "entry " + i, i, term);
            long index = i;
            Duration start = cluster.now();
            boolean reached = cluster.runUntil(c -> goal.reached(c, leader, index), millis(500));
            check(reached, goal == Goal.STORED ? Rule.LOG_REPLICATION : Rule.COMMIT_AT_MAJORITY, "entry " + i + " did not "
                    + goal.what + " within 500 ms, with every server connected on a reliable network:\n" + states(cluster));
            Duration took = cluster.now().minus(start);
            check(took.compareTo(budget) <= 0, Rule.PROMPT_REPLICATION, "entry " + i + " took " + Time.format(took) + " to "
                    + goal.what + " (node" + leader + " leads), on a network where a message takes " + network.minLatency().toMillis()
                    + "–" + delay.toMillis() + " ms. The budget is five network delays (" + Time.format(budget) + "): " + goal.why
                    + ". A leader that sends a new entry only with its next heartbeat makes it wait up to a heartbeat interval ("
                    + Time.format(heartbeat) + ")");
        }
        catchUp(cluster, leader, term, goal, seed);
    }

    /** A follower cut off for a moment misses 300 entries; back, it catches up in a round trip per message. */
    private static void catchUp(Cluster cluster, int leader, long term, Goal goal, long seed) {
        Duration delay = cluster.network().conditions().maxLatency();
        Duration heartbeat = cluster.timing().heartbeatInterval();
        int lagging = rotated(cluster.others(leader), seed).get(0);
        cluster.note("node" + lagging + " is cut off while node" + leader + " takes " + CATCH_UP_ENTRIES + " entries");
        cluster.isolate(lagging);
        int target = PROMPT_PROPOSALS + CATCH_UP_ENTRIES;
        requireAcceptedRun(cluster, leader, "entry", PROMPT_PROPOSALS + 1, target, term);
        boolean taken = cluster.runUntil(c -> c.others(lagging).stream().allMatch(id -> goal.caughtUp(c.view(id), target)), seconds(1));
        check(taken, goal == Goal.STORED ? Rule.LOG_REPLICATION : Rule.COMMIT_AT_MAJORITY, "node" + leader + " took "
                + CATCH_UP_ENTRIES + " entries with 4 of 5 servers connected, but they did not " + goal.what + " within 1 s:\n"
                + states(cluster));
        int[] received = {0};
        Consumer<TraceEvent> count = e -> {
            if (e instanceof TraceEvent.Delivered d && d.packet().is("AppendEntries") && d.packet().to() == lagging) {
                received[0]++;
            }
        };
        cluster.note("node" + lagging + " rejoins, " + CATCH_UP_ENTRIES + " entries behind");
        cluster.trace().subscribe(count);
        Duration start = cluster.now();
        boolean caughtUp;
        try {
            cluster.reconnect(lagging);
            caughtUp = cluster.runUntil(c -> goal.caughtUp(c.view(lagging), target), seconds(2));
        } finally {
            cluster.trace().unsubscribe(count);
        }
        check(caughtUp, goal == Goal.STORED ? Rule.LOG_REPLICATION : Rule.COMMIT_AT_MAJORITY, "2 s after node" + lagging
                + " rejoined " + CATCH_UP_ENTRIES + " entries behind, it has not caught up:\n" + states(cluster));
        Duration took = cluster.now().minus(start);
        Duration catchUpBudget = heartbeat.plus(delay.multipliedBy(2 + 2L * received[0]));
        // Under one leader this measures replication alone; an election in the meantime would measure the election.
        boolean sameLeader = cluster.view(leader).isLeader() && cluster.view(leader).term() == term;
        check(!sameLeader || took.compareTo(catchUpBudget) <= 0, Rule.PROMPT_REPLICATION, "node" + lagging + " rejoined "
                + CATCH_UP_ENTRIES + " entries behind and took " + Time.format(took) + " to catch up, receiving " + received[0]
                + " AppendEntries on the way. The budget is " + Time.format(catchUpBudget) + ": a heartbeat interval ("
                + Time.format(heartbeat) + ") until the leader's next AppendEntries leaves, a network delay (" + Time.format(delay)
                + ") for it to arrive, then a round trip (two delays) for each AppendEntries it received, and a delay to spare."
                + " A leader sends the next entries as soon as a reply shows what the follower still lacks; one that waits for"
                + " its next heartbeat spends a heartbeat interval per message");
    }
}
