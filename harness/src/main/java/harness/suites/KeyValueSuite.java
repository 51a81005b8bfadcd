package harness.suites;

import harness.api.Operation;
import harness.api.Outcome;
import harness.api.Rule;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.cluster.Workload;
import harness.grade.Graded;
import harness.history.Call;
import harness.observe.Time;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static harness.suites.Histories.requireLinearizable;
import static harness.suites.Histories.settle;

/**
 * Suite 5: a replicated key-value store and its clients (§8, thesis ch. 6). Clients sit on the
 * simulated network like servers; every history they make is checked for linearizability, on top
 * of the continuous Figure 3 checks. The scenarios about reads, leaders and answers to clients
 * are in {@link ClientAnswers}.
 */
@Tag("milestone-5")
@DisplayName("Suite 5 · A key-value store (§8, thesis ch. 6)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class KeyValueSuite extends SuiteSupport {

    static final List<String> KEYS = List.of("x", "y", "z");

    /** {@code nodes} servers serving {@code clients} clients, on {@code conditions}. */
    static Cluster store(int nodes, int clients, long seed, Conditions conditions) {
        return harness.grade.Scenario.cluster(Cluster.builder().nodes(nodes).clients(clients).seed(seed).network(conditions));
    }

    /** Runs {@code workload} for {@code duration}, stops it, and lets the calls under way finish. */
    static void runWorkload(Cluster cluster, Workload workload, Duration duration) {
        workload.start();
        cluster.runFor(duration);
        workload.stop();
        settle(cluster, seconds(5));
    }

    /** Every call completed OK: on a network where nothing fails, a client has no reason not to know. */
    static void requireAllOk(Cluster cluster, String situation) {
        List<Call> notOk = cluster.history().calls().stream().filter(c -> !c.isOk()).toList();
        check(notOk.isEmpty(), Rule.CLIENT_PROGRESS, notOk.size() + " of " + cluster.history().size() + " calls " + situation
                + " did not complete ok, though no server failed and no message was lost; the first: " + notOk.stream().findFirst()
                .map(Call::toString).orElse(""));
    }

    /** Once the network is whole again, each client completes a get. */
    static void requireEveryClientServed(Cluster cluster, String situation) {
        for (int k = 1; k <= cluster.clientIds().size(); k++) {
            Outcome outcome = cluster.perform(k, Operation.get("x"), seconds(3));
            check(outcome != null && outcome.isOk(), Rule.CLIENT_PROGRESS, "client" + k + " could not complete a get within 3 s "
                    + situation + " (outcome: " + outcome + "), though every server was up and the network whole; a client"
                    + " follows not-leader hints and otherwise tries the servers in turn");
        }
    }

    // ---- Clients on a healthy cluster --------------------------------------------------------------

    @Order(1)
    @Graded(points = 4, rule = Rule.LINEARIZABLE)
    @DisplayName("One client: 100 operations of every kind, each answered, the history linearizable")
    void oneClient(long seed) {
        Cluster cluster = store(3, 1, seed, Conditions.reliable());
        requireLeader(cluster, seconds(2), "after the cluster started");
        Workload workload = Workload.random(cluster, seed, KEYS).start();
        cluster.runUntil(c -> workload.submitted() >= 100, seconds(20));
        workload.stop();
        settle(cluster, seconds(5));
        requireAllOk(cluster, "by one client on a reliable network");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "of one client on a reliable network");
    }

    @Order(2)
    @Graded(points = 4, rule = Rule.LINEARIZABLE)
    @DisplayName("Five concurrent clients for 3 s: each answered, the history linearizable")
    void concurrentClients(long seed) {
        Cluster cluster = store(5, 5, seed, Conditions.reliable());
        requireLeader(cluster, seconds(2), "after the cluster started");
        runWorkload(cluster, Workload.random(cluster, seed, KEYS), seconds(3));
        requireAllOk(cluster, "by five clients on a reliable network");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "of five concurrent clients on a reliable network");
    }

    @Order(3)
    @Graded(points = 5, rule = Rule.LINEARIZABLE)
    @DisplayName("Unreliable network: loss, duplication and reordering for 5 s, then every client is served")
    void unreliableNetwork(long seed) {
        Cluster cluster = store(5, 5, seed, Conditions.unreliable());
        runWorkload(cluster, Workload.random(cluster, seed, KEYS), seconds(5));
        cluster.setConditions(Conditions.reliable());
        requireEveryClientServed(cluster, "after 5 s on an unreliable network");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "of five clients on a network that loses, duplicates and reorders messages");
    }

    @Order(4)
    @Graded(points = 5, rule = Rule.LINEARIZABLE)
    @DisplayName("Many clients append to one key while leaders crash: each append appears at most once, every acknowledged one")
    void appendsToOneKey(long seed) {
        Cluster cluster = store(3, 5, seed, Conditions.reliable());
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        Workload workload = Workload.appends(cluster, "log").start();
        for (int round = 0; round < 2; round++) {
            cluster.runFor(millis(700));
            cluster.crash(leader);
            cluster.runFor(millis(400));
            cluster.restart(leader);
            leader = requireLeader(cluster, seconds(3), "after the leader crashed and came back");
        }
        cluster.runFor(millis(500));
        workload.stop();
        settle(cluster, seconds(5));
        Outcome last = cluster.perform(1, Operation.get("log"), seconds(3));
        check(last != null && last.isOk(), Rule.CLIENT_PROGRESS, "client1 could not read the key \"log\" within 3 s once the"
                + " cluster was whole (outcome: " + last + ")");
        String log = last.value() == null ? "" : last.value();
        for (Call call : cluster.history().calls()) {
            if (call.operation().kind() != Operation.Kind.APPEND) {
                continue;
            }
            int times = occurrences(log, call.operation().value());
            check(times <= 1, Rule.LINEARIZABLE, "\"" + call.operation().value() + "\" appears " + times + " times in the final value"
                    + " of \"log\", but " + call + " appended it once: a command is applied at most once per request");
            check(times == 1 || !call.isOk(), Rule.ANSWER_AFTER_APPLY, call + " was acknowledged, but \"" + call.operation().value()
                    + "\" is not in the final value of \"log\": " + log);
        }
        requireLinearizable(cluster, Rule.LINEARIZABLE, "of five clients appending to one key while leaders crashed");
    }

    private static int occurrences(String text, String token) {
        int count = 0;
        for (int at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
            if (at == 0 || text.charAt(at - 1) == ';') { // tokens end with ';', so "c1-1;" is not found inside "c1-11;"
                count++;
            }
        }
        return count;
    }

    // ---- Partitions and crashes --------------------------------------------------------------------

    @Order(5)
    @Graded(points = 4, rule = Rule.READ_INDEX)
    @DisplayName("Minority partition: the old leader and its clients complete nothing, not even a read, until healed")
    void minorityPartition(long seed) {
        Cluster cluster = store(5, 2, seed, Conditions.reliable());
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("x", "before"), seconds(2)), "client1's first put, before any fault");
        int follower = cluster.others(leader).get((int) Math.floorMod(seed, 4L));
        List<Integer> minority = List.of(leader, follower, cluster.clientId(1));
        List<Integer> majority = new ArrayList<>(cluster.others(leader));
        majority.remove(Integer.valueOf(follower));
        majority.add(cluster.clientId(2));
        cluster.partition(minority, majority);
        long cut = cluster.now().toNanos() / 1000;
        Workload workload = Workload.random(cluster, seed, KEYS).start();
        cluster.runFor(seconds(2));
        for (Call call : Histories.callsOf(cluster, 1)) {
            Histories.check(cluster, !(call.invoked() >= cut && call.isOk()), Rule.READ_INDEX, call + " completed ok while client1 could reach only"
                    + " node" + leader + " (the old leader) and node" + follower + ", a minority: no write can commit there, and a"
                    + " read answered there may miss writes the majority's new leader has made");
        }
        check(Histories.callsOf(cluster, 2).stream().anyMatch(c -> c.invoked() >= cut && c.isOk()), Rule.CLIENT_PROGRESS,
                "client2, on the majority's side, completed nothing in the 2 s after the partition: a majority elects a new leader"
                        + " and serves its clients");
        cluster.heal();
        long healed = cluster.now().toNanos() / 1000;
        boolean served = cluster.runUntil(c -> Histories.callsOf(c, 1).stream().anyMatch(call -> call.invoked() >= healed && call.isOk()),
                seconds(4));
        workload.stop();
        settle(cluster, seconds(5));
        check(served, Rule.CLIENT_PROGRESS, "client1 completed nothing in the 4 s after the partition healed at " + Time.format(healed));
        requireLinearizable(cluster, Rule.LINEARIZABLE, "around a minority partition");
    }

    @Order(6)
    @Graded(points = 5, rule = Rule.LINEARIZABLE)
    @DisplayName("Random partitions for 6 s (splits, majorities ring, bridge, isolated leader), then every client is served")
    void randomPartitions(long seed) {
        Cluster cluster = store(5, 5, seed, Conditions.reliable());
        SplittableRandom random = new SplittableRandom(seed);
        Workload workload = Workload.random(cluster, seed, KEYS).start();
        for (long elapsed = 0; elapsed < 6000; ) {
            long step = random.nextLong(300, 800);
            reshape(cluster, random);
            cluster.runFor(millis(step));
            elapsed += step;
        }
        cluster.heal();
        workload.stop();
        settle(cluster, seconds(5));
        requireEveryClientServed(cluster, "after the partitions healed");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "of five clients under repeated random partitions");
    }

    /** One of the shapes a network takes: a split, a majorities ring, a bridge, a cut-off leader, or whole. */
    private static void reshape(Cluster cluster, SplittableRandom random) {
        List<Integer> ids = new ArrayList<>(cluster.ids());
        java.util.Collections.shuffle(ids, new java.util.Random(random.nextLong()));
        switch (random.nextInt(5)) {
            case 0 -> cluster.partition(ids.subList(0, 2), ids.subList(2, ids.size()));
            case 1 -> cluster.ring(1);
            case 2 -> cluster.bridge(ids.get(0), ids.subList(1, 3), ids.subList(3, ids.size()));
            case 3 -> cluster.leader().ifPresentOrElse(cluster::isolate, cluster::heal);
            default -> cluster.heal();
        }
    }

    @Order(7)
    @Graded(points = 5, rule = Rule.LINEARIZABLE)
    @DisplayName("Crashes and restarts, then all servers at once: state rebuilt from the log, the history linearizable")
    void crashesAndRestarts(long seed) {
        Cluster cluster = store(5, 3, seed, Conditions.reliable());
        SplittableRandom random = new SplittableRandom(seed);
        Workload workload = Workload.random(cluster, seed, KEYS).start();
        for (int step = 0; step < 8; step++) {
            List<Integer> down = cluster.ids().stream().filter(id -> !cluster.isUp(id)).toList();
            if (down.size() < 2 && random.nextBoolean()) {
                List<Integer> up = cluster.ids().stream().filter(cluster::isUp).toList();
                cluster.crash(up.get(random.nextInt(up.size())));
            } else if (!down.isEmpty()) {
                cluster.restart(down.get(random.nextInt(down.size())));
            }
            cluster.runFor(millis(random.nextLong(200, 600)));
        }
        cluster.ids().stream().filter(cluster::isUp).forEach(cluster::crash);
        cluster.runFor(millis(300));
        cluster.ids().forEach(cluster::restart);
        cluster.runFor(seconds(1));
        workload.stop();
        settle(cluster, seconds(5));
        requireEveryClientServed(cluster, "after every server restarted");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "of three clients while servers crashed, restarted, and all went down at once");
    }

    // ---- What servers answer (scripted; the scenarios' bodies are in ClientAnswers) ---------------

    @Order(8)
    @Graded(points = 4, rule = Rule.READ_INDEX)
    @DisplayName("An old leader cut off with its client answers no read after the majority has moved on")
    void isolatedOldLeader(long seed) {
        ClientAnswers.isolatedOldLeader(seed);
    }

    @Order(9)
    @Graded(points = 4, rule = Rule.READ_INDEX)
    @DisplayName("A leader change during a read's heartbeat round: the read waits, then is answered by the new leader")
    void leaderChangeDuringRead(long seed) {
        ClientAnswers.leaderChangeDuringRead(seed);
    }

    @Order(10)
    @Graded(points = 4, rule = Rule.LEADER_NO_OP)
    @DisplayName("A new leader commits a no-op, so an entry its predecessor acknowledged is committed and read back")
    void newLeaderNoOp(long seed) {
        ClientAnswers.newLeaderNoOp(seed);
    }

    @Order(11)
    @Graded(points = 4, rule = Rule.ANSWER_AFTER_APPLY)
    @DisplayName("An entry replaced by another leader's: its client is never told ok")
    void replacedEntry(long seed) {
        ClientAnswers.replacedEntry(seed);
    }

    @Order(12)
    @Graded(points = 4, rule = Rule.PROMPT_REPLICATION)
    @DisplayName("Latency budget: 1,000 sequential operations average at most five network delays each")
    void latencyBudget(long seed) {
        ClientAnswers.latencyBudget(seed);
    }

    @Order(13)
    @Graded(points = 4, rule = Rule.READ_INDEX)
    @DisplayName("Read budget: 200 reads by read-index add no entry to the log")
    void readsAddNoEntries(long seed) {
        ClientAnswers.readsAddNoEntries(seed);
    }

    @Order(14)
    @Graded(points = 4, rule = Rule.LINEARIZABLE)
    @DisplayName("A write whose answers were lost is not sent again: it takes effect once, and its client is told unknown")
    void unansweredWrite(long seed) {
        ClientAnswers.unansweredWrite(seed);
    }

    @Order(15)
    @Graded(points = 4, rule = Rule.READ_INDEX)
    @DisplayName("A leader elected again starts its read rounds afresh: acknowledgements from its earlier term confirm no read")
    void reElectedLeaderReadsAfresh(long seed) {
        ClientAnswers.reElectedLeaderReadsAfresh(seed);
    }

    @Order(16)
    @Graded(points = 4, rule = Rule.CLIENT_PROGRESS)
    @DisplayName("A store of one server: its no-op commits and its reads are confirmed with no peer to wait for, through three crashes")
    void oneServer(long seed) {
        ClientAnswers.oneServer(seed);
    }

    @Order(17)
    @Graded(points = 4, rule = Rule.LEADER_NO_OP)
    @DisplayName("A new leader's read waits for its no-op: replies that confirm its leadership but commit nothing do not make its old commitIndex safe to read at")
    void readWaitsForNoOp(long seed) {
        ClientAnswers.readWaitsForNoOp(seed);
    }

    @Order(18)
    @Graded(points = 4, rule = Rule.PROMPT_REPLICATION)
    @DisplayName("Latency budget per call: four clients sent on by followers, then 400 operations of every kind, each within ten network delays")
    void promptAnswers(long seed) {
        ClientAnswers.promptAnswers(seed);
    }

    @Order(19)
    @Graded(points = 4, rule = Rule.CLIENT_PROGRESS)
    @DisplayName("A client cut off from the leader alone: hints name a server it cannot reach, its calls end as unknown; once the link is back it writes again, and after that leader crashes its next write finds the new one")
    void leaderOutOfReach(long seed) {
        ClientAnswers.leaderOutOfReach(seed);
    }

    @Order(20)
    @Graded(points = 4, rule = Rule.CLIENT_PROGRESS)
    @DisplayName("A deposed leader answers its clients: a read waiting for its heartbeat round, and a write from a client it answered a moment ago, each hear that it no longer leads and go to the new leader, though the clients would wait 3 s for a silent server")
    void deposedLeaderAnswers(long seed) {
        ClientAnswers.deposedLeaderAnswers(seed);
    }

    // ---- Links that keep order (the scenarios' bodies are in Pipelining) ---------------------------

    @Order(21)
    @Graded(points = 4, rule = Rule.PIPELINING)
    @DisplayName("Pipelining: on links that keep order, three clients write at once, and each write takes one round trip to the followers, never two")
    void pipelinedWrites(long seed) {
        Pipelining.pipelinedWrites(seed);
    }

    @Order(22)
    @Graded(points = 4, rule = Rule.PIPELINING)
    @DisplayName("Pipelining without waste: eight clients write for 2 s on links that keep order, and each entry reaches each follower about once")
    void pipelinedBudget(long seed) {
        Pipelining.pipelinedBudget(seed);
    }

    @Order(23)
    @Graded(points = 4, rule = Rule.PIPELINING)
    @DisplayName("A new leader probes, then pipelines: a follower back 200 entries behind as it is elected gets them about once, though four proposals come at once, and within three round trips")
    void newLeaderProbesFirst(long seed) {
        Pipelining.newLeaderProbesFirst(seed);
    }

    @Order(24)
    @Graded(points = 4, rule = Rule.LINEARIZABLE)
    @DisplayName("Links that keep order but lose a message in ten: five clients for 5 s, then every client is served, the history linearizable")
    void lossyOrderedLinks(long seed) {
        Pipelining.lossyOrderedLinks(seed);
    }

    static void requireOk(Outcome outcome, String what) {
        check(outcome != null && outcome.isOk(), Rule.CLIENT_PROGRESS, what + " did not complete ok on a healthy cluster (outcome: "
                + (outcome == null ? "none yet" : outcome) + ")");
    }
}
