package harness.suites;

import harness.api.Entry;
import harness.api.Operation;
import harness.api.Outcome;
import harness.api.Rule;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.cluster.Network;
import harness.cluster.Workload;
import harness.history.Call;
import harness.observe.NodeView;
import harness.observe.Time;
import harness.observe.TraceEvent;
import harness.wire.MessageCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

import static harness.suites.Histories.requireLinearizable;
import static harness.suites.Histories.settle;
import static harness.suites.KeyValueSuite.requireOk;
import static harness.suites.KeyValueSuite.store;
import static harness.suites.SuiteSupport.check;
import static harness.suites.SuiteSupport.millis;
import static harness.suites.SuiteSupport.moveLeadership;
import static harness.suites.SuiteSupport.requireLeader;
import static harness.suites.SuiteSupport.seconds;

/**
 * Suite 5's scripted scenarios about what servers answer: reads at a deposed or new leader, a
 * leader change in the middle of a read, an entry replaced under a waiting client, and the
 * budgets for latency and for reads. Each sets the stage step by step, then checks one rule.
 */
final class ClientAnswers {

    private ClientAnswers() {
    }

    /** The leader and client1 on one side, everyone else (and client2) on the other. */
    private static void cutOffWithClient1(Cluster cluster, int leader) {
        List<Integer> majority = new ArrayList<>(cluster.others(leader));
        majority.add(cluster.clientId(2));
        cluster.partition(List.of(leader, cluster.clientId(1)), majority);
    }

    /** §6.4: an old leader cut off with its client must not answer a read; the majority has moved on. */
    static void isolatedOldLeader(long seed) {
        Cluster cluster = store(5, 2, seed, Conditions.reliable());
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("x", "1"), seconds(2)), "client1's put x 1");
        cutOffWithClient1(cluster, old);
        int leader = requireLeader(cluster, seconds(3), "after node" + old + ", the leader, was cut off");
        requireOk(cluster.perform(2, Operation.put("x", "2"), seconds(3)), "client2's put x 2 at the new leader node" + leader);
        cluster.runFor(millis(1)); // calls that touch in time count as overlapping: the read starts after the put ended
        int read = cluster.submit(1, Operation.get("x")); // client1 knows node<old> as the leader
        cluster.runFor(seconds(1));
        Call call = cluster.history().call(read);
        Histories.check(cluster, !call.isOk(), Rule.READ_INDEX, "node" + old + ", cut off from the majority, answered " + call + " after node"
                + leader + " had become leader and taken put x 2: a leader confirms it still leads, with a round of heartbeats a"
                + " majority acknowledges, before it answers a read");
        cluster.heal();
        settle(cluster, seconds(4));
        requireLinearizable(cluster, Rule.READ_INDEX, "around a leader cut off with its client");
    }

    /** §6.4: a read whose heartbeat round no majority acknowledges waits, and a leader change sends it elsewhere. */
    static void leaderChangeDuringRead(long seed) {
        Cluster cluster = store(5, 2, seed, Conditions.reliable());
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("x", "1"), seconds(2)), "client1's put x 1");
        Network.Held replies = cluster.network().holdWhere(p -> p.to() == old && p.is("AppendEntriesReply"));
        int read = cluster.submit(1, Operation.get("x"));
        cluster.runFor(millis(150));
        Call pending = cluster.history().call(read);
        Histories.check(cluster, !pending.isOk(), Rule.READ_INDEX, "node" + old + " answered (" + pending + ") although none of its followers' replies"
                + " reached it after the read arrived: nothing showed that it still led when it answered");
        cutOffWithClient1(cluster, old);
        requireLeader(cluster, seconds(3), "after node" + old + ", the leader, was cut off");
        requireOk(cluster.perform(2, Operation.put("x", "2"), seconds(3)), "client2's put x 2 at the new leader");
        cluster.heal();
        replies.release();
        boolean done = settle(cluster, seconds(4));
        Call call = cluster.history().call(read);
        check(done && call.isOk(), Rule.CLIENT_PROGRESS, "client1's read was still not answered 4 s after the partition healed ("
                + call + "): a deposed leader tells its waiting readers it no longer leads, and they try again elsewhere");
        requireLinearizable(cluster, Rule.READ_INDEX, "around a leader change during a read");
    }

    /** Clients that ask another server only after 3 s without an answer: here only a server's answer moves them on. */
    static final Duration PATIENCE = Duration.ofSeconds(3);

    /**
     * §8 and thesis §6.4: a leader that learns of a newer term tells the clients it was serving
     * that it no longer leads. client1's read waits at the leader's heartbeat round, which no
     * reply of its followers reaches to confirm; client2 heard from that leader a moment ago, so it sends
     * its next write straight there. Both clients are patient, so neither moves on by itself.
     */
    static void deposedLeaderAnswers(long seed) {
        Cluster cluster = harness.grade.Scenario.cluster(Cluster.builder().nodes(3).clients(2).seed(seed)
                .network(Conditions.reliable()).clientPatience(PATIENCE, PATIENCE.multipliedBy(2)));
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("x", "1"), seconds(2)), "client1's put x 1");
        requireOk(cluster.perform(2, Operation.get("x"), seconds(2)), "client2's get x");
        Duration client2Heard = cluster.now();
        Network.Rule unconfirmed = cluster.network().dropWhere(p -> p.to() == old && p.is("AppendEntriesReply"));
        int read = cluster.submit(1, Operation.get("x"));
        cluster.runFor(millis(20));
        cluster.partition(List.of(old), cluster.others(old)); // the clients still reach every server
        int leader = requireLeader(cluster, seconds(3), "after node" + old + ", the leader, was cut off");
        cluster.heal();
        boolean deposed = cluster.runUntil(c -> !c.view(old).isLeader(), seconds(1));
        unconfirmed.remove();
        SuiteSupport.setUp(cluster, deposed && cluster.history().call(read).isPending(), "node" + old + " should have"
                + " stepped down on hearing node" + leader + ", with client1's read still waiting at it");
        settle(cluster, PATIENCE);
        Call call = cluster.history().call(read);
        Duration took = call.isPending() ? PATIENCE : Duration.ofNanos((call.completed() - call.invoked()) * 1000);
        check(call.isOk() && took.compareTo(PATIENCE) < 0, Rule.CLIENT_PROGRESS, "client1's get x waited at node" + old
                + " for a heartbeat round no reply confirmed; node" + old + " then heard of node" + leader + "'s"
                + " newer term and stepped down, and the read ended " + call + (call.isPending() ? "" : " (" + Time.format(took)
                + " after it was sent)") + ", where the client gives a silent server " + Time.format(PATIENCE) + ". A leader that steps down"
                + " can no longer confirm the reads waiting for it: it answers each that it is not the leader, and the"
                + " client asks again elsewhere at once");
        cluster.runFor(cluster.timing().heartbeatInterval().plusMillis(10)); // node<old> hears node<leader>'s heartbeat
        SuiteSupport.setUp(cluster, cluster.leader().orElse(-1) == leader && cluster.now().minus(client2Heard).compareTo(PATIENCE) < 0,
                "node" + leader + " should lead, less than " + Time.format(PATIENCE) + " after node" + old + " answered client2");
        int write = cluster.submit(2, Operation.put("x", "2")); // client2 heard node<old> answer lately: it sends there
        Duration budget = Conditions.reliable().maxLatency().multipliedBy(DEPOSED_WRITE_DELAYS);
        cluster.runFor(budget);
        Call put = cluster.history().call(write);
        Histories.check(cluster, put.isOk(), Rule.CLIENT_PROGRESS, "client2, which node" + old + " had answered as leader "
                + Time.format(cluster.now().minus(budget).minus(client2Heard)) + " earlier, sent put x 2 there after node"
                + leader + " had taken over; " + Time.format(budget) + " (" + DEPOSED_WRITE_DELAYS + " network delays) later"
                + " it has " + put + ". §8: a server that is not the leader rejects a client's request and names the"
                + " leader it knows, and the client sends the request there; silence leaves the write unknown");
        settle(cluster, PATIENCE.multipliedBy(2));
        requireLinearizable(cluster, Rule.LINEARIZABLE, "around a deposed leader's clients");
    }

    /** A write sent to a deposed leader: there and back, to the leader it names, its round trip, back: six, and two to spare. */
    static final int DEPOSED_WRITE_DELAYS = 8;

    /** §8: the new leader's no-op commits the entries an earlier leader committed without saying so. */
    static void newLeaderNoOp(long seed) {
        Cluster cluster = store(5, 1, seed, Conditions.reliable());
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("x", "0"), seconds(2)), "client1's put x 0");
        long index = cluster.view(old).lastLogIndex() + 1;
        // Followers never learn that the next entry committed: the old leader's messages announcing it are lost.
        Network.Rule silence = cluster.network().dropWhere(p -> p.from() == old && p.is("AppendEntries")
                && MessageCodec.longField(p.bytes(), "leader_commit") != null && MessageCodec.longField(p.bytes(), "leader_commit") >= index);
        requireOk(cluster.perform(1, Operation.put("x", "1"), seconds(2)), "client1's put x 1");
        cluster.crash(old);
        silence.remove();
        SuiteSupport.setUp(cluster, cluster.views().stream().allMatch(v -> v.id() == old || v.commitIndex() < index), "a"
                + " follower counts put x 1 (index " + index + ") committed, though the scenario dropped every message of node"
                + old + " that announced it: the new leader would not need its no-op to know it");
        int leader = requireLeader(cluster, seconds(3), "after the leader node" + old + " crashed");
        boolean committed = cluster.runUntil(c -> c.view(leader).commitIndex() >= index, millis(300));
        NodeView v = cluster.view(leader);
        Histories.check(cluster, committed, Rule.LEADER_NO_OP, "node" + leader + " became leader of term " + v.term() + " holding put x 1 at index " + index
                + ", which node" + old + " had committed and acknowledged, but 300 ms later its commitIndex is still " + v.commitIndex()
                + " with no client asking anything: a new leader appends a no-op of its term at once, and committing it commits"
                + " everything before it");
        Outcome read = cluster.perform(1, Operation.get("x"), seconds(2));
        Histories.check(cluster, read != null && read.isOk() && "1".equals(read.value()), Rule.LEADER_NO_OP, "after put x 1 was acknowledged, the new"
                + " leader node" + leader + " answered get x with " + read + ": a leader answers reads only once it has committed"
                + " an entry of its own term, and so knows everything committed before it");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "around a new leader's first read");
    }

    /**
     * §8 and thesis §6.4: until a new leader commits an entry of its own term, its commitIndex may
     * lag behind entries its predecessor committed. Here the leader commits put x 2 with one
     * follower, which never learns it committed, while the third server never receives it; then
     * the leader crashes. The new leader's only peer lacks put x 2, so its first replies refuse the
     * consistency check: they confirm the new leader's heartbeat round, yet commit nothing. A read
     * confirmed by that round must still wait for the no-op, or it answers x 1.
     */
    static void readWaitsForNoOp(long seed) {
        Cluster cluster = store(3, 1, seed, Conditions.reliable());
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("x", "1"), seconds(2)), "client1's put x 1");
        long index = cluster.view(old).lastLogIndex() + 1;
        List<Integer> others = cluster.others(old);
        int next = others.get(Math.floorMod(seed, 2));
        int behind = others.get(1 - Math.floorMod(seed, 2));
        // node<behind> hears nothing more from the leader; node<next> stores put x 2 but never learns that it committed.
        Network.Rule unheard = cluster.network().dropWhere(p -> p.from() == old && p.is("AppendEntries") && (p.to() == behind
                || announcesCommit(p.bytes(), index)));
        requireOk(cluster.perform(1, Operation.put("x", "2"), seconds(2)), "client1's put x 2");
        cluster.crash(old);
        unheard.remove();
        SuiteSupport.setUp(cluster, cluster.view(next).lastLogIndex() >= index && cluster.view(next).commitIndex() < index
                && cluster.view(behind).lastLogIndex() < index, "node" + next + " should hold put x 2 (index " + index + ") without"
                + " knowing it committed, and node" + behind + " should lack it");
        // node<behind>'s answers to the new leader are lost until client1's read has reached it.
        boolean[] arrived = {false};
        Network.Rule unanswered = cluster.network().dropWhere(p -> !arrived[0] && p.from() == behind && p.to() == next
                && p.is("AppendEntriesReply"));
        int leader = requireLeader(cluster, seconds(3), "after the leader node" + old + " crashed");
        SuiteSupport.setUp(cluster, leader == next, "node" + next + ", the only server holding put x 2, should have won the election");
        Consumer<TraceEvent> watch = e -> arrived[0] |= e instanceof TraceEvent.Delivered d && d.packet().to() == next
                && d.packet().is("ReadRequest");
        cluster.trace().subscribe(watch);
        int read;
        try {
            read = cluster.submit(1, Operation.get("x"));
            cluster.runUntil(c -> arrived[0], seconds(2));
        } finally {
            cluster.trace().unsubscribe(watch);
        }
        unanswered.remove();
        SuiteSupport.setUp(cluster, arrived[0], "client1's get x did not reach the new leader node" + next + " within 2 s");
        // Its heartbeat round reaches node<behind>, which refuses (its log lacks put x 2), and the leader repairs its log.
        long noOp = index + 1;
        boolean applied = cluster.runUntil(c -> c.view(next).lastApplied() >= noOp, seconds(2));
        Duration appliedAt = cluster.now();
        settle(cluster, seconds(2));
        Call call = cluster.history().call(read);
        Histories.check(cluster, call.isOk() && "2".equals(call.outcome().value()), Rule.LEADER_NO_OP, "client1's get x at"
                + " node" + next + " answered " + call + " after put x 2 was acknowledged. node" + next + " held put x 2 but its"
                + " commitIndex was still " + (index - 1) + ", and node" + behind + ", which lacked it, refused its AppendEntries:"
                + " a refusal confirms a heartbeat round (it follows this leader) but commits nothing. A leader that has not yet"
                + " committed an entry of its term does not know its commit point: a read waits for its no-op to commit");
        Duration budget = Conditions.reliable().maxLatency().multipliedBy(NO_OP_READ_DELAYS);
        Duration after = Duration.ofNanos(call.completed() * 1000).minus(appliedAt);
        Histories.check(cluster, applied && after.compareTo(budget) <= 0, Rule.PROMPT_REPLICATION, "client1's get x was"
                + " answered " + Time.format(after) + " after node" + next + " applied its no-op (index " + noOp + "), by"
                + " which time a majority had confirmed the read's round; the budget is " + NO_OP_READ_DELAYS + " network"
                + " delays (" + Time.format(budget) + "), the answer's own and one to spare. A leader answers the reads"
                + " waiting for an index as it applies it, not at the next reply its heartbeat brings (every "
                + cluster.timing().heartbeatInterval().toMillis() + " ms)");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "around a new leader's first read");
    }

    /** A read waiting only for the leader to apply its index: the answer's delay and one to spare. */
    static final int NO_OP_READ_DELAYS = 2;

    private static boolean announcesCommit(byte[] appendEntries, long index) {
        Long commit = MessageCodec.longField(appendEntries, "leader_commit");
        return commit != null && commit >= index;
    }

    /**
     * §8: a client cut off from the leader alone hears from every follower that the leader is a
     * server it cannot reach. Its get is reported unknown after the client's patience runs out,
     * and so is the put it tries next (a leader that never answered is not one to send a write to
     * unannounced); once the link is back, a put completes; and when that leader then crashes, the
     * client's next put finds the new leader. Found by the soak: a client that had followed hints but
     * never heard the leader itself failed on its next write.
     */
    static void leaderOutOfReach(long seed) {
        Cluster cluster = store(3, 1, seed, Conditions.reliable());
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        int client = cluster.clientId(1);
        cluster.network().cut(client, leader);
        cluster.network().cut(leader, client);
        Outcome read = cluster.perform(1, Operation.get("x"), seconds(5));
        check(read != null && !read.isOk(), Rule.CLIENT_PROGRESS, "client1, which cannot reach the leader node" + leader
                + ", completed get x with " + read + " within 5 s; only the leader answers reads");
        Outcome write = cluster.perform(1, Operation.put("x", "1"), seconds(5));
        check(write != null && !write.isOk(), Rule.CLIENT_PROGRESS, "client1, which cannot reach the leader node" + leader
                + ", completed put x 1 with " + write + " within 5 s");
        SuiteSupport.setUp(cluster, cluster.leader().orElse(-1) == leader, "node" + leader + " should have led throughout");
        cluster.heal();
        cluster.runFor(millis(1)); // calls that touch in time count as overlapping
        requireOk(cluster.perform(1, Operation.put("x", "2"), seconds(3)), "client1's put x 2 once it could reach node" + leader);
        cluster.crash(leader);
        cluster.runFor(millis(400)); // longer than the client's retry timer: node<leader> has not answered lately
        Outcome after = cluster.perform(1, Operation.put("x", "3"), seconds(3));
        check(after != null && after.isOk(), Rule.CLIENT_PROGRESS, "client1's put x 3, submitted 400 ms after its leader node"
                + leader + " crashed, completed with " + after + " within 3 s, with two servers of three up. A write sent"
                + " to a server that does not answer cannot be sent again (it may sit in a log), so a client sends a write"
                + " only to a leader that answered it lately, and first finds the leader with a read otherwise");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "around a client cut off from the leader");
    }

    /** §8: a client whose entry another leader replaced is never told "ok". */
    static void replacedEntry(long seed) {
        Cluster cluster = store(5, 2, seed, Conditions.reliable());
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("y", "first"), seconds(2)), "client1's put y first");
        cutOffWithClient1(cluster, old);
        long index = cluster.view(old).lastLogIndex() + 1;
        int write = cluster.submit(1, Operation.put("y", "lost"));
        SuiteSupport.setUp(cluster, cluster.runUntil(c -> c.view(old).lastLogIndex() >= index, millis(100)), "node" + old
                + " should have appended client1's put y lost at index " + index);
        Entry lost = cluster.view(old).entryAt(index);
        int leader = requireLeader(cluster, seconds(3), "after node" + old + ", the leader, was cut off");
        requireOk(cluster.perform(2, Operation.put("y", "kept"), seconds(3)), "client2's put y kept at the new leader node" + leader);
        cluster.heal();
        boolean replaced = cluster.runUntil(c -> !lost.equals(c.view(old).entryAt(index)), seconds(2));
        Duration replacedAt = cluster.now();
        settle(cluster, seconds(4));
        Call call = cluster.history().call(write);
        Histories.check(cluster, !call.isOk(), Rule.ANSWER_AFTER_APPLY, "a client was told its write took effect (" + call + "), but node" + old + " appended that entry while cut"
                + " off from the majority, which never stored it, and node" + leader + "'s entries replaced it: a client is told ok"
                + " only once its own entry is committed and applied");
        check(replaced, Rule.CONSISTENCY_CHECK, "2 s after the partition healed, node" + old + " still holds client1's put y"
                + " lost at index " + index + ", which node" + leader + "'s log replaced:\n" + SuiteSupport.logs(cluster));
        Duration budget = Conditions.reliable().maxLatency().multipliedBy(REPLACED_DELAYS);
        Duration ended = call.isPending() ? cluster.now() : Duration.ofNanos(call.completed() * 1000);
        check(!call.isPending() && ended.compareTo(replacedAt.plus(budget)) <= 0, Rule.ANSWER_AFTER_APPLY, "node" + old + " replaced"
                + " client1's put y lost (index " + index + ") with node" + leader + "'s committed entry at "
                + Time.format(replacedAt) + ", and client1 heard its fate only at " + Time.format(ended) + " (" + call + "); the"
                + " budget is " + REPLACED_DELAYS + " network delays (" + Time.format(budget) + "). The server that took a"
                + " client's write tells it as soon as another entry is applied at that index: the write will never take"
                + " effect, and the client says so at once, without waiting"
                + " for its patience to run out");
        Outcome read = cluster.perform(2, Operation.get("y"), seconds(2));
        check(read != null && read.isOk() && "kept".equals(read.value()), Rule.LINEARIZABLE, "get y answered " + read
                + " after put y kept was acknowledged and put y lost never committed");
        requireLinearizable(cluster, Rule.ANSWER_AFTER_APPLY, "around an entry replaced by another leader's");
    }

    /** A replaced write: the overwriting entry's commit reaching the server (a round trip), the answer, and two to spare. */
    static final int REPLACED_DELAYS = 5;

    /**
     * §8: a write whose answer was lost may already be in the log, so a client without sessions
     * (they come in milestone 6) never sends it again: it reports the outcome as unknown. Here the
     * leader takes client1's append and commits it, and every message from the leader to client1
     * from then on is lost; the append must take effect exactly once.
     */
    static void unansweredWrite(long seed) {
        Cluster cluster = store(3, 2, seed, Conditions.reliable());
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(2, Operation.put("x", "start"), seconds(2)), "client2's put x start");
        long before = cluster.view(leader).lastLogIndex();
        int client1 = cluster.clientId(1);
        cluster.network().dropWhere(p -> p.from() == leader && p.to() == client1 && cluster.view(leader).lastLogIndex() > before);
        int write = cluster.submit(1, Operation.append("x", "+a"));
        settle(cluster, seconds(4));
        SuiteSupport.setUp(cluster, cluster.view(leader).lastLogIndex() > before && cluster.leader().orElse(-1) == leader,
                "node" + leader + " did not stay leader and take client1's append (its log still ends at " + before + ")");
        Call call = cluster.history().call(write);
        Outcome read = cluster.perform(2, Operation.get("x"), seconds(2));
        requireOk(read, "client2's get x after the append");
        Histories.check(cluster, "start+a".equals(read.value()), Rule.LINEARIZABLE, "client1 appended +a to x once (" + call + ") and"
                + " node" + leader + " took it, but its answers to client1 were lost; get x then answered \"" + read.value()
                + "\". A write that got no answer may sit in the log: sending it again (to the same server or another) applies"
                + " it twice. Without sessions (milestone 6) a client reports such a write as unknown and never sends it again");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "around a write whose answer was lost");
    }

    /**
     * Thesis §6.4: the heartbeat rounds that confirm reads prove leadership only in the term they
     * were sent in. node1 serves reads as leader, loses leadership, and leads again in a later term;
     * then it is cut off with one follower while the majority moves on. What its followers
     * acknowledged in its earlier term must not confirm a read now.
     */
    static void reElectedLeaderReadsAfresh(long seed) {
        Cluster cluster = store(5, 2, seed, Conditions.reliable());
        int first = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("x", "1"), seconds(2)), "client1's put x 1");
        for (int i = 1; i <= 20; i++) {
            requireOk(cluster.perform(1, Operation.get("x"), seconds(2)), "client1's read " + i + " of 20 at node" + first);
        }
        int leader = first;
        for (int round = 0; round < 10 && (round == 0 || leader != first); round++) {
            cluster.isolate(leader); // another server leads next, in a new term
            int cutOff = leader;
            leader = requireLeader(cluster, seconds(3), "after node" + cutOff + ", the leader, was cut off");
            cluster.heal();
            cluster.runFor(millis(300));
            leader = requireLeader(cluster, seconds(3), "after the network healed");
        }
        if (leader != first) {
            moveLeadership(cluster, leader, first); // ten leader changes went elsewhere: node<first> leads next
        }
        SuiteSupport.setUp(cluster, cluster.leader().orElse(-1) == first, "node" + first + " did not become leader again");
        int follower = cluster.others(first).get(0);
        List<Integer> majority = new ArrayList<>(cluster.others(first));
        majority.remove(Integer.valueOf(follower));
        majority.add(cluster.clientId(2));
        cluster.partition(List.of(first, follower, cluster.clientId(1)), majority);
        int next = requireLeader(cluster, seconds(3), "after node" + first + " was cut off with node" + follower);
        requireOk(cluster.perform(2, Operation.put("x", "2"), seconds(3)), "client2's put x 2 at the new leader node" + next);
        cluster.runFor(millis(1)); // calls that touch in time count as overlapping: the read starts after the put ended
        int read = cluster.submit(1, Operation.get("x"));
        cluster.runFor(seconds(1));
        Call call = cluster.history().call(read);
        Histories.check(cluster, !call.isOk(), Rule.READ_INDEX, "node" + first + ", leader again in term "
                + cluster.view(first).term() + " but cut off with node" + follower + " alone, answered " + call + " after node" + next
                + " had become leader and taken put x 2. Only node" + follower + " could acknowledge its heartbeats: did rounds"
                + " acknowledged in its earlier term count? A new leader starts its read rounds afresh");
        cluster.heal();
        settle(cluster, seconds(4));
        requireLinearizable(cluster, Rule.READ_INDEX, "around a leader re-elected and then cut off");
    }

    /**
     * §8 and thesis §6.4 in a cluster of one: the lone server is its own majority, so its no-op
     * commits as soon as it is on its disk and a read's round is confirmed as it starts; nothing
     * waits for a peer that does not exist. It serves a client, crashes, comes back from its disk
     * and serves it again.
     */
    static void oneServer(long seed) {
        Cluster cluster = store(1, 1, seed, Conditions.reliable());
        int server = requireLeader(cluster, seconds(2), "in a cluster of one, after it started");
        for (int round = 1; round <= 3; round++) {
            requireOk(cluster.perform(1, Operation.put("x", "v" + round), seconds(2)), "put x v" + round + " at the lone server");
            cluster.runFor(millis(1)); // calls that touch in time count as overlapping: the read starts after the put ended
            Outcome read = cluster.perform(1, Operation.get("x"), seconds(2));
            check(read != null && read.isOk() && ("v" + round).equals(read.value()), Rule.CLIENT_PROGRESS, "after put x v" + round
                    + " completed, get x at node" + server + ", the only server, answered " + read + ". In a cluster of one the"
                    + " server is its own majority: its no-op commits once it is on its disk, and a read's heartbeat round is"
                    + " confirmed as soon as it starts, with no follower to wait for");
            cluster.crash(server);
            cluster.restart(server);
            requireLeader(cluster, seconds(2), "in a cluster of one, after its server restarted");
        }
        requireLinearizable(cluster, Rule.LINEARIZABLE, "in a cluster of one, through crashes");
    }

    /** Budget: an operation costs a few network delays, not a heartbeat interval. */
    static void latencyBudget(long seed) {
        Conditions network = Conditions.reliable();
        Cluster cluster = store(3, 1, seed, network);
        requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("x", "0"), seconds(2)), "client1's first put"); // it finds the leader
        long start = cluster.now().toNanos() / 1000;
        int calls = 1000;
        for (int i = 0; i < calls; i++) {
            Operation op = i % 2 == 0 ? Operation.put("x", "v" + i) : Operation.get("x");
            requireOk(cluster.perform(1, op, seconds(2)), "operation " + (i + 1) + " of " + calls + " (" + op + ")");
        }
        double average = (cluster.now().toNanos() / 1000 - start) / 1000.0 / calls;
        double delay = network.maxLatency().toNanos() / 1e6;
        double budget = 5 * delay;
        check(average <= budget, Rule.PROMPT_REPLICATION, String.format(java.util.Locale.ROOT, "%d sequential operations (puts and"
                + " gets) took %.1f ms each on average, where a message takes at most %.0f ms: client to leader, leader to a"
                + " majority and back, leader to client is four delays, and the budget is five (%.0f ms). A leader that sends a new"
                + " entry, or starts a read's heartbeat round, only at its next heartbeat (every %d ms) makes each operation wait"
                + " for it", calls, average, delay, budget, cluster.timing().heartbeatInterval().toMillis()));
    }

    static final int PROMPT_CALLS = 400;
    /**
     * Network delays a call may take: a redirect by a follower (two), the request to the leader
     * (one), an AppendEntries or heartbeat round already on its way (two), its own round trip
     * (two), the answer (one), and two to spare.
     */
    static final int PROMPT_DELAYS = 10;

    /**
     * Budget per call (§8, thesis §6.4): on a reliable network with a settled leader, no call waits
     * for a heartbeat or for a client's retry timer. Four clients, each first sending a get to a
     * server of its own choosing (most meet a follower, which names the leader), then run 400
     * operations of every kind; each call completes within ten network delays.
     */
    static void promptAnswers(long seed) {
        Conditions network = Conditions.reliable();
        Cluster cluster = store(5, 4, seed, network);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        cluster.runFor(millis(100)); // its no-op commits
        long term = cluster.view(leader).term();
        for (int k = 1; k <= cluster.clientIds().size(); k++) {
            cluster.submit(k, Operation.get("x")); // a get first: a client without a leader finds one before its first write
        }
        settle(cluster, seconds(2));
        Workload workload = Workload.random(cluster, seed, KeyValueSuite.KEYS).start();
        cluster.runUntil(c -> workload.submitted() >= PROMPT_CALLS, seconds(20));
        workload.stop();
        settle(cluster, seconds(5));
        KeyValueSuite.requireAllOk(cluster, "by four clients on a reliable network");
        SuiteSupport.setUp(cluster, cluster.view(leader).isLeader() && cluster.view(leader).term() == term, "node" + leader
                + " should have led throughout, on a reliable network");
        Duration budget = network.maxLatency().multipliedBy(PROMPT_DELAYS);
        Call slowest = cluster.history().calls().stream().max(Comparator.comparingLong(c -> c.completed() - c.invoked())).orElseThrow();
        Duration took = Duration.ofNanos((slowest.completed() - slowest.invoked()) * 1000);
        Histories.check(cluster, took.compareTo(budget) <= 0, Rule.PROMPT_REPLICATION, "the slowest of " + cluster.history().size()
                + " calls took " + Time.format(took) + ": " + slowest + ", with node" + leader + " leading throughout on a network"
                + " where a message takes " + network.minLatency().toMillis() + "–" + network.maxLatency().toMillis() + " ms. The"
                + " budget is " + PROMPT_DELAYS + " network delays (" + Time.format(budget) + "): a follower's answer naming the"
                + " leader (two), the request to the leader (one), an AppendEntries or heartbeat round already on its way (two),"
                + " the call's own round trip (two), the answer (one), and two to spare. A client that waits for its retry timer"
                + " instead of following a not-leader hint, or a leader that starts a read's round, sends an entry or answers"
                + " a confirmed read only at its next heartbeat (every " + cluster.timing().heartbeatInterval().toMillis()
                + " ms), makes calls wait for it");
    }

    /** Budget: reads by read-index add nothing to the log. */
    static void readsAddNoEntries(long seed) {
        Cluster cluster = store(3, 2, seed, Conditions.reliable());
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        requireOk(cluster.perform(1, Operation.put("x", "1"), seconds(2)), "client1's put x 1");
        long length = cluster.view(leader).lastLogIndex();
        for (int i = 0; i < 100; i++) {
            for (int k = 1; k <= 2; k++) {
                Outcome read = cluster.perform(k, Operation.get("x"), seconds(2));
                check(read != null && read.isOk() && "1".equals(read.value()), Rule.LINEARIZABLE, "client" + k + "'s get x answered "
                        + read + " after put x 1 was acknowledged");
            }
        }
        long after = cluster.view(leader).lastLogIndex();
        Histories.check(cluster, after == length, Rule.READ_INDEX, "200 gets by read-index made node" + leader + "'s log grow from " + length + " to "
                + after + " entries: a read by read-index needs no log entry, only a heartbeat round and the applied state");
        requireLinearizable(cluster, Rule.LINEARIZABLE, "of 200 reads by read-index");
    }
}
