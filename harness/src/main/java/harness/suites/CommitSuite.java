package harness.suites;

import harness.api.Role;
import harness.api.Rule;
import harness.api.Timing;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.cluster.Network;
import harness.grade.Graded;
import harness.observe.NodeView;
import harness.observe.Time;
import harness.observe.TraceEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;

import static harness.grade.Scenario.cluster;
import static harness.suites.Commits.Problem;
import static harness.suites.Commits.requireAppliedExactly;
import static harness.suites.Commits.requireAppliedTheirLogs;
import static harness.suites.Commits.rotated;
import static harness.suites.Commits.runChecking;

/**
 * Suite 3: commitment (§5.3–5.4.2). A leader commits an entry of its own term once a majority
 * stores it, and with it every entry before; followers learn how far from leaderCommit; every
 * server applies committed entries once each, in order. Every scenario also runs the continuous
 * checks of Figure 3 (State Machine Safety and Leader Completeness among them: whatever a server
 * counts as committed must never change, and every later leader must hold it) and those of
 * suites 1 and 2.
 *
 * <p>Before milestone 4 a restarted server forgets its log and its vote, so these scenarios never
 * restart one: a leader "crashes" by being cut off. And a new leader of this milestone appends no
 * entry of its own when elected (no no-op entry, §8), so a scenario that needs earlier terms'
 * entries committed after an election proposes a command to the new leader.
 *
 * <p>This class holds commitment at a majority (a cluster of one included), the paper's Figure 8,
 * churn, and what committing costs in messages and in time; {@link CommitIndexSuite}, under the
 * same title, how a server's commitIndex and lastApplied move.
 */
@Tag("milestone-3")
@DisplayName(CommitSuite.TITLE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class CommitSuite extends SuiteSupport {

    /** Suite 3's title in grade tables; {@link CommitIndexSuite} shares it, so the two classes grade as one suite. */
    static final String TITLE = "Suite 3 · Commitment (§5.3–5.4.2)";

    // ---- Commit at a majority -------------------------------------------------------------------

    @Order(1)
    @Graded(points = 10, rule = Rule.COMMIT_AT_MAJORITY)
    @DisplayName("Commit at a majority: with 2 of 5 servers cut off entries commit; with 3 cut off they wait, and commit once a majority is back")
    void commitAtMajority(long seed) {
        Cluster cluster = cluster(5, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long term = cluster.view(leader).term();
        List<Integer> followers = rotated(cluster.others(leader), seed);
        int a = followers.get(0), b = followers.get(1), c = followers.get(2), d = followers.get(3);
        List<String> proposed = new ArrayList<>();

        cluster.note("node" + c + " and node" + d + " are cut off; node" + leader + ", node" + a + " and node" + b + " remain, a majority");
        cluster.partition(List.of(leader, a, b));
        for (int i = 1; i <= 5; i++) {
            requireAccepted(cluster, leader, "cmd " + i, i, term);
            proposed.add("cmd " + i);
        }
        boolean committed = cluster.runUntil(cl -> cl.view(leader).commitIndex() >= 5, millis(500));
        check(committed, Rule.COMMIT_AT_MAJORITY, "node" + leader + ", leader of term " + term + ", took 5 commands while it could"
                + " reach node" + a + " and node" + b + " (3 servers of 5, a majority), but 500 ms later its commitIndex is "
                + cluster.view(leader).commitIndex() + ". Once a majority (the leader included) stores an entry of the leader's"
                + " term, the leader commits it:\n" + states(cluster));
        boolean learned = cluster.runUntil(cl -> List.of(a, b).stream().allMatch(id -> cl.view(id).lastApplied() >= 5), millis(500));
        check(learned, Rule.COMMIT_AT_MAJORITY, "node" + leader + " committed entries 1–5, but 500 ms later its followers have not"
                + " applied them all. A follower learns how far the leader has committed from leaderCommit in the next"
                + " AppendEntries (a heartbeat at the latest), and applies up to there:\n" + states(cluster));
        requireAppliedExactly(cluster, List.of(leader, a, b), proposed, "after entries 1–5 committed");
        for (int cut : List.of(c, d)) {
            NodeView v = cluster.view(cut);
            check(v.commitIndex() == 0 && v.lastApplied() == 0, Rule.COMMIT_AT_MAJORITY, "node" + cut + ", cut off before any"
                    + " entry reached it, has commitIndex " + v.commitIndex() + " and lastApplied " + v.lastApplied());
        }

        cluster.note("node" + b + " is cut off too: node" + leader + " and node" + a + " are 2 of 5, not a majority");
        cluster.partition(List.of(leader, a));
        for (int i = 6; i <= 10; i++) {
            requireAccepted(cluster, leader, "cmd " + i, i, term);
            proposed.add("cmd " + i);
        }
        requireReplicated(cluster, List.of(leader, a), 10, millis(500), "node" + leader + " took 5 more commands with only node"
                + a + " connected");
        runChecking(cluster, seconds(1), cl -> cl.views().stream()
                .filter(v -> v.commitIndex() > 5 || v.lastApplied() > 5)
                .map(v -> new Problem(Rule.COMMIT_AT_MAJORITY, "node" + v.id() + " has commitIndex " + v.commitIndex()
                        + " and lastApplied " + v.lastApplied() + " although entries 6–10 are stored on node" + leader
                        + " and node" + a + " only, 2 servers of 5; an entry is committed once a majority stores it, and"
                        + " only a committed entry is applied"))
                .findFirst().orElse(null));

        cluster.note("node" + b + " comes back: a majority again, and a new election, since node" + b + " stood in ever higher terms");
        cluster.partition(List.of(leader, a, b));
        boolean elected = cluster.runUntil(cl -> cl.leader().isPresent() && cl.view(cl.leader().get()).term() > term, seconds(2));
        check(elected, Rule.ELECTION_LIVENESS, "node" + b + ", back after standing in terms up to " + cluster.view(b).term()
                + " on its own, did not lead node" + leader + " and node" + a + " to a new election within 2 s:\n" + states(cluster));
        int next = cluster.leader().orElseThrow();
        long nextTerm = cluster.view(next).term();
        // Entries 6–10 are of an older term now: the new leader commits them with an entry of its own (§5.4.2).
        requireAccepted(cluster, next, "cmd 11", 11, nextTerm);
        proposed.add("cmd 11");
        List<Integer> majority = List.of(leader, a, b);
        boolean caughtUp = cluster.runUntil(cl -> majority.stream().allMatch(id -> cl.view(id).lastApplied() >= 11), seconds(1));
        check(caughtUp, Rule.COMMIT_AT_MAJORITY, "node" + next + " leads term " + nextTerm + " with node" + a + ", node" + b + " and"
                + " node" + leader + " connected, a majority, and took entry 11; 1 s later they have not all applied entries 1–11."
                + " The leader sends node" + b + " the entries it lacks, commits entry 11 of its own term once a majority"
                + " stores it (entries 6–10 of term " + term + " with it), and followers apply up to leaderCommit:\n" + states(cluster));
        requireAppliedExactly(cluster, majority, proposed, "after the majority was back");

        cluster.note("the network heals: node" + c + " and node" + d + " come back");
        cluster.heal();
        requireSettled(cluster, "cmd 12", seconds(3), "after the network healed");
        List<String> log = commands(cluster.view(cluster.leader().orElseThrow()).log());
        check(log.subList(0, 11).equals(proposed), Rule.COMMIT_AT_MAJORITY, "every server holds " + log + ", but the first 11"
                + " entries, all committed, were " + proposed);
        requireAppliedTheirLogs(cluster);
    }

    @Order(2)
    @Graded(points = 5, rule = Rule.COMMIT_AT_MAJORITY)
    @DisplayName("A cluster of one: the lone server elects itself, and every proposal commits and is applied with no peer to wait for")
    void oneServer(long seed) {
        Cluster cluster = cluster(1, seed);
        SplittableRandom random = new SplittableRandom(seed);
        int id = requireLeader(cluster, seconds(2), "in a cluster of one server, whose own vote is a majority of one");
        long term = cluster.view(id).term();
        List<String> proposed = new ArrayList<>();
        for (int burst = 1; burst <= 5; burst++) {
            for (int k = random.nextInt(1, 6); k > 0; k--) {
                String command = "solo " + (proposed.size() + 1);
                requireAccepted(cluster, id, command, proposed.size() + 1, term);
                proposed.add(command);
            }
            long index = proposed.size();
            boolean committed = cluster.runUntil(c -> c.view(id).commitIndex() >= index && c.view(id).lastApplied() >= index,
                    ONE_SERVER_PATIENCE);
            check(committed, Rule.COMMIT_AT_MAJORITY, "node" + id + ", the only server of its cluster and leader of term " + term
                    + ", took entries up to index " + index + ", but " + Time.format(ONE_SERVER_PATIENCE) + " later its commitIndex"
                    + " is " + cluster.view(id).commitIndex() + " and lastApplied " + cluster.view(id).lastApplied() + ". Alone, its"
                    + " own log is a majority: an entry is committed as soon as the leader has stored it. A leader that looks for"
                    + " a new commit point only when a follower's reply arrives never finds one here; it must look when it"
                    + " appends an entry too");
            cluster.runFor(millis(random.nextLong(0, 120)));
        }
        requireAppliedExactly(cluster, List.of(id), proposed, "in a cluster of one");
    }

    /** Two heartbeat intervals: a lone leader has nothing to wait for, but may commit on a timer of its own. */
    static final Duration ONE_SERVER_PATIENCE = millis(100);

    // ---- Figure 8 -------------------------------------------------------------------------------

    /**
     * The servers S1–S5 of the paper's Figure 8, played by the cluster's nodes, after steps (a)–(c)
     * of the figure. Commands name the paper's term and index: "t2-i2" is the entry S1 takes in
     * term 2 at index 2. The servers' own terms run higher, in the same order.
     */
    private record Figure8(Cluster cluster, Director director, int[] s, Network.Rule s4Apart) {

        /** "S1 (node3)". */
        String name(int k) {
            return "S" + k + " (node" + s[k] + ")";
        }

        NodeView view(int k) {
            return cluster.view(s[k]);
        }

        List<Integer> nodes(int... ks) {
            List<Integer> ids = new ArrayList<>();
            for (int k : ks) {
                ids.add(s[k]);
            }
            return ids;
        }

        boolean holds(int k, String... commands) {
            return commands(view(k).log()).equals(List.of(commands));
        }
    }

    /**
     * Builds Figure 8 (a)–(c) step by step: S1 leads term 2 and its entry at index 2 reaches S2
     * only; S5 wins term 3 with the votes of S3 and S4 and takes another entry at index 2, then
     * crashes; S1 wins term 4 with the votes of S3 and S4 and copies its term-2 entry to S3. That
     * entry is now on a majority (S1, S2, S3), yet it is of an earlier term: it must not count as
     * committed, and the scenario checks that it does not.
     */
    private static Figure8 figure8UpToC(long seed) {
        Cluster cluster = cluster(5, seed);
        Director director = new Director(cluster);
        int first = director.free(cluster.ids(), "term 1: the five servers elect a leader, who plays S2");
        List<Integer> rest = cluster.others(first);
        int[] s = {0, rest.get(0), first, rest.get(1), rest.get(2), rest.get(3)};
        Figure8 ab = new Figure8(cluster, director, s, null);
        cluster.note("Figure 8: " + ab.name(1) + ", " + ab.name(2) + ", " + ab.name(3) + ", " + ab.name(4) + ", " + ab.name(5));
        director.propose(s[2], "t1-i1", 1);
        boolean everywhere = cluster.runUntil(c -> c.views().stream().allMatch(v -> v.lastApplied() >= 1), millis(500));
        check(everywhere, Rule.COMMIT_AT_MAJORITY, "in the scenario's set-up, entry 1, proposed to " + ab.name(2) + " with every"
                + " server connected, was not applied everywhere within 500 ms:\n" + states(cluster));

        // (a) S1 leads term 2. (b) The moment S5 stands for term 3, S1 takes "t2-i2", which reaches S2 only
        // (and S1 hears from S2 only: the others' replies would tell it of term 3).
        director.handOver(s[1], "(a) term 2: S1 times out first and wins");
        long t2 = ab.view(1).term();
        cluster.runFor(millis(60)); // S1's first heartbeats reach every server
        Network.Rule[] onlyToS2 = new Network.Rule[1];
        director.handOver(s[5], ab.nodes(3, 4), "(b) term 3: S5 times out first and wins with the votes of S3 and S4", () -> {
            onlyToS2[0] = cluster.network().dropWhere(p -> (p.from() == s[1] && p.to() != s[2]) || (p.to() == s[1] && p.from() != s[2]));
            requireAccepted(cluster, s[1], "t2-i2", 2, t2);
            boolean reached = cluster.runUntil(c -> c.view(s[2]).lastLogIndex() >= 2, millis(100));
            check(reached, Rule.LOG_REPLICATION, "in the scenario's set-up, " + ab.name(1) + ", leader of term " + t2 + ", took"
                    + " entry 2, which did not reach " + ab.name(2) + ", the one server it can talk to, within 100 ms");
        });
        onlyToS2[0].remove();
        cluster.isolate(s[1]); // S1 crashes: cut off, since before milestone 4 a restart would forget its log and vote
        cluster.isolate(s[5]); // S5 crashes too, right after it takes an entry: the entry stays its own
        long t3 = ab.view(5).term();
        requireAccepted(cluster, s[5], "t3-i2", 2, t3);
        director.setUp(ab.holds(1, "t1-i1", "t2-i2") && ab.holds(2, "t1-i1", "t2-i2") && ab.holds(3, "t1-i1")
                && ab.holds(4, "t1-i1") && ab.holds(5, "t1-i1", "t3-i2"), "the logs are not those of Figure 8 (b)");

        // (c) S1 wins term 4 with the votes of S3 and S4, and copies "t2-i2" to S3 (S4 stays as in the figure).
        Network.Rule s4Apart = cluster.network().dropWhere(p -> p.is("AppendEntries") && p.from() == s[1] && p.to() == s[4]);
        Figure8 f = new Figure8(cluster, director, s, s4Apart);
        director.electAhead(s[1], f.nodes(1, 2, 3, 4), "(c) term 4: S5 crashes; S1 comes back and wins with the votes of S3 and S4");
        long t4 = f.view(1).term();
        boolean copied = cluster.runUntil(c -> f.holds(3, "t1-i1", "t2-i2"), millis(500));
        if (!copied) {
            director.requireStillLeads(s[1], "500 ms after it won");
        }
        check(copied, Rule.CONSISTENCY_CHECK, "in the scenario's set-up, " + f.name(1) + ", leader of term " + t4 + ", did not"
                + " copy its entry at index 2 to " + f.name(3) + " within 500 ms:\n" + logs(cluster));
        cluster.runFor(millis(150)); // S3's reply reaches S1; heartbeats would carry any commit to S2 and S3
        for (NodeView v : cluster.views()) {
            check(v.commitIndex() < 2, Rule.COMMIT_CURRENT_TERM, "Figure 8 (c): " + f.name(1) + ", leader of term " + t4
                    + ", has copied \"t2-i2\" (an entry of term " + t2 + ") to " + f.name(2) + " and " + f.name(3) + ", so it is"
                    + " stored on a majority; node" + v.id() + " now counts it committed (commitIndex " + v.commitIndex() + ")."
                    + " But " + f.name(5) + " holds \"t3-i2\" of the later term " + t3 + " at index 2, so S2, S3 and S4 would"
                    + " still vote for it, and as leader it would overwrite index 2 everywhere (Figure 8 (d)). A leader"
                    + " counts replicas only for entries of its own term; an earlier entry is committed along with one of"
                    + " those\n" + states(cluster));
        }
        return f;
    }

    @Order(4)
    @Graded(points = 15, rule = Rule.COMMIT_CURRENT_TERM)
    @DisplayName("Figure 8 (a)–(d): an entry of an earlier term, stored on a majority, is not committed, and a later leader overwrites it")
    void figure8Overwritten(long seed) {
        Figure8 f = figure8UpToC(seed);
        Cluster cluster = f.cluster();
        int[] s = f.s();
        long t4 = f.view(1).term();

        // (d) S1 takes "t4-i3" but crashes before it spreads; S5 wins with the votes of S2, S3 and S4.
        cluster.isolate(s[1]);
        requireAccepted(cluster, s[1], "t4-i3", 3, t4);
        f.s4Apart().remove();
        f.director().electAhead(s[5], f.nodes(2, 3, 4, 5), "(d) term 5: S1 crashes; S5 comes back and wins with the votes of"
                + " S2, S3 and S4");
        long t5 = f.view(5).term();
        boolean overwritten = cluster.runUntil(c -> f.nodes(2, 3, 4, 5).stream()
                .allMatch(id -> commands(c.view(id).log()).equals(List.of("t1-i1", "t3-i2"))), millis(500));
        check(overwritten, Rule.CONSISTENCY_CHECK, "Figure 8 (d): " + f.name(5) + " leads term " + t5 + " with \"t3-i2\" at index"
                + " 2, but 500 ms later " + f.name(2) + ", " + f.name(3) + " and " + f.name(4) + " do not all hold its log; the"
                + " followers' \"t2-i2\" conflicts with it and goes:\n"
                + logs(cluster));
        cluster.runFor(millis(150));
        for (NodeView v : cluster.views()) {
            check(v.commitIndex() < 2, Rule.COMMIT_CURRENT_TERM, "Figure 8 (d): " + f.name(5) + ", leader of term " + t5 + ", has"
                    + " copied \"t3-i2\" (of term " + f.view(5).entryAt(2).term() + ") to " + f.name(2) + ", " + f.name(3) + " and "
                    + f.name(4) + ", and node" + v.id()
                    + " counts it committed (commitIndex " + v.commitIndex() + "), although " + f.name(5) + " has no entry of"
                    + " its own term yet. A leader counts replicas only for entries of its own term\n" + states(cluster));
        }

        // S5 takes an entry of its own term: committing it commits "t3-i2" too. Then S1 comes back and is repaired.
        requireAccepted(cluster, s[5], "t5-i3", 3, t5);
        boolean committed = cluster.runUntil(c -> f.nodes(2, 3, 4, 5).stream().allMatch(id -> c.view(id).lastApplied() >= 3),
                millis(500));
        check(committed, Rule.COMMIT_AT_MAJORITY, f.name(5) + " took \"t5-i3\" with " + f.name(2) + ", " + f.name(3) + " and "
                + f.name(4) + " connected, but 500 ms later"
                + " they have not all committed and applied it (and \"t3-i2\" with it):\n" + states(cluster));
        cluster.note(f.name(1) + " comes back");
        cluster.heal();
        List<String> expected = List.of("t1-i1", "t3-i2", "t5-i3");
        boolean repaired = cluster.runUntil(c -> c.views().stream()
                .allMatch(v -> commands(v.log()).equals(expected) && v.lastApplied() == 3), millis(500));
        check(repaired, Rule.COMMIT_AT_MAJORITY, "500 ms after " + f.name(1) + " came back, not every server holds and has applied "
                + expected + ":\n" + states(cluster));
        requireAppliedExactly(cluster, cluster.ids(), expected, "at the end of Figure 8 (d); \"t2-i2\", once on a majority but"
                + " never committed, must never have been applied");
    }

    @Order(5)
    @Graded(points = 10, rule = Rule.COMMIT_CURRENT_TERM)
    @DisplayName("Figure 8 (a)–(c), (e): once the leader commits an entry of its own term, the entries before it are committed too, and no server without them can win")
    void figure8Committed(long seed) {
        Figure8 f = figure8UpToC(seed);
        Cluster cluster = f.cluster();
        int[] s = f.s();
        long t4 = f.view(1).term();

        // (e) S1 takes "t4-i3" and copies it to S2 and S3, a majority: it commits, and "t2-i2" with it.
        requireAccepted(cluster, s[1], "t4-i3", 3, t4);
        List<String> expected = List.of("t1-i1", "t2-i2", "t4-i3");
        boolean committed = cluster.runUntil(c -> f.nodes(1, 2, 3).stream().allMatch(id -> c.view(id).lastApplied() >= 3),
                millis(500));
        check(committed, Rule.COMMIT_CURRENT_TERM, "Figure 8 (e): " + f.name(1) + ", leader of term " + t4 + ", took \"t4-i3\""
                + " with " + f.name(2) + " and " + f.name(3) + " connected; once they store it, a majority holds an entry of"
                + " S1's own term, which commits it and every entry before it. But 500 ms later S1, S2 and S3 have not all"
                + " applied entries 1–3:\n" + states(cluster));
        requireAppliedExactly(cluster, f.nodes(1, 2, 3), expected, "in Figure 8 (e)");

        // S1 crashes. S5 stands again and again with S2, S3 and S4: only S4 (whose log is behind) votes for it.
        cluster.isolate(s[1]);
        f.s4Apart().remove();
        Duration from = cluster.now();
        try (Elections elections = new Elections(cluster)) {
            f.director().letStand(s[5], f.nodes(2, 3, 4, 5), "(e) S1 crashes; S5 comes back and stands for election, for 1 s");
            cluster.runFor(seconds(1));
            if (!elections.won().isEmpty()) {
                Elections.Won won = elections.won().get(0);
                NodeView v = cluster.view(won.node());
                throw violation(Rule.LEADER_COMPLETENESS, won + " without the committed entries at index 2 and 3 (its log: "
                        + commands(v.log()) + "). " + f.name(2) + " and " + f.name(3) + " hold \"t4-i3\" of term " + t4
                        + ", a log more up-to-date than " + f.name(5) + "'s, whose last entry is of term "
                        + f.view(5).entryAt(2).term() + ": with " + f.name(1) + " gone, S5 needs one of their votes, and they"
                        + " refuse it (§5.4.1)");
            }
        }
        boolean stood = cluster.trace().history().stream().anyMatch(e -> e instanceof TraceEvent.RoleChanged r
                && r.node() == s[5] && r.to() == Role.CANDIDATE && r.timeMicros() >= from.toNanos() / 1000);
        check(stood, Rule.ELECTION_LIVENESS, f.name(5) + ", cut off from every leader, did not stand for election once in 1 s");

        int next = f.director().free(f.nodes(2, 3, 4, 5), "S2, S3, S4 and S5 elect a leader freely");
        check(f.nodes(2, 3).contains(next), Rule.LEADER_COMPLETENESS, "node" + next + " won, though only " + f.name(2) + " and "
                + f.name(3) + " hold the committed entries 2 and 3:\n" + logs(cluster));
        long term = cluster.view(next).term();
        requireAccepted(cluster, next, "t6-i4", 4, term);
        cluster.note(f.name(1) + " comes back");
        cluster.heal();
        List<String> all = List.of("t1-i1", "t2-i2", "t4-i3", "t6-i4");
        boolean converged = cluster.runUntil(c -> c.views().stream()
                .allMatch(v -> commands(v.log()).equals(all) && v.lastApplied() == 4), seconds(1));
        check(converged, Rule.COMMIT_AT_MAJORITY, "1 s after node" + next + " took \"t6-i4\" and the network healed, not every"
                + " server holds and has applied " + all + ":\n" + states(cluster));
        requireAppliedExactly(cluster, cluster.ids(), all, "at the end of Figure 8 (e)");
    }

    // ---- Figure 8 at random ---------------------------------------------------------------------

    static final int FIGURE8_ROUNDS = 600;
    /**
     * The chance that a server which believes it leads takes commands in a round. Low, so that most
     * leaders take none for a while and copy earlier terms' entries alone (Figure 8 (c)): a leader
     * that counted replicas of those would commit them, and this scenario would see them lost.
     */
    static final double FIGURE8_PROPOSE_CHANCE = 0.1;

    @Order(6)
    @Graded(points = 10, rule = Rule.STATE_MACHINE_SAFETY)
    @DisplayName("Figure 8 at random: 600 rounds of occasional proposals, the leader cut off at random moments, on a lossy, reordering network; nothing committed is lost")
    void figure8Randomized(long seed) {
        Cluster cluster = cluster(5, seed, Conditions.unreliable());
        SplittableRandom random = new SplittableRandom(seed);
        TreeSet<Integer> connected = new TreeSet<>(cluster.ids());
        int proposed = 0;
        try (CommittedLog committed = new CommittedLog(cluster)) {
            for (int round = 1; round <= FIGURE8_ROUNDS; round++) {
                // A server that believes it leads, a leader already cut off too, may take a command or two.
                int leader = 0;
                for (int id : cluster.leaders()) {
                    for (int k = random.nextDouble() < FIGURE8_PROPOSE_CHANCE ? random.nextInt(1, 3) : 0; k > 0; k--) {
                        cluster.propose(id, "r" + round + " #" + ++proposed);
                    }
                    if (connected.contains(id)) {
                        leader = id;
                    }
                }
                cluster.runFor(random.nextInt(10) == 0 ? millis(random.nextLong(0, 150)) : millis(random.nextLong(1, 14)));
                committed.read();
                boolean changed = false;
                if (leader != 0 && random.nextBoolean()) {
                    connected.remove(leader); // the leader "crashes" at a random moment
                    changed = true;
                }
                if (connected.size() < 3) {
                    List<Integer> out = cluster.ids().stream().filter(id -> !connected.contains(id)).toList();
                    connected.add(out.get(random.nextInt(out.size())));
                }
                if (changed) {
                    cluster.partition(connected); // the servers outside it are each cut off alone
                }
            }
            cluster.heal();
            requireSettled(cluster, "after the rounds", seconds(5), "after " + FIGURE8_ROUNDS + " rounds, once the network healed");
            committed.read();
            committed.requireIn(cluster.view(cluster.leader().orElseThrow()).log(), Rule.STATE_MACHINE_SAFETY);
            requireAppliedTheirLogs(cluster);
        }
    }

    // ---- Churn ----------------------------------------------------------------------------------

    @Order(7)
    @Graded(points = 10, rule = Rule.LEADER_COMPLETENESS)
    @DisplayName("Churn: 8 s of partitions and proposals on a lossy, duplicating, reordering network; every value ever committed is in the final log, and all logs agree")
    void churn(long seed) {
        Cluster cluster = cluster(5, seed, Conditions.unreliable());
        SplittableRandom random = new SplittableRandom(seed);
        int proposed = 0;
        try (CommittedLog committed = new CommittedLog(cluster)) {
            while (cluster.now().compareTo(seconds(8)) < 0) {
                randomTopology(cluster, random);
                for (int step = 0; step < 4; step++) {
                    proposed = proposeAtEveryLeader(cluster, random, proposed);
                    cluster.runFor(millis(random.nextLong(50, 151)));
                    committed.read();
                }
            }
            cluster.heal();
            requireSettled(cluster, "after the churn", seconds(5), "after the churn stopped and the network healed");
            committed.read();
            committed.requireIn(cluster.view(cluster.leader().orElseThrow()).log(), Rule.LEADER_COMPLETENESS);
            requireAppliedTheirLogs(cluster);
        }
    }

    // ---- Message budget -------------------------------------------------------------------------

    static final int BUDGET_ENTRIES = 50;

    @Order(8)
    @Graded(points = 10, rule = Rule.REPLICATION_BUDGET)
    @DisplayName("Message budget per committed entry: 50 proposals, each awaited until committed, cost about one AppendEntries and one reply per follower, plus heartbeats")
    void commitMessageBudget(long seed) {
        Cluster cluster = cluster(5, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long term = cluster.view(leader).term();
        cluster.runFor(millis(200));
        int followers = cluster.size() - 1;
        long before = replicationMessages(cluster);
        long allBefore = cluster.stats().totalSent();
        Duration start = cluster.now();
        for (int i = 1; i <= BUDGET_ENTRIES; i++) {
            requireAccepted(cluster, leader, "entry " + i, i, term);
            long index = i;
            boolean committed = cluster.runUntil(c -> c.view(leader).commitIndex() >= index, millis(500));
            check(committed, Rule.COMMIT_AT_MAJORITY, "node" + leader + " did not commit entry " + i + " within 500 ms, with"
                    + " every server connected on a reliable network:\n" + states(cluster));
        }
        Duration took = cluster.now().minus(start);
        long used = replicationMessages(cluster) - before;
        long all = cluster.stats().totalSent() - allBefore;
        long heartbeats = took.toMillis() / cluster.timing().heartbeatInterval().toMillis() + 1;
        long expected = 2L * followers * (BUDGET_ENTRIES + heartbeats);
        long budget = expected * BUDGET_FACTOR_PERCENT / 100;
        check(used <= budget, Rule.REPLICATION_BUDGET, "committing " + BUDGET_ENTRIES + " entries one at a time took " + used
                + " AppendEntries and replies in " + Time.format(took) + ", " + String.format(java.util.Locale.ROOT, "%.1f", used
                / (double) BUDGET_ENTRIES) + " per entry. Each entry needs one AppendEntries to each of the " + followers
                + " followers and one reply from each, and the commit point travels in the next AppendEntries (leaderCommit),"
                + " not in a message of its own; with " + heartbeats + " heartbeat rounds that makes about " + expected
                + " (the budget allows " + budget + "):\n" + cluster.stats().table());
        check(all - used <= 2L * followers, Rule.REPLICATION_BUDGET, "while committing " + BUDGET_ENTRIES + " entries with a"
                + " stable leader, the servers sent " + (all - used) + " messages other than AppendEntries and replies:\n"
                + cluster.stats().table());
    }

    /** Wire messages per expected message: room for replies that cross a proposal and a heartbeat or two. */
    static final long BUDGET_FACTOR_PERCENT = 150;

    private static long replicationMessages(Cluster cluster) {
        return cluster.stats().sent("AppendEntries") + cluster.stats().sent("AppendEntriesReply");
    }

    // ---- Latency budget -------------------------------------------------------------------------

    @Order(9)
    @Graded(points = 5, rule = Rule.PROMPT_REPLICATION)
    @DisplayName("Latency budget: on a reliable network each of 40 proposals commits within five network delays, and a follower back from a short cut catches up 300 entries within a heartbeat interval plus a round trip per AppendEntries")
    void latencyBudget(long seed) {
        Latency.budget(seed, Latency.Goal.COMMITTED);
    }
}
