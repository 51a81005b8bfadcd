package harness.suites;

import harness.api.Entry;
import harness.api.Proposal;
import harness.api.Role;
import harness.api.Rule;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
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
@DisplayName(ReplicationSuite.TITLE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ReplicationSuite extends SuiteSupport {

    /** Suite 2's title in grade tables; {@link FastBackupSuite} shares it, so the two classes grade as one suite. */
    static final String TITLE = "Suite 2 · Log replication (§5.3, §5.4.1)";

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
    @Graded(points = 5, rule = Rule.CLIENT_REDIRECT)
    @DisplayName("Redirects after a term change: a candidate, a follower and a deposed leader that see a newer term name no leader of an older one; once they hear the new leader, they name it")
    void redirectAfterTermChange(long seed) {
        Cluster cluster = cluster(5, seed);
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        cluster.runFor(millis(200)); // heartbeats tell every follower who leads
        long term = cluster.view(old).term();

        cluster.note("the leader node" + old + " is cut off: the others will stand in term " + (term + 1) + " or later");
        cluster.isolate(old);
        boolean stood = cluster.runUntil(c -> c.views().stream()
                .anyMatch(v -> v.id() != old && v.role() == Role.CANDIDATE && v.term() > term), seconds(2));
        check(stood, Rule.ELECTION_LIVENESS, "no server stood for election within 2 s of the leader node" + old + " being cut off; "
                + electionDiagnosis(cluster));
        int candidate = cluster.views().stream()
                .filter(v -> v.id() != old && v.role() == Role.CANDIDATE && v.term() > term).findFirst().orElseThrow().id();
        requireNoStaleHint(cluster, candidate, old, term, "right after its election timer ran out and it stood for election");
        boolean heard = cluster.runUntil(c -> c.views().stream()
                .anyMatch(v -> v.id() != old && v.id() != candidate && v.role() == Role.FOLLOWER && v.term() > term), seconds(2));
        check(heard, Rule.HIGHER_TERM, "2 s after node" + candidate + " stood for election in term " + cluster.view(candidate).term()
                + ", no other server has adopted a term above " + term + ":\n" + logs(cluster));
        int follower = cluster.views().stream()
                .filter(v -> v.id() != old && v.id() != candidate && v.role() == Role.FOLLOWER && v.term() > term)
                .findFirst().orElseThrow().id();
        requireNoStaleHint(cluster, follower, old, term, "right after it adopted that term from a message (a candidate's vote request,"
                + " most likely)");
        int next = requireLeader(cluster, seconds(2), "after the leader node" + old + " was cut off");
        cluster.runFor(millis(200));

        // The old leader comes back, but hears the new term only from the replies to its heartbeats, not from the new leader.
        long newTerm = cluster.view(next).term();
        cluster.note("node" + old + " comes back; the new leader node" + next + "'s AppendEntries do not reach it yet");
        Network.Rule unheard = cluster.network().dropWhere(p -> p.is("AppendEntries") && p.to() == old);
        cluster.reconnect(old);
        boolean deposed = cluster.runUntil(c -> c.view(old).term() > term, seconds(1));
        check(deposed, Rule.HIGHER_TERM, "node" + old + ", leader of term " + term + ", reconnected to servers of term " + newTerm
                + ", but 1 s later it is still in term " + cluster.view(old).term() + ": the replies to its heartbeats carry the"
                + " higher term, and a server that sees a higher term adopts it and steps down");
        requireNoStaleHint(cluster, old, old, term, "right after it learned of term " + cluster.view(old).term() + " from the replies to"
                + " its heartbeats, which made it step down as leader, and before it heard from node" + next);
        unheard.remove();
        cluster.runFor(millis(200));
        int now = requireLeader(cluster, seconds(2), "after node" + old + " came back");
        requireRedirects(cluster, cluster.others(now), now);
    }

    /**
     * Server {@code id} has just seen a term newer than {@code oldTerm}, which {@code old} led: it
     * refuses a proposal, and names no leader, or the leader of its own term, never {@code old}.
     */
    private static void requireNoStaleHint(Cluster cluster, int id, int old, long oldTerm, String when) {
        NodeView v = cluster.view(id);
        String who = "node" + id + " (" + v.role().toString().toLowerCase(java.util.Locale.ROOT) + " of term " + v.term() + "), "
                + when + ",";
        Proposal answer = cluster.propose(id, "sent to node" + id);
        check(answer instanceof Proposal.NotLeader, Rule.CLIENT_REDIRECT, who + " answered a proposal with " + answer + "; only the"
                + " leader takes proposals");
        Integer hint = ((Proposal.NotLeader) answer).leaderHint();
        if (hint == null) {
            return;
        }
        NodeView named = cluster.view(hint);
        boolean current = named.isLeader() && named.term() == v.term();
        check(current, Rule.CLIENT_REDIRECT, who + " refused a proposal naming node" + hint + (hint == id ? ", itself," : "")
                + " as the leader, but node" + hint + " does not lead term " + v.term() + (hint == old ? ": it led term "
                + oldTerm + (hint == id ? "" : " until it was cut off") : "") + ". A server that moves to a"
                + " higher term, adopting it or standing for election in it, forgets the leader it knew, whose term is over"
                + " (a deposed leader forgets itself); until it"
                + " hears from the leader of its new term it names none, so a client tries another server, and then it"
                + " names the new one");
    }

    @Order(4)
    @Graded(points = 5, rule = Rule.REPLICATION_BUDGET)
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

    @Order(5)
    @Graded(points = 5, rule = Rule.LOG_REPLICATION)
    @DisplayName("A lagging follower catches up: 150 entries behind, it gets them in a few messages when it rejoins")
    void laggingFollowerCatchesUp(long seed) {
        Cluster cluster = cluster(5, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        int lagging = cutOffFollower(cluster, leader, seed);
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

    /** Cuts off a follower of {@code leader}, which one depending on the seed, and returns it. */
    private static int cutOffFollower(Cluster cluster, int leader, long seed) {
        int follower = cluster.others(leader).get(Math.floorMod(seed, cluster.size() - 1));
        cluster.isolate(follower);
        return follower;
    }

    /** 150 entries at 64 per message make 3, after a round trip to find the follower's end, a new election, heartbeats. */
    static final int LAGGING_MESSAGES = 12;

    @Order(6)
    @Graded(points = 5, rule = Rule.CONSISTENCY_CHECK)
    @DisplayName("A partitioned old leader's entries are overwritten: it and its follower adopt the new leader's log")
    void oldLeaderEntriesOverwritten(long seed) {
        Cluster cluster = cluster(5, seed);
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        long oldTerm = cluster.view(old).term();
        requireAcceptedRun(cluster, old, "shared", 1, 2, oldTerm);
        requireReplicated(cluster, cluster.ids(), 2, millis(500), "two entries proposed with every server connected");
        int follower = cluster.others(old).get(0);
        List<Integer> majority = cluster.ids().stream().filter(id -> id != old && id != follower).toList();
        cluster.partition(List.of(old, follower), majority);
        requireAcceptedRun(cluster, old, "lost", 3, 5, oldTerm); // it still believes it leads
        requireReplicated(cluster, List.of(old, follower), 5, millis(500), "node" + old + " took three entries in the minority");
        int first = requireLeader(cluster, seconds(2), "in the majority " + majority + " after the partition");
        long term = cluster.view(first).term();
        requireAcceptedRun(cluster, first, "kept", 3, 5, term);
        requireReplicated(cluster, majority, 5, millis(500), "node" + first + " took three entries in the majority");
        // The leader changes once more: the new one starts at nextIndex 6, and must find where the old logs agree with it.
        int leader = majority.stream().filter(id -> id != first).findFirst().orElseThrow();
        moveLeadership(cluster, first, leader);
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

    @Order(7)
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

    @Order(8)
    @Graded(points = 10, rule = Rule.CONSISTENCY_CHECK)
    @DisplayName("Figure 7: a new leader repairs followers that miss entries, hold extra ones of older terms, or both")
    void figure7(long seed) {
        Cluster cluster = cluster(7, seed);
        Director director = new Director(cluster);
        Figure7.Terms terms = new Figure7.Terms(cluster, director);
        try {
            Figure7.play(cluster, director, terms);
        } catch (AssertionError failure) {
            throw new AssertionError(failure.getMessage() + "\n  " + terms.legend(), failure);
        }
    }

    // ---- The election restriction -----------------------------------------------------------------

    @Order(11)
    @Graded(points = 10, rule = Rule.UP_TO_DATE_VOTE)
    @DisplayName("Up-to-date votes: two servers with stale logs stand for election for 1.5 s and never win")
    void upToDateVote(long seed) {
        Cluster cluster = cluster(5, seed);
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        long oldTerm = cluster.view(old).term();
        requireAcceptedRun(cluster, old, "shared", 1, 3, oldTerm);
        requireReplicated(cluster, cluster.ids(), 3, millis(500), "three entries proposed with every server connected");
        cluster.isolate(old);
        requireAcceptedRun(cluster, old, "stale", 4, 13, oldTerm); // a longer log, but of an older term
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
        check(cluster.runUntil(c -> c.view(shorter).term() > term, seconds(1)), Rule.ELECTION_LIVENESS, "in the scenario's"
                + " set-up, node" + shorter + ", cut off, did not time out within 1 s");

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

    // ---- Latency budget -------------------------------------------------------------------------

    @Order(13)
    @Graded(points = 5, rule = Rule.PROMPT_REPLICATION)
    @DisplayName("Latency budget: on a reliable network each of 40 proposals reaches every follower within five network delays, and a follower back from a short cut catches up 300 entries within a heartbeat interval plus a round trip per AppendEntries")
    void latencyBudget(long seed) {
        Latency.budget(seed, Latency.Goal.STORED);
    }

    // ---- A slow link -----------------------------------------------------------------------------

    @Order(14)
    @Graded(points = 5, rule = Rule.REPLICATION_BUDGET)
    @DisplayName("Catching up over a slow link: messages take 40–60 ms, longer than a heartbeat interval; a follower 640 entries behind is sent each entry a few times at most, not once more for every heartbeat that crossed a reply")
    void slowLinkCatchUp(long seed) {
        Cluster cluster = cluster(3, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        int lagging = cutOffFollower(cluster, leader, seed);
        requireAcceptedRun(cluster, leader, "entry", 1, SLOW_LAG, cluster.view(leader).term());
        requireReplicated(cluster, cluster.others(lagging), SLOW_LAG, seconds(1), "node" + leader + " took " + SLOW_LAG
                + " commands with node" + lagging + " cut off");
        Conditions slow = Conditions.reliable().withLatency(millis(40), millis(60));
        cluster.setConditions(slow);
        cluster.note("node" + lagging + " rejoins, " + SLOW_LAG + " entries behind, on a network where a message takes " + slow);
        try (Sends sends = new Sends(cluster, "AppendEntries")) {
            cluster.reconnect(lagging);
            boolean caughtUp = cluster.runUntil(c -> c.leader().isPresent()
                    && c.view(lagging).log().equals(c.view(c.leader().get()).log()), seconds(5));
            check(caughtUp, Rule.LOG_REPLICATION, "5 s after node" + lagging + " rejoined " + SLOW_LAG + " entries behind, it"
                    + " has not caught up:\n" + logs(cluster));
            long budget = (long) SLOW_LINK_COPIES * SLOW_LAG;
            check(sends.entries(lagging) <= budget, Rule.REPLICATION_BUDGET, "to catch up node" + lagging + ", "
                    + SLOW_LAG + " entries behind, the leaders sent it " + sends.entries(lagging) + " entries in "
                    + sends.count(lagging) + " AppendEntries; the budget is " + SLOW_LINK_COPIES + " copies of each, " + budget
                    + ". A round trip here takes longer than a heartbeat interval (" + cluster.timing().heartbeatInterval()
                    .toMillis() + " ms), so heartbeats send the entries in flight again before their reply arrives. A"
                    + " leader that answers every success with the next message turns each such copy into one more copy of"
                    + " everything after it, and the copies add up; a success that acknowledges less than the latest"
                    + " request carried answers an earlier copy, and the later request is still on its way");
        }
    }

    static final int SLOW_LAG = 640;
    /**
     * Copies of each entry a slow catch-up may send: the request, one more for each heartbeat while
     * its reply is out (up to three in a 120 ms round trip), and one to spare. The reference sends
     * 2.7–3.4 copies; a leader that sends after every success, 9 and more.
     */
    static final int SLOW_LINK_COPIES = 5;

    // ---- Churn ----------------------------------------------------------------------------------

    @Order(12)
    @Graded(points = 10, rule = Rule.LOG_REPLICATION)
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
}
