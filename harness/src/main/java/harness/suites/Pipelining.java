package harness.suites;

import harness.api.Operation;
import harness.api.Rule;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.cluster.Workload;
import harness.history.Call;
import harness.observe.Time;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static harness.suites.Histories.requireLinearizable;
import static harness.suites.Histories.settle;
import static harness.suites.KeyValueSuite.KEYS;
import static harness.suites.KeyValueSuite.requireEveryClientServed;
import static harness.suites.KeyValueSuite.requireOk;
import static harness.suites.SuiteSupport.check;
import static harness.suites.SuiteSupport.millis;
import static harness.suites.SuiteSupport.requireAcceptedRun;
import static harness.suites.SuiteSupport.requireLeader;
import static harness.suites.SuiteSupport.requireReplicated;
import static harness.suites.SuiteSupport.seconds;

/**
 * Suite 5's scenarios on links that deliver in order, as the real cluster's TCP connections do
 * (thesis §10.2): a leader pipelines AppendEntries, sending each new entry at once, and still
 * sends it about once; and when such a link loses messages, as a connection that breaks does,
 * nothing is lost to the clients.
 */
final class Pipelining {

    private Pipelining() {
    }

    /** {@code nodes} servers and {@code clients} clients on links that keep order, on {@code conditions}. */
    static Cluster orderedStore(int nodes, int clients, long seed, Conditions conditions) {
        return harness.grade.Scenario.cluster(Cluster.builder().nodes(nodes).clients(clients).seed(seed).network(conditions)
                .orderedLinks());
    }

    /** A message takes 4 to 5 ms, so every write takes about as long as any other, and the budget is tight. */
    static final Conditions STEADY = Conditions.reliable().withLatency(millis(4), millis(5));
    static final int WRITERS = 3;
    /**
     * Client to leader, leader to followers and back, leader to client. None to spare: in the
     * simulator only messages take time here (disks sync at once, no read waits for a round).
     */
    static final int PIPELINED_DELAYS = 4;

    /**
     * Three clients write at once, with one follower of three down, so that every commit needs the
     * other: an entry often arrives while AppendEntries carrying the other clients' entries are on
     * their way to it. A pipelining leader sends it at once (three requests on their way: any
     * window of three or more will do), and every write takes four network delays. A leader that
     * keeps one request per follower holds it until the reply comes back, up to two delays more.
     */
    static void pipelinedWrites(long seed) {
        Cluster cluster = orderedStore(3, WRITERS, seed, STEADY);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        for (int k = 1; k <= WRITERS; k++) {
            requireOk(cluster.perform(k, Operation.put("x", "first" + k), seconds(2)), "client" + k + "'s first put"); // it finds the leader
        }
        int down = cluster.others(leader).get(0);
        cluster.crash(down);
        cluster.note("node" + down + " is down: every commit needs the other follower");
        long from = micros(cluster.now());
        Workload writes = Workload.of(cluster, k -> Operation.put(KEYS.get(k % KEYS.size()), "c" + k)).start();
        cluster.runFor(seconds(2));
        writes.stop();
        settle(cluster, seconds(2));
        List<Call> calls = cluster.history().calls().stream().filter(c -> c.invoked() >= from).toList();
        long budget = PIPELINED_DELAYS * micros(STEADY.maxLatency());
        List<Call> slow = calls.stream().filter(c -> !c.isOk() || c.completed() - c.invoked() > budget).toList();
        check(calls.size() > 100 && slow.isEmpty(), Rule.PIPELINING, slow.size() + " of " + calls.size() + " writes by " + WRITERS
                + " clients, with node" + down + " down, took longer than " + PIPELINED_DELAYS + " network delays ("
                + Time.format(Duration.ofNanos(budget * 1000)) + ") on links that keep order, where a message takes " + STEADY
                + "; the first: " + slow.stream().findFirst().map(Call::toString).orElse("none") + ". A write needs four delays:"
                + " to the leader, to the followers and back, and the answer. A leader that sends a follower nothing new while"
                + " an AppendEntries to it awaits its reply makes the other clients' entries wait up to two delays more; once a"
                + " follower's log is known to match, let at least " + WRITERS + " requests be on their way to it at once");
    }

    /** Writes in flight at once: more than a pipelining window, so entries must also wait and go together. */
    static final int BUDGET_WRITERS = 8;
    /** Copies of each entry a follower may get: over links that keep order and lose nothing, one each is enough. */
    static final double PIPELINED_COPIES = 1.2;

    /**
     * Eight clients write for 2 s on links that keep order: every entry reaches every follower
     * about once. A leader that pipelines must move nextIndex past the entries it has sent, or
     * each new request carries again what the last ones carry.
     */
    static void pipelinedBudget(long seed) {
        Cluster cluster = orderedStore(3, BUDGET_WRITERS, seed, Conditions.reliable());
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        try (Sends sends = new Sends(cluster, "AppendEntries")) {
            Workload writes = Workload.of(cluster, k -> Operation.put(KEYS.get(k % KEYS.size()), "c" + k)).start();
            cluster.runFor(seconds(2));
            writes.stop();
            settle(cluster, seconds(2));
            check(cluster.leader().equals(Optional.of(leader)), Rule.FOLLOWER_TIMER, "node" + leader + " lost its"
                    + " leadership on a reliable network, where its heartbeats reach every follower in time");
            long entries = cluster.view(leader).lastLogIndex();
            for (int id : cluster.others(leader)) {
                double copies = (double) sends.entries(id) / entries;
                check(copies <= PIPELINED_COPIES, Rule.PIPELINING, String.format(Locale.ROOT, "node%d sent node%d %d"
                        + " entries in %d AppendEntries while %d clients wrote %d entries for 2 s on links that keep order and"
                        + " lose nothing: %.2f copies of each, and the budget is %.1f. A pipelining leader moves nextIndex past"
                        + " the entries it sends, so that the next request carries only what follows them", leader, id,
                        sends.entries(id), sends.count(id), BUDGET_WRITERS, entries, copies, PIPELINED_COPIES));
            }
        }
    }

    /** Entries the follower misses while it is cut off, and proposals the new leader takes as it is elected. */
    static final int LAG = 200;
    static final int PROPOSALS_AT_ELECTION = 4;
    /** Copies of each entry the follower may get while it catches up: one, and room for a heartbeat's repeat. */
    static final double CATCH_UP_COPIES = 1.5;

    /** Round trips a follower 200 entries behind may take to catch up: a refused probe, a retry, the rest at once. */
    static final int CATCH_UP_ROUND_TRIPS = 3;

    /**
     * A new leader guesses that every follower holds its whole log, and until a follower's success
     * says where the two logs match, it must probe, one request at a time: here a follower came back
     * 200 entries behind just as the leader was elected, and the new leader takes four proposals at
     * once. A leader that pipelines from its guess sends each of them in a request of its own, all
     * refused, and answers each refusal with a retry of 64 entries; one that probes sends the
     * entries about once. Once the retry succeeds, the rest goes at once: three round trips in
     * all, where one request at a time takes five. (No clients here: the leader's own proposals
     * come at the instant it wins.)
     */
    static void newLeaderProbesFirst(long seed) {
        Cluster cluster = harness.grade.Scenario.cluster(Cluster.builder().nodes(3).seed(seed).network(STEADY).orderedLinks());
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        int lagging = cluster.others(old).get(Math.floorMod(seed, 2));
        int heir = cluster.others(old).get(1 - Math.floorMod(seed, 2));
        cluster.isolate(lagging);
        long term = cluster.view(old).term();
        int behind = cluster.view(lagging).log().size();
        requireAcceptedRun(cluster, old, "entry", cluster.view(old).log().size() + 1, LAG, term);
        requireReplicated(cluster, List.of(old, heir), LAG, seconds(1), "node" + old + " took " + LAG + " entries with node"
                + lagging + " cut off");
        try (Sends sends = new Sends(cluster, "AppendEntries")) {
            cluster.crash(old);
            cluster.reconnect(lagging);
            cluster.note("node" + old + ", the leader, is down, and node" + lagging + " is back, " + (LAG - behind) + " entries behind");
            int leader = requireLeader(cluster, seconds(3), "after node" + old + ", the leader, went down");
            long newTerm = cluster.view(leader).term();
            Duration elected = cluster.now();
            requireAcceptedRun(cluster, leader, "new", LAG + 1, LAG + PROPOSALS_AT_ELECTION, newTerm);
            int length = LAG + PROPOSALS_AT_ELECTION;
            requireReplicated(cluster, List.of(leader, lagging), length, seconds(2), "node" + leader + " was elected with node"
                    + lagging + " " + (LAG - behind) + " entries behind");
            Duration took = cluster.now().minus(elected);
            Duration budget = STEADY.maxLatency().multipliedBy(2L * CATCH_UP_ROUND_TRIPS);
            check(took.compareTo(budget) <= 0, Rule.PIPELINING, "node" + lagging + " took " + Time.format(took) + " to catch up"
                    + " the " + (length - behind) + " entries it lacked after node" + leader + " was elected, on links that keep"
                    + " order where a message takes " + STEADY + "; the budget is " + CATCH_UP_ROUND_TRIPS + " round trips ("
                    + Time.format(budget) + "): the first request is refused, the retry from the follower's hint shows where"
                    + " the logs match, and then the rest goes at once. A leader that keeps one request per follower sends"
                    + " 64 entries per round trip, five round trips in all");
            cluster.runFor(millis(200)); // heartbeats: an entry sent again would show
            long needed = length - behind;
            double copies = (double) sends.entries(lagging) / needed;
            check(copies <= CATCH_UP_COPIES, Rule.PIPELINING, String.format(Locale.ROOT, "node%d, elected with node%d %d entries"
                    + " behind, sent it %d entries in %d AppendEntries to give it the %d it lacked: %.2f copies of each, and the"
                    + " budget is %.1f. A new leader does not know where a follower's log ends: it probes, one request at a time,"
                    + " until a success shows where the logs match, and pipelines only then; requests sent from its guess are"
                    + " all refused, and each refusal brings another retry", leader, lagging, LAG - behind, sends.entries(lagging),
                    sends.count(lagging), needed, copies, CATCH_UP_COPIES));
        }
    }

    /**
     * On links that keep order but lose one message in ten, as connections that break now and then
     * do, five clients run for 5 s: a request lost ahead of pipelined ones leaves a gap the follower
     * refuses, and the leader must find its way back, so every client is served and the history is
     * linearizable.
     */
    static void lossyOrderedLinks(long seed) {
        Cluster cluster = orderedStore(5, 5, seed, Conditions.reliable().withDropRate(0.10));
        Workload workload = Workload.random(cluster, seed, KEYS).start();
        cluster.runFor(seconds(5));
        workload.stop();
        settle(cluster, seconds(5));
        cluster.setConditions(Conditions.reliable());
        requireEveryClientServed(cluster, "after 5 s on links that keep order and lose a message in ten");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "of five clients on links that keep order and lose a message in ten");
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }
}
