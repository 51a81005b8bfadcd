package harness.suites;

import harness.api.Entry;
import harness.api.Proposal;
import harness.api.Rule;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.cluster.Network;
import harness.grade.Graded;
import harness.observe.NodeView;
import harness.observe.Time;
import harness.observe.TraceEvent;
import harness.wire.MessageCodec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static harness.grade.Scenario.cluster;

/**
 * Suite 2: log replication (§5.3) and the election restriction (§5.4.1). Every scenario also runs
 * the continuous checks of Figure 3 (Log Matching, Leader Append-Only, ...) and those of suite 1.
 * Nothing is committed before milestone 3, so these scenarios ask only where entries go: to every
 * server the leader can reach, after the entry that matches, repairing whatever does not.
 */
@Tag("milestone-2")
@DisplayName("Suite 2 · Log replication (§5.3, §5.4.1)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ReplicationSuite extends SuiteSupport {

    @Order(1)
    @Graded(points = 10, rule = Rule.LOG_REPLICATION)
    @DisplayName("Basic agreement: 30 commands proposed to the leader reach every log, in order")
    void basicAgreement(long seed) {
        Cluster cluster = cluster(5, seed);
        SplittableRandom random = new SplittableRandom(seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long term = cluster.view(leader).term();
        List<String> commands = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String command = "set x" + i;
            requireAccepted(cluster, leader, command, i, term);
            commands.add(command);
            cluster.runFor(millis(random.nextLong(0, 21)));
        }
        boolean agreed = cluster.runUntil(c -> allLogsEqual(c, c.view(leader).log()), seconds(1));
        check(agreed, Rule.LOG_REPLICATION, "1 s after node" + leader + " took the last of 30 commands, the logs still differ:\n"
                + logs(cluster) + "A leader sends every follower the entries from its nextIndex on, and keeps sending until"
                + " the follower has them");
        List<String> held = commands(cluster.view(leader).log());
        check(held.equals(commands), Rule.LOG_REPLICATION, "every log holds " + held + ", but the commands proposed, in order,"
                + " were " + commands);
    }

    @Order(2)
    @Graded(points = 5, rule = Rule.CLIENT_REDIRECT)
    @DisplayName("Only the leader takes proposals: followers refuse and name the leader, before and after a new election")
    void clientRedirect(long seed) {
        Cluster cluster = cluster(5, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        cluster.runFor(millis(200)); // heartbeats tell every follower who leads
        requireRedirects(cluster, cluster.others(leader), leader);
        long term = cluster.view(leader).term();
        requireAccepted(cluster, leader, "accepted", cluster.view(leader).lastLogIndex() + 1, term);

        cluster.isolate(leader);
        int next = requireLeader(cluster, seconds(2), "after the leader node" + leader + " was cut off");
        cluster.runFor(millis(200));
        requireRedirects(cluster, cluster.others(leader).stream().filter(id -> id != next).toList(), next);
    }

    /** Each of {@code followers} refuses a proposal, names {@code leader}, and leaves its log alone. */
    private static void requireRedirects(Cluster cluster, List<Integer> followers, int leader) {
        long term = cluster.view(leader).term();
        for (int id : followers) {
            List<Entry> before = cluster.view(id).log();
            Proposal answer = cluster.propose(id, "sent to node" + id);
            boolean named = answer instanceof Proposal.NotLeader refused && Objects.equals(refused.leaderHint(), leader);
            check(named, Rule.CLIENT_REDIRECT, "node" + id + ", a follower that has heard node" + leader + "'s heartbeats in term "
                    + term + ", answered a proposal with " + answer + "; it should refuse with NotLeader naming node" + leader);
            check(cluster.view(id).log().equals(before), Rule.CLIENT_REDIRECT, "node" + id + " refused a proposal as a follower but"
                    + " changed its log from " + before + " to " + cluster.view(id).log() + "; only the leader appends commands");
        }
    }

    @Order(3)
    @Graded(points = 10, rule = Rule.REPLICATION_BUDGET)
    @DisplayName("Each entry is sent about once: a burst of 100 proposals reaches 4 followers in a few AppendEntries each")
    void burstBudget(long seed) {
        Cluster cluster = cluster(5, seed);
        SplittableRandom random = new SplittableRandom(seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        cluster.runFor(millis(200));
        int followers = cluster.size() - 1;
        try (Sends sends = new Sends(cluster, "AppendEntries")) {
            long payload = 0;
            for (int i = 1; i <= BURST; i++) {
                String command = String.format("put key%03d %016x%016x", i, random.nextLong(), random.nextLong());
                payload += command.getBytes(StandardCharsets.UTF_8).length;
                requireAccepted(cluster, leader, command, i, cluster.view(leader).term());
            }
            Duration start = cluster.now();
            boolean replicated = cluster.runUntil(c -> allLogsEqual(c, c.view(leader).log()), seconds(2));
            check(replicated, Rule.LOG_REPLICATION, "2 s after a burst of " + BURST + " proposals to node" + leader
                    + ", the logs still differ:\n" + logs(cluster));
            String took = Time.format(cluster.now().minus(start));
            for (int id : cluster.others(leader)) {
                check(sends.count(id) <= BURST_MESSAGES, Rule.REPLICATION_BUDGET, "node" + leader + " sent node" + id + " "
                        + sends.count(id) + " AppendEntries to replicate a burst of " + BURST + " entries (in " + took + "); a"
                        + " leader sends several entries per message, and sends a follower nothing new while a request to it"
                        + " awaits its reply (the budget allows " + BURST_MESSAGES + ")");
            }
            Duration rest = seconds(1).minus(cluster.now().minus(start));
            if (!rest.isNegative()) {
                cluster.runFor(rest); // a second of heartbeats: any entry sent again shows in the bytes
            }
            long budget = BURST_BYTES_FACTOR * payload * followers + followers * HEARTBEAT_BYTES * heartbeatsPerSecond(cluster);
            check(sends.bytes() <= budget, Rule.REPLICATION_BUDGET, "in the second after a burst of " + BURST + " proposals"
                    + " carrying " + payload + " bytes of commands, node" + leader + " sent " + sends.bytes() + " bytes of"
                    + " AppendEntries to its " + followers + " followers (" + sends.total() + " messages). Each entry should"
                    + " travel to each follower about once: the budget allows " + BURST_BYTES_FACTOR + " × " + payload + " × "
                    + followers + " bytes, plus " + HEARTBEAT_BYTES + " bytes per heartbeat");
        }
    }

    static final int BURST = 100;
    /** Per follower, for 100 entries: 64 per message makes 2, plus the heartbeats in the meantime. */
    static final int BURST_MESSAGES = 10;
    /** Wire bytes per payload byte: the JSON of an entry around its command, with room to spare. */
    static final long BURST_BYTES_FACTOR = 2;
    /** An allowance per heartbeat, whatever fields a milestone adds to AppendEntries. */
    static final long HEARTBEAT_BYTES = 150;

    private static long heartbeatsPerSecond(Cluster cluster) {
        return 1000 / cluster.timing().heartbeatInterval().toMillis() + 1;
    }

    @Order(4)
    @Graded(points = 10, rule = Rule.LOG_REPLICATION)
    @DisplayName("A lagging follower catches up: 150 entries behind, it gets them in a few messages when it rejoins")
    void laggingFollowerCatchesUp(long seed) {
        Cluster cluster = cluster(5, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        int lagging = cluster.others(leader).get(Math.floorMod(seed, cluster.size() - 1));
        cluster.isolate(lagging);
        for (int i = 1; i <= 150; i++) {
            requireAccepted(cluster, leader, "entry " + i, i, cluster.view(leader).term());
            if (i % 10 == 0) {
                cluster.runFor(millis(20));
            }
        }
        requireReplicated(cluster, cluster.others(lagging), 150, seconds(1), "node" + leader + " took 150 commands");
        cluster.note("node" + lagging + " rejoins, 150 entries behind");
        FalseSuccess falseSuccess = new FalseSuccess(lagging, id -> cluster.view(id).lastLogIndex());
        cluster.trace().subscribe(falseSuccess);
        try (Sends sends = new Sends(cluster, "AppendEntries")) {
            Duration start = cluster.now();
            cluster.reconnect(lagging);
            boolean caughtUp = cluster.runUntil(c -> c.leader().isPresent()
                    && c.view(lagging).log().equals(c.view(c.leader().get()).log()), seconds(2));
            if (!caughtUp && falseSuccess.first() != null) {
                throw violation(Rule.CONSISTENCY_CHECK, "2 s after node" + lagging + " rejoined 150 entries behind, it has not"
                        + " caught up, and it said it had: " + falseSuccess.first() + ". A follower answers success only"
                        + " when its log holds the leader's entry at prevLogIndex; the leader now takes node" + lagging + " to"
                        + " hold everything up to there and sends it nothing older:\n" + logs(cluster));
            }
            check(caughtUp, Rule.LOG_REPLICATION, "2 s after node" + lagging + " rejoined 150 entries behind, it has not caught"
                    + " up:\n" + logs(cluster));
            int next = cluster.leader().orElseThrow();
            check(cluster.view(next).lastLogIndex() == 150, Rule.UP_TO_DATE_VOTE, "node" + next + (next == lagging ? ", the"
                    + " server that had lagged," : "") + " won an election after node" + lagging + " rejoined, with a log of "
                    + cluster.view(next).lastLogIndex() + " entries, though a majority held 150; every log is now the"
                    + " winner's:\n" + logs(cluster));
            check(sends.count(lagging) <= LAGGING_MESSAGES, Rule.REPLICATION_BUDGET, "node" + lagging + " got "
                    + sends.count(lagging) + " AppendEntries in the " + Time.format(cluster.now().minus(start)) + " it took to"
                    + " catch up 150 entries. A follower whose log is too short for the consistency check says where its"
                    + " log ends, so the leader goes there at once, then sends several entries per message: a handful of"
                    + " messages (the budget allows " + LAGGING_MESSAGES + "). That hint goes beyond Figure 2, whose leader"
                    + " backs up one entry per refusal and so spends a round trip on each missing entry; §5.3 offers it as"
                    + " an optimization, and suite 2 grades it as fast backup");
        } finally {
            cluster.trace().unsubscribe(falseSuccess);
        }
    }

    /**
     * Watches one follower for a success it had no right to: an AppendEntriesReply with
     * {@code "success":true} sent while handling an AppendEntries whose prevLogIndex lies past the
     * end of its log, as it stands after handling it. Reads the wire format only.
     */
    static final class FalseSuccess implements Consumer<TraceEvent> {
        private final int follower;
        private final java.util.function.IntToLongFunction lastLogIndex;
        /** The AppendEntries the follower is handling now, if that is what it is doing. */
        private TraceEvent.Delivered handling;
        private String first;

        FalseSuccess(int follower, java.util.function.IntToLongFunction lastLogIndex) {
            this.follower = follower;
            this.lastLogIndex = lastLogIndex;
        }

        @Override
        public void accept(TraceEvent e) {
            if (e instanceof TraceEvent.Delivered d && d.packet().to() == follower) {
                handling = d.packet().is("AppendEntries") ? d : null;
            } else if (e instanceof TraceEvent.TimerFired t && t.node() == follower) {
                handling = null;
            } else if (e instanceof TraceEvent.Sent sent && sent.packet().from() == follower && handling != null
                    && sent.packet().is("AppendEntriesReply") && first == null
                    && Boolean.TRUE.equals(MessageCodec.booleanField(sent.packet().bytes(), "success"))) {
                Long prevLogIndex = MessageCodec.longField(handling.packet().bytes(), "prev_log_index");
                long last = lastLogIndex.applyAsLong(follower);
                if (prevLogIndex != null && last < prevLogIndex) {
                    Long prevLogTerm = MessageCodec.longField(handling.packet().bytes(), "prev_log_term");
                    first = "at " + Time.format(sent.timeMicros()) + " node" + follower + " answered success to node"
                            + handling.packet().from() + "'s AppendEntries with prev_log_index " + prevLogIndex
                            + (prevLogTerm == null ? "" : " and prev_log_term " + prevLogTerm) + ", while its log held "
                            + (last == 0 ? "no entry" : last == 1 ? "1 entry" : last + " entries");
                }
            }
        }

        /** The first false success, in words, or null. */
        String first() {
            return first;
        }
    }

    /** 150 entries at 64 per message make 3, after a round trip to find the follower's end, a new election, heartbeats. */
    static final int LAGGING_MESSAGES = 12;

    @Order(5)
    @Graded(points = 10, rule = Rule.CONSISTENCY_CHECK)
    @DisplayName("A partitioned old leader's entries are overwritten: it and its follower adopt the new leader's log")
    void oldLeaderEntriesOverwritten(long seed) {
        Cluster cluster = cluster(5, seed);
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        long oldTerm = cluster.view(old).term();
        for (int i = 1; i <= 2; i++) {
            requireAccepted(cluster, old, "shared " + i, i, oldTerm);
        }
        requireReplicated(cluster, cluster.ids(), 2, millis(500), "two entries proposed with every server connected");
        int follower = cluster.others(old).get(0);
        List<Integer> majority = cluster.ids().stream().filter(id -> id != old && id != follower).toList();
        cluster.partition(List.of(old, follower), majority);
        for (int i = 3; i <= 5; i++) {
            requireAccepted(cluster, old, "lost " + i, i, oldTerm); // it still believes it leads
        }
        requireReplicated(cluster, List.of(old, follower), 5, millis(500), "node" + old + " took three entries in the minority");
        int first = requireLeader(cluster, seconds(2), "in the majority " + majority + " after the partition");
        long term = cluster.view(first).term();
        for (int i = 3; i <= 5; i++) {
            requireAccepted(cluster, first, "kept " + i, i, term);
        }
        requireReplicated(cluster, majority, 5, millis(500), "node" + first + " took three entries in the majority");
        // The leader changes once more: the new one starts at nextIndex 6, and must find where the old logs agree with it.
        int leader = majority.stream().filter(id -> id != first).findFirst().orElseThrow();
        handOver(cluster, first, leader);
        cluster.note("the partition heals: node" + old + " and node" + follower + " hold entries 3–5 of term " + oldTerm
                + ", the others entries 3–5 of term " + term);
        cluster.heal();
        boolean repaired = cluster.runUntil(c -> c.leader().isPresent()
                && allLogsEqual(c, c.view(c.leader().get()).log()), seconds(2));
        check(repaired, Rule.CONSISTENCY_CHECK, "2 s after the partition healed, the logs still differ:\n" + logs(cluster)
                + "A follower whose entry at prevLogIndex has another term fails the consistency check; the leader backs"
                + " up until the logs match, and the follower deletes its conflicting entries and takes the leader's");
        List<String> expected = List.of("shared 1", "shared 2", "kept 3", "kept 4", "kept 5");
        check(commands(cluster.view(old).log()).equals(expected), Rule.CONSISTENCY_CHECK, "after the partition healed every log"
                + " holds " + commands(cluster.view(old).log()) + ", but the majority's log was " + expected);
    }

    @Order(6)
    @Graded(points = 5, rule = Rule.CONSISTENCY_CHECK)
    @DisplayName("A delayed AppendEntries does not cut off entries a later one added")
    void delayedAppendEntries(long seed) {
        Cluster cluster = cluster(3, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        int follower = cluster.others(leader).get(0);
        cluster.runFor(millis(100));
        long term = cluster.view(leader).term();
        boolean[] armed = {true};
        Network.Held delayed = cluster.network().holdWhere(p -> {
            if (armed[0] && p.is("AppendEntries") && p.to() == follower) {
                armed[0] = false;
                return true;
            }
            return false;
        });
        requireAccepted(cluster, leader, "a", 1, term);
        check(cluster.runUntil(c -> delayed.count() == 1, millis(500)), Rule.LOG_REPLICATION, "node" + leader
                + " sent no AppendEntries to node" + follower + " within 500 ms of taking a proposal");
        requireAccepted(cluster, leader, "b", 2, term);
        requireAccepted(cluster, leader, "c", 3, term);
        requireReplicated(cluster, List.of(leader, follower), 3, millis(500), "while the first AppendEntries to node" + follower
                + " (carrying entry 1) was held back");
        cluster.note("the AppendEntries held back since entry 1 was new arrives now, after entries 1–3");
        delayed.release();
        cluster.runFor(millis(50));
        List<String> after = commands(cluster.view(follower).log());
        check(after.equals(List.of("a", "b", "c")), Rule.CONSISTENCY_CHECK, "node" + follower + " held entries a, b, c; then a"
                + " delayed AppendEntries arrived carrying only entry 1 (\"a\"), after which node" + follower + " holds " + after
                + ". A follower deletes its entries only from a conflict (same index, different term) on; entries that"
                + " match stay, or a reordered message undoes the work of a later one");
        boolean same = cluster.runUntil(c -> allLogsEqual(c, c.view(leader).log()), millis(300));
        check(same, Rule.LOG_REPLICATION, "the logs differ 300 ms after the delayed message:\n" + logs(cluster));
    }

    // ---- Figure 7 -------------------------------------------------------------------------------

    /**
     * The logs of the paper's Figure 7, by the term the paper gives each entry: the leader's, and
     * followers (a)–(f). Indexes count from 1; a command names the paper's term and its index.
     */
    static final int[] LEADER = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
    static final Map<String, int[]> FOLLOWERS = new TreeMap<>(Map.of(
            "a", new int[] {1, 1, 1, 4, 4, 5, 5, 6, 6},
            "b", new int[] {1, 1, 1, 4},
            "c", new int[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6},
            "d", new int[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7},
            "e", new int[] {1, 1, 1, 4, 4, 4, 4},
            "f", new int[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}));

    private static String fig7(int paperTerm, int index) {
        return "t" + paperTerm + "-i" + index;
    }

    @Order(7)
    @Graded(points = 15, rule = Rule.CONSISTENCY_CHECK)
    @DisplayName("Figure 7: a new leader repairs followers that miss entries, hold extra ones of older terms, or both")
    void figure7(long seed) {
        Cluster cluster = cluster(7, seed);
        Director director = new Director(cluster);
        Figure7Terms terms = new Figure7Terms(cluster, director);
        try {
            playFigure7(cluster, director, terms);
        } catch (AssertionError failure) {
            throw new AssertionError(failure.getMessage() + "\n  " + terms.legend(), failure);
        }
    }

    private static void playFigure7(Cluster cluster, Director director, Figure7Terms terms) {
        List<Integer> all = cluster.ids();
        // The steps name the paper's terms; the servers' own terms run higher, in the same order, and terms.propose notes
        // which of ours plays each of the paper's.
        int l = director.free(all, "Figure 7's term 1: the seven servers elect a leader, who plays the leader of Figure 7");
        List<Integer> rest = cluster.others(l);
        int a = rest.get(0), b = rest.get(1), c = rest.get(2), d = rest.get(3), e = rest.get(4), f = rest.get(5);
        Map<String, Integer> follower = new TreeMap<>(Map.of("a", a, "b", b, "c", c, "d", d, "e", e, "f", f));
        cluster.note("node" + l + " plays the leader; " + follower.entrySet().stream()
                .map(p -> "node" + p.getValue() + " (" + p.getKey() + ")").collect(Collectors.joining(", ")));
        for (int i = 1; i <= 3; i++) {
            terms.propose(l, fig7(1, i), i);
        }
        director.await(all, 3, "entries 1–3 of term 1");

        // Terms 2 and 3: f wins twice; cut off each time the moment it wins, it keeps its entries to itself.
        director.handOver(f, "Figure 7's term 2: f times out first and wins");
        cluster.isolate(f);
        for (int i = 4; i <= 6; i++) {
            terms.propose(f, fig7(2, i), i);
        }
        director.free(cluster.others(f), "the six others elect a leader among themselves (their logs are alike)");
        director.electAhead(f, all, "Figure 7's term 3: f, whose log is ahead of everyone's, rejoins and wins again");
        cluster.isolate(f);
        for (int i = 7; i <= 11; i++) {
            terms.propose(f, fig7(3, i), i);
        }

        // Term 4: e leads everyone but f; b gets entry 4 only, and e keeps entries 6–7 to itself.
        director.free(cluster.others(f), "the six others elect a leader among themselves again");
        director.handOver(e, "Figure 7's term 4: e times out first and wins");
        terms.propose(e, fig7(4, 4), 4);
        director.await(cluster.others(f), 4, "entry 4 of term 4");
        cluster.partition(List.of(l, a, c, d, e));
        terms.propose(e, fig7(4, 5), 5);
        director.await(List.of(l, a, c, d, e), 5, "entry 5 of term 4, with b cut off");
        cluster.isolate(e);
        terms.propose(e, fig7(4, 6), 6);
        terms.propose(e, fig7(4, 7), 7);

        // Terms 5 and 6: the leader, then c, lead the four that remain; a misses entry 10, c keeps entry 11 to itself.
        director.free(List.of(l, a, c, d), "the leader, a, c and d elect a leader among themselves");
        director.handOver(l, "Figure 7's term 5: the leader of Figure 7 times out first and wins");
        terms.propose(l, fig7(5, 6), 6);
        terms.propose(l, fig7(5, 7), 7);
        director.await(List.of(l, a, c, d), 7, "entries 6–7 of term 5");
        director.handOver(c, "Figure 7's term 6: c times out first and wins");
        terms.propose(c, fig7(6, 8), 8);
        terms.propose(c, fig7(6, 9), 9);
        director.await(List.of(l, a, c, d), 9, "entries 8–9 of term 6");
        cluster.partition(List.of(l, c, d));
        terms.propose(c, fig7(6, 10), 10);
        director.await(List.of(l, c, d), 10, "entry 10 of term 6, with a cut off");
        cluster.partition();
        terms.propose(c, fig7(6, 11), 11);

        // Term 7: d wins the votes of a, b, e and f, whose logs are behind its own; cut off at once, it keeps entries 11–12.
        director.electAhead(d, List.of(a, b, d, e, f), "Figure 7's term 7: d wins the votes of a, b, e and f");
        cluster.partition();
        terms.propose(d, fig7(7, 11), 11);
        terms.propose(d, fig7(7, 12), 12);

        List<String> leaderLog = figure7Log(LEADER);
        List<String> wrong = new ArrayList<>();
        if (!commands(cluster.view(l).log()).equals(leaderLog)) {
            wrong.add("node" + l + " (the leader) holds " + commands(cluster.view(l).log()) + ", not " + leaderLog);
        }
        follower.forEach((row, id) -> {
            List<String> expected = figure7Log(FOLLOWERS.get(row));
            if (!commands(cluster.view(id).log()).equals(expected)) {
                wrong.add("node" + id + " (" + row + ") holds " + commands(cluster.view(id).log()) + ", not " + expected);
            }
        });
        director.setUp(wrong.isEmpty(), "the history did not produce the logs of Figure 7:\n  " + String.join("\n  ", wrong));
        cluster.note("the logs of Figure 7 are built");

        // Term 8: the leader wins with the votes of a, b, e and f (c and d, whose logs are ahead, would refuse; they hear of
        // the new leader from its first AppendEntries), then repairs all six.
        director.electAhead(l, all, "Figure 7's term 8: the leader of Figure 7 wins with the votes of a, b, e and f");
        terms.propose(l, fig7(8, 11), 11); // a new entry at index 11, conflicting with the extra entries of (c) and (d)
        boolean repaired = cluster.runUntil(cl -> allLogsEqual(cl, cl.view(l).log()), seconds(3));
        List<String> expected = new ArrayList<>(leaderLog);
        expected.add(fig7(8, 11));
        check(repaired, Rule.CONSISTENCY_CHECK, "node" + l + " leads with the leader's log of Figure 7, but 3 s later its"
                + " followers still differ from it:\n" + logs(cluster) + "The leader finds, follower by follower, the last"
                + " index where their logs agree (each failed consistency check backs nextIndex up), then sends everything"
                + " after it; the follower deletes its conflicting entries and appends the leader's");
        check(commands(cluster.view(l).log()).equals(expected), Rule.CONSISTENCY_CHECK, "every server holds "
                + commands(cluster.view(l).log()) + " after the repair, but the leader's log was " + expected);
    }

    /**
     * Which of our terms plays each of Figure 7's. The history takes more elections than the paper
     * shows, so the servers' terms run higher than the paper's, in the same order; the commands
     * keep the paper's ("t4-i5": Figure 7's entry of term 4 at index 5). Each mapping is noted in
     * the trace when its first entry is proposed, and a failure ends with all of them.
     */
    static final class Figure7Terms {
        private final Cluster cluster;
        private final Director director;
        private final Map<Integer, Long> ours = new TreeMap<>();

        Figure7Terms(Cluster cluster, Director director) {
            this.cluster = cluster;
            this.director = director;
        }

        /** The leader {@code at} takes Figure 7's entry {@code command} ("t4-i5"), which must land at {@code index}. */
        void propose(int at, String command, int index) {
            director.propose(at, command, index);
            int paperTerm = paperTerm(command);
            long term = cluster.view(at).term();
            if (ours.putIfAbsent(paperTerm, term) == null) {
                cluster.note("the paper's term " + paperTerm + " = our term " + term + " (node" + at + " leads it; its entries"
                        + " are named t" + paperTerm + "-i…)");
            }
        }

        String legend() {
            return legend(ours);
        }

        /** The paper's term a Figure 7 command names: 4 for "t4-i5". */
        static int paperTerm(String command) {
            return Integer.parseInt(command.substring(1, command.indexOf('-')));
        }

        /** "The terms: … paper's term 1 = our term 1, paper's term 2 = our term 3, …". */
        static String legend(Map<Integer, Long> ours) {
            String names = "The terms: commands name Figure 7's entries by the paper's term and index (\"t4-i5\": term 4,"
                    + " index 5)";
            if (ours.isEmpty()) {
                return names + "; no entry had been proposed yet";
            }
            return names + ", while the terms shown beside them are the servers' own, which run higher: "
                    + ours.entrySet().stream().map(e -> "paper's term " + e.getKey() + " = our term " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    private static List<String> figure7Log(int[] terms) {
        List<String> log = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            log.add(fig7(terms[i], i + 1));
        }
        return log;
    }

    // ---- Fast backup ----------------------------------------------------------------------------

    @Order(8)
    @Graded(points = 10, rule = Rule.FAST_BACKUP)
    @DisplayName("Fast backup: two servers 60 entries astray on 5 nodes are repaired in a few round trips each")
    void fastBackup(long seed) {
        Cluster cluster = cluster(5, seed);
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        long oldTerm = cluster.view(old).term();
        for (int i = 1; i <= 5; i++) {
            requireAccepted(cluster, old, "shared " + i, i, oldTerm);
        }
        requireReplicated(cluster, cluster.ids(), 5, millis(500), "five entries proposed with every server connected");
        int follower = cluster.others(old).get(Math.floorMod(seed, cluster.size() - 1));
        List<Integer> majority = cluster.ids().stream().filter(id -> id != old && id != follower).toList();
        cluster.partition(List.of(old, follower), majority);
        for (int i = 6; i <= 65; i++) {
            requireAccepted(cluster, old, "astray " + i, i, oldTerm);
        }
        requireReplicated(cluster, List.of(old, follower), 65, millis(500), "node" + old + " took 60 entries in the minority");
        int first = requireLeader(cluster, seconds(2), "in the majority " + majority + " after the partition");
        long term = cluster.view(first).term();
        for (int i = 6; i <= 75; i++) {
            requireAccepted(cluster, first, "kept " + i, i, term);
        }
        requireReplicated(cluster, majority, 75, millis(500), "node" + first + " took 70 entries in the majority");
        // The leader changes once more, so the one that meets the astray servers starts at nextIndex 76, past their logs.
        int leader = majority.stream().filter(id -> id != first).findFirst().orElseThrow();
        handOver(cluster, first, leader);
        cluster.note("the partition heals: node" + old + " and node" + follower + " hold 60 entries of term " + oldTerm
                + " after index 5, where the leader node" + leader + " holds 70 of term " + term);
        try (Sends sends = new Sends(cluster, "AppendEntries")) {
            Duration start = cluster.now();
            cluster.heal();
            boolean repaired = cluster.runUntil(c -> allLogsEqual(c, c.view(leader).log()), seconds(2));
            check(repaired, Rule.CONSISTENCY_CHECK, "2 s after the partition healed, the logs still differ:\n" + logs(cluster));
            String took = Time.format(cluster.now().minus(start));
            for (int astray : List.of(old, follower)) {
                check(sends.count(astray) <= FAST_BACKUP_MESSAGES, Rule.FAST_BACKUP, "node" + leader + " sent node" + astray + " "
                        + sends.count(astray) + " AppendEntries to repair 60 divergent entries of term " + oldTerm + " (in " + took
                        + "). With the follower's hint (the conflicting term and its first index) the leader skips a whole"
                        + " term per round trip; backing up one entry at a time, Figure 2's own rule, repairs the log too but"
                        + " takes one round trip per entry (the budget allows " + FAST_BACKUP_MESSAGES + ")");
            }
        }
    }

    /** Two failed checks (a log too short, then a term to skip), two messages of up to 64 entries, heartbeats. */
    static final int FAST_BACKUP_MESSAGES = 10;

    // ---- The election restriction -----------------------------------------------------------------

    @Order(9)
    @Graded(points = 10, rule = Rule.UP_TO_DATE_VOTE)
    @DisplayName("Up-to-date votes: two servers with stale logs stand for election for 1.5 s and never win")
    void upToDateVote(long seed) {
        Cluster cluster = cluster(5, seed);
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        long oldTerm = cluster.view(old).term();
        for (int i = 1; i <= 3; i++) {
            requireAccepted(cluster, old, "shared " + i, i, oldTerm);
        }
        requireReplicated(cluster, cluster.ids(), 3, millis(500), "three entries proposed with every server connected");
        cluster.isolate(old);
        for (int i = 4; i <= 13; i++) {
            requireAccepted(cluster, old, "stale " + i, i, oldTerm); // a longer log, but of an older term
        }
        int leader = requireLeader(cluster, seconds(2), "after the leader node" + old + " was cut off");
        long term = cluster.view(leader).term();
        requireAccepted(cluster, leader, "new 4", 4, term);
        List<Integer> four = cluster.others(old);
        requireReplicated(cluster, four, 4, millis(500), "node" + leader + " took one entry");
        int shorter = four.stream().filter(id -> id != leader).findFirst().orElseThrow();
        cluster.isolate(shorter); // its last entry has the newest term, but it misses the next two
        requireAccepted(cluster, leader, "new 5", 5, term);
        requireAccepted(cluster, leader, "new 6", 6, term);
        List<Integer> voters = four.stream().filter(id -> id != shorter).toList();
        requireReplicated(cluster, voters, 6, millis(500), "node" + leader + " took two more entries");
        check(cluster.runUntil(c -> c.view(shorter).term() > term, seconds(1)), Rule.ELECTION_LIVENESS, "scenario set-up failed:"
                + " node" + shorter + ", cut off, did not time out within 1 s");

        // Nobody's log changes from here on (every AppendEntries is lost), and only the two stale servers may stand.
        Network.Rule onlyStale = cluster.network().dropWhere(p -> p.is("AppendEntries")
                || (p.is("RequestVote") && p.from() != old && p.from() != shorter));
        cluster.note("only node" + old + " (13 entries, the last of term " + oldTerm + ") and node" + shorter + " (4 entries, the"
                + " last of term " + term + ") may stand, and no AppendEntries arrives; node"
                + voters.stream().map(String::valueOf).collect(Collectors.joining(", node")) + " hold 6 entries, the last of"
                + " term " + term);
        try (Elections elections = new Elections(cluster)) {
            cluster.heal();
            cluster.runFor(millis(1500));
            if (!elections.won().isEmpty()) {
                Elections.Won won = elections.won().get(0);
                NodeView winner = cluster.view(won.node());
                throw violation(Rule.UP_TO_DATE_VOTE, won + " with votes from " + voterNames(cluster, won) + ", though its log"
                        + " was behind theirs: node" + old + " held 13 entries ending in term " + oldTerm + ", node" + shorter
                        + " 4 entries ending in term " + term + ", while node" + voters.get(0) + ", node" + voters.get(1)
                        + " and node" + voters.get(2) + " held 6 entries ending in term " + term + " (now node" + winner.id()
                        + " holds " + describe(winner) + ")");
            }
        }
        onlyStale.remove();
        int next = requireLeader(cluster, seconds(3), "after every server could stand again");
        check(voters.contains(next), Rule.UP_TO_DATE_VOTE, "node" + next + " won with a log behind those of node" + voters);
        boolean converged = cluster.runUntil(c -> allLogsEqual(c, c.view(next).log()), seconds(1));
        check(converged, Rule.LOG_REPLICATION, "1 s after node" + next + " won, the logs still differ:\n" + logs(cluster));
        List<String> expected = List.of("shared 1", "shared 2", "shared 3", "new 4", "new 5", "new 6");
        check(commands(cluster.view(next).log()).equals(expected), Rule.UP_TO_DATE_VOTE, "every server holds "
                + commands(cluster.view(next).log()) + " after the elections, but three servers held " + expected);
    }

    private static String voterNames(Cluster cluster, Elections.Won won) {
        return cluster.trace().history().stream()
                .filter(e -> e instanceof TraceEvent.RoleChanged r && r.node() == won.node() && r.term() == won.term())
                .map(e -> ((TraceEvent.RoleChanged) e).votes())
                .filter(Objects::nonNull)
                .map(votes -> votes.stream().map(v -> "node" + v).collect(Collectors.joining(", ")))
                .findFirst().orElse("a majority");
    }

    // ---- Churn ----------------------------------------------------------------------------------

    @Order(10)
    @Graded(points = 15, rule = Rule.LOG_REPLICATION)
    @DisplayName("Churn: 8 s of partitions and proposals on a lossy, duplicating, reordering network; then every log agrees")
    void churn(long seed) {
        Cluster cluster = cluster(5, seed, Conditions.unreliable());
        SplittableRandom random = new SplittableRandom(seed);
        int proposed = 0;
        while (cluster.now().compareTo(seconds(8)) < 0) {
            randomTopology(cluster, random);
            for (int step = 0; step < 4; step++) {
                // Every server that believes it leads takes commands, a stale leader in a minority too: its entries must go.
                proposed = proposeAtEveryLeader(cluster, random, proposed);
                cluster.runFor(millis(random.nextLong(50, 151)));
            }
        }
        cluster.heal();
        requireLeader(cluster, seconds(5), "after the churn stopped and the network healed");
        // A new entry from the final leader overwrites whatever stale entries lie past the end of its log.
        String last = "after the churn";
        long proposedInTerm = -1;
        Duration deadline = cluster.now().plus(seconds(5));
        while (!agreeOn(cluster, last)) {
            check(cluster.now().compareTo(deadline) < 0, Rule.LOG_REPLICATION, "5 s after the churn stopped and the network"
                    + " healed, the logs still differ (or lack the command \"" + last + "\" proposed to the leader):\n"
                    + logs(cluster));
            Optional<Integer> leader = cluster.leader();
            if (leader.isPresent() && cluster.view(leader.get()).term() != proposedInTerm
                    && !commands(cluster.view(leader.get()).log()).contains(last)) {
                proposedInTerm = cluster.view(leader.get()).term();
                cluster.propose(leader.get(), last);
            }
            cluster.runUntil(c -> agreeOn(c, last), millis(100));
        }
    }

    private static boolean agreeOn(Cluster cluster, String command) {
        Optional<Integer> leader = cluster.leader();
        if (leader.isEmpty()) {
            return false;
        }
        List<Entry> log = cluster.view(leader.get()).log();
        return commands(log).contains(command) && allLogsEqual(cluster, log);
    }

    // ---- Helpers --------------------------------------------------------------------------------

    /**
     * Moves the leadership from {@code from} to {@code to} of the same log: the leader's heartbeats
     * stop reaching {@code to} alone, so it times out first and wins the others' votes.
     */
    private static void handOver(Cluster cluster, int from, int to) {
        Network.Rule unheard = cluster.network().dropWhere(p -> p.is("AppendEntries") && p.from() == from && p.to() == to);
        boolean won = cluster.runUntil(c -> c.view(to).isLeader(), seconds(2));
        unheard.remove();
        check(won, Rule.ELECTION_LIVENESS, "the scenario's set-up failed: node" + to + ", no longer hearing the leader node"
                + from + ", did not win an election within 2 s; " + electionDiagnosis(cluster));
    }


    /** Counts the messages of one type, and their bytes, by receiver, while it is open. */
    private static final class Sends implements AutoCloseable {
        private final Cluster cluster;
        private final String type;
        private final Map<Integer, long[]> byReceiver = new HashMap<>();
        private final Consumer<TraceEvent> listener = this::onEvent;

        Sends(Cluster cluster, String type) {
            this.cluster = cluster;
            this.type = type;
            cluster.trace().subscribe(listener);
        }

        private void onEvent(TraceEvent e) {
            if (e instanceof TraceEvent.Sent sent && sent.packet().is(type)) {
                long[] c = byReceiver.computeIfAbsent(sent.packet().to(), id -> new long[2]);
                c[0]++;
                c[1] += sent.packet().bytes().length;
            }
        }

        long count(int to) {
            return byReceiver.getOrDefault(to, new long[2])[0];
        }

        long total() {
            return byReceiver.values().stream().mapToLong(c -> c[0]).sum();
        }

        long bytes() {
            return byReceiver.values().stream().mapToLong(c -> c[1]).sum();
        }

        @Override
        public void close() {
            cluster.trace().unsubscribe(listener);
        }
    }
}
