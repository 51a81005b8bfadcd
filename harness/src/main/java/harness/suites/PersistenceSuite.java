package harness.suites;

import harness.api.Entry;
import harness.api.Rule;
import harness.api.Storage;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.cluster.Network;
import harness.grade.Graded;
import harness.observe.NodeView;
import harness.observe.TraceEvent;
import harness.storage.LogStore;
import harness.storage.Volume;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static harness.grade.Scenario.cluster;
import static harness.suites.Power.entries;
import static harness.suites.Power.persisted;
import static harness.suites.Power.requireBootedFrom;
import static harness.suites.Power.vote;

/**
 * Suite 4: persistence (§5.1, Figure 2 "persistent state"). A server keeps currentTerm, votedFor
 * and its log on stable storage, writes and syncs them before any message that depends on them
 * leaves it, and boots from exactly what its disk holds. These scenarios crash servers for real:
 * one at a time, a majority at once, all of them; right after a disk write, before the reply it
 * would have sent; and in the middle of a disk write, which leaves a torn record at the end of the
 * log. Every restart is compared with what the server's disk held when it went down.
 *
 * <p>Every scenario also runs the continuous checks of Figure 3 and of suites 1–3, and from this
 * milestone the harness checks at every message a server sends that its term, vote and log are
 * already written and synced. As in suite 3, a new leader of this milestone appends no entry of
 * its own when elected (no no-op entry, §8), so a scenario that needs earlier terms' entries
 * committed after an election proposes a command to the new leader.
 *
 * <p>This class holds the crashes in the middle of a disk write, the forgotten vote, Figure 8 and
 * churn with crashes, and the write budget; {@link RestartSuite}, under the same title, restarts
 * of every server, the leader, followers and majorities, and a cluster of one.
 */
@Tag("milestone-4")
@DisplayName(PersistenceSuite.TITLE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PersistenceSuite extends SuiteSupport {

    /** Suite 4's title in grade tables; {@link RestartSuite} shares it, so the two classes grade as one suite. */
    static final String TITLE = "Suite 4 · Persistence (§5.1, Figure 2)";

    // ---- A crash between the disk write and the reply ----------------------------------------------

    @Order(4)
    @Graded(points = 15, rule = Rule.PERSIST_BEFORE_REPLY)
    @DisplayName("A crash between the disk write and the reply: a follower storing entries and a voter granting a vote go down right after their disk sync, or in the middle of it; nothing acknowledged is lost, and nobody votes twice")
    void crashBetweenWriteAndReply(long seed) {
        crashWhileStoringEntries(seed);
        crashWhileVoting(seed, true);
        crashWhileVoting(seed, false);
    }

    /** A follower goes down right after syncing new entries, then another in the middle of syncing them. */
    private static void crashWhileStoringEntries(long seed) {
        Cluster cluster = cluster(5, seed);
        Power power = new Power(cluster);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long term = cluster.view(leader).term();
        cluster.runFor(millis(100));
        requireAcceptedRun(cluster, leader, "entry", 1, 3, term);
        requireReplicated(cluster, cluster.ids(), 3, millis(500), "in the scenario's set-up, entries 1–3 with every server connected");
        cluster.runFor(millis(100)); // every reply is in: nothing is waiting to be written
        List<Integer> followers = shuffled(cluster.others(leader), new SplittableRandom(seed));

        // Right after the sync: the entry is on the disk, the acknowledgement never left.
        int f = followers.get(0);
        Storage.Persisted acknowledged = cluster.durable(f);
        cluster.note("node" + f + " will go down right after its next disk sync, before it acts on it");
        cluster.crashAfterNextSync(f);
        requireAccepted(cluster, leader, "entry 4", 4, term);
        check(cluster.runUntil(c -> !c.isUp(f), millis(200)), Rule.PERSIST_BEFORE_REPLY, "in the scenario's set-up, node" + f
                + ", armed to go down at its next disk sync, was still up 200 ms after entry 4 was proposed: a follower syncs"
                + " new entries to its disk when they arrive, before it answers");
        Storage.Persisted disk = cluster.durable(f);
        check(startsWith(disk.log(), acknowledged.log()) && startsWith(cluster.view(leader).log(), disk.log())
                        && disk.term() == acknowledged.term() && Objects.equals(disk.votedFor(), acknowledged.votedFor()),
                Rule.RESTART_FROM_DISK, "node" + f + " had acknowledged entries 1–3 in term " + term + "; it went down right"
                        + " after a disk sync while storing entry 4, and its disk now holds " + persisted(disk) + ". What a"
                        + " server acknowledged stays on its disk, and a sync that completed holds what was written before it:"
                        + " entries 1–3, and entry 4 if it was written");
        boolean committed = cluster.runUntil(c -> c.view(leader).commitIndex() >= 4, millis(500));
        check(committed, Rule.COMMIT_AT_MAJORITY, "node" + leader + " took entry 4 with 3 of its 4 followers up, but did not"
                + " commit it within 500 ms:\n" + states(cluster));
        power.restart(f);
        requireReplicated(cluster, cluster.ids(), 4, millis(500), "after node" + f + ", which went down between storing"
                + " entry 4 and acknowledging it, restarted (the leader sends the entry again; a follower that already"
                + " holds it keeps one copy)");

        // In the middle of the sync: a part of the new entries may reach the disk, the acknowledged ones stay.
        int g = followers.get(1);
        Storage.Persisted before = cluster.durable(g);
        cluster.note("node" + g + " will lose power in the middle of its next disk sync");
        cluster.failNextSync(g);
        requireAcceptedRun(cluster, leader, "entry", 5, 7, term);
        check(cluster.runUntil(c -> !c.isUp(g), millis(200)), Rule.PERSIST_BEFORE_REPLY, "in the scenario's set-up, node" + g
                + ", armed to lose power at its next disk sync, was still up 200 ms after entries 5–7 were proposed: a"
                + " follower syncs new entries to its disk when they arrive, before it answers");
        Storage.Persisted torn = cluster.durable(g);
        List<Entry> leaderLog = cluster.view(leader).log();
        check(startsWith(torn.log(), before.log()) && startsWith(leaderLog, torn.log()) && torn.term() == before.term()
                        && Objects.equals(torn.votedFor(), before.votedFor()), Rule.RESTART_FROM_DISK, "node" + g + " held "
                        + persisted(before) + ", all acknowledged, then lost power while syncing entries 5–7; its disk now"
                        + " holds " + persisted(torn) + ". A power failure in the middle of a write may lose what that write"
                        + " adds, never what an earlier sync made durable: the log on disk is appended to, not rewritten");
        committed = cluster.runUntil(c -> c.view(leader).commitIndex() >= 7, millis(500));
        check(committed, Rule.COMMIT_AT_MAJORITY, "node" + leader + " took entries 5–7 with 3 of its 4 followers up, but did"
                + " not commit them within 500 ms:\n" + states(cluster));
        power.restart(g);
        requireReplicated(cluster, cluster.ids(), 7, millis(500), "after node" + g + ", which lost power while storing entries"
                + " 5–7, restarted");
        boolean applied = cluster.runUntil(c -> c.views().stream().allMatch(v -> v.lastApplied() == 7), millis(500));
        check(applied, Rule.COMMIT_AT_MAJORITY, "entries 1–7 are committed and on every server, but 500 ms later not every"
                + " server has applied them all:\n" + states(cluster));
    }

    /**
     * The voter B of a {@link VoteRace} goes down while granting A its vote: right after the sync
     * ({@code afterSync}), or in the middle of it. It never answered A. Back up, it holds whatever
     * its disk holds; if that is its vote for A, it refuses C, who asks in the same term.
     */
    private static void crashWhileVoting(long seed, boolean afterSync) {
        VoteRace race = new VoteRace(seed);
        Cluster cluster = race.cluster;
        Power power = new Power(cluster);
        String how = afterSync ? "right after its next disk sync" : "in the middle of its next disk sync";
        if (afterSync) {
            cluster.crashAfterNextSync(race.b);
        } else {
            cluster.failNextSync(race.b);
        }
        race.run("node" + race.b + " (B) will go down " + how + ", the one that stores its vote");
        check(!cluster.isUp(race.b), Rule.PERSIST_BEFORE_REPLY, "node" + race.b + " (B), armed to go down at its next disk"
                + " sync, was still up after granting node" + race.a + " (A) its vote in term " + race.term + ": a server"
                + " syncs its term and vote to its disk before it grants a vote");
        Storage.Persisted disk = cluster.durable(race.b);
        boolean old = disk.term() == race.bBefore.term() && Objects.equals(disk.votedFor(), race.bBefore.votedFor());
        boolean newTerm = disk.term() == race.term && (disk.votedFor() == null || disk.votedFor() == race.a);
        check((old || newTerm) && disk.log().equals(race.bBefore.log()), Rule.RESTART_FROM_DISK, "node" + race.b + " (B) held "
                + persisted(race.bBefore) + ", all of it synced; then node" + race.a + " (A) asked for its vote in term "
                + race.term + ", and B went down " + how + ". Its disk now holds " + persisted(disk) + ". A sync cut short"
                + " loses at most what it was adding: B's disk should hold its old term and vote, or term " + race.term
                + " with no vote or its vote for A, and in either case the log it had acknowledged");
        power.restart(race.b);
        NodeView b = race.deliverC();
        if (disk.term() == race.term && Objects.equals(disk.votedFor(), race.a)) {
            check(b.term() == race.term && Objects.equals(b.votedFor(), race.a), Rule.ONE_VOTE_PER_TERM, "node" + race.b
                    + " (B) stored its vote for node" + race.a + " (A) in term " + race.term + " and went down " + how
                    + ", before its answer left. Back up, it got node" + race.c + " (C)'s request for its vote in the same"
                    + " term, and now it is in term " + b.term() + " with " + vote(b.votedFor()) + ". A vote on disk is a vote"
                    + " cast, even if the candidate never heard of it: B refuses every other candidate of term " + race.term);
        }
        race.finish("after the race " + (afterSync ? "(crash after the sync)" : "(power failure during the sync)"));
    }

    // ---- A torn last record ----------------------------------------------------------------------

    /** A power failure writes a random prefix of the bytes being synced: retry until one tears a record in two. */
    static final int TORN_MAX_ROUNDS = 8;
    private static final Pattern POWER_FAILED = Pattern.compile("(\\d+) of its (\\d+) unsynced bytes reached the disk");

    @Order(5)
    @Graded(points = 10, rule = Rule.RESTART_FROM_DISK)
    @DisplayName("A torn last record: a follower loses power while syncing several new entries; it restarts with the whole records before the tear, the torn one discarded, and catches up")
    void tornLastRecord(long seed) {
        Cluster cluster = cluster(5, seed);
        SplittableRandom random = new SplittableRandom(seed);
        Power power = new Power(cluster);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long term = cluster.view(leader).term();
        cluster.runFor(millis(100));
        int length = 0;
        for (; length < 5; length++) {
            requireAccepted(cluster, leader, entryCommand(random, length + 1), length + 1, term);
        }
        List<Integer> followers = shuffled(cluster.others(leader), random);
        List<String> powerNotes = new ArrayList<>();
        Consumer<TraceEvent> listener = e -> {
            if (e instanceof TraceEvent.Note n && n.node() != 0) {
                powerNotes.add(n.node() + ": " + n.text());
            }
        };
        cluster.trace().subscribe(listener);
        try {
            boolean sawTorn = false;
            for (int round = 1; round <= 2 || !sawTorn; round++) {
                setUp(cluster, round <= TORN_MAX_ROUNDS, TORN_MAX_ROUNDS + " power failures in a row cut the log exactly"
                        + " between records or before its first byte; none tore a record");
                int f = followers.get(round % followers.size());
                requireReplicated(cluster, cluster.ids(), length, millis(500), "in the scenario's set-up, before round " + round);
                cluster.runFor(millis(60)); // every reply is in; nothing is waiting to be written
                Storage.Persisted before = cluster.durable(f);
                check(before.log().equals(cluster.view(leader).log()), Rule.PERSIST_BEFORE_REPLY, "in the scenario's set-up,"
                        + " node" + f + "'s disk does not hold the " + length + " entries it acknowledged: " + persisted(before));

                // The entries reach f together, in one AppendEntries: the first message, which carries only the
                // first of them, is dropped, so the leader's next heartbeat carries them all.
                int k = random.nextInt(2, 7);
                cluster.note("round " + round + ": node" + f + " will lose power in the middle of its next disk sync, which"
                        + " stores " + k + " new entries");
                powerNotes.clear();
                cluster.failNextSync(f);
                Network.Rule firstOnly = cluster.network().dropWhere(p -> p.is("AppendEntries") && p.from() == leader && p.to() == f);
                for (int i = 1; i <= k; i++) {
                    requireAccepted(cluster, leader, entryCommand(random, length + i), length + i, term);
                }
                firstOnly.remove();
                check(cluster.runUntil(c -> !c.isUp(f), millis(200)), Rule.PERSIST_BEFORE_REPLY, "in the scenario's set-up,"
                        + " node" + f + ", armed to lose power at its next disk sync, was still up 200 ms after " + k + " entries"
                        + " were proposed: a follower syncs new entries to its disk when they arrive, before it answers");
                Matcher m = powerNotes.stream().filter(s -> s.startsWith(f + ": ")).map(POWER_FAILED::matcher)
                        .filter(Matcher::find).findFirst().orElse(null);
                setUp(cluster, m != null, "node" + f + " lost power, but not while syncing its log: " + powerNotes);
                long written = Long.parseLong(m.group(1));

                // Which records the written bytes hold whole; the one they cut short, if any, is torn.
                List<Entry> sent = cluster.view(leader).log().subList(length, length + k);
                int whole = 0;
                long bytes = 0;
                while (whole < k && bytes + LogStore.recordBytes(sent.get(whole)) <= written) {
                    bytes += LogStore.recordBytes(sent.get(whole));
                    whole++;
                }
                boolean tears = written > bytes;
                List<Entry> expected = new ArrayList<>(before.log());
                expected.addAll(sent.subList(0, whole));
                Storage.Persisted disk = cluster.durable(f);
                check(disk.log().equals(expected) && disk.term() == before.term(), Rule.RESTART_FROM_DISK, "node" + f
                        + " held " + length + " entries, then lost power while syncing " + k + " more; " + written + " bytes of"
                        + " the new records reached the disk, which hold " + whole + " whole record" + (whole == 1 ? "" : "s")
                        + (tears ? " and a torn one" : "") + ". Its disk should hold " + expected.size() + " entries, but holds "
                        + persisted(disk) + ". The records are written in log order, one whole entry each; recovery keeps"
                        + " every whole record and discards a torn one at the end");

                powerNotes.clear();
                power.restart(f);
                boolean reported = powerNotes.stream().anyMatch(s -> s.startsWith(f + ": ") && s.contains("discarded a torn record"));
                check(reported == tears, Rule.RESTART_FROM_DISK, "node" + f + " restarted after a power failure that left "
                        + written + " bytes of its new records on disk, " + (tears ? "the last of them a torn record" : "all of them"
                        + " whole records") + ", but its recovery " + (reported ? "reported" : "did not report") + " a torn record"
                        + " discarded: " + powerNotes);
                sawTorn |= tears;
                length += k;
                requireReplicated(cluster, cluster.ids(), length, millis(500), "after node" + f + " restarted with "
                        + expected.size() + " of the leader's " + length + " entries (the leader sends it the rest)");
                boolean applied = cluster.runUntil(c -> c.view(f).lastApplied() == c.view(f).lastLogIndex(), millis(500));
                check(applied, Rule.COMMIT_AT_MAJORITY, "node" + f + " caught up after its restart but has not applied its"
                        + " log within 500 ms:\n" + states(cluster));

                // The log written after recovery reads back whole: the torn bytes were cut off before the new records.
                cluster.note("node" + f + " crashes and restarts again");
                power.crash(f);
                power.restart(f);
                check(cluster.view(f).log().equals(cluster.view(leader).log()), Rule.RESTART_FROM_DISK, "node" + f + " caught"
                        + " up after a torn write and was restarted once more; it came back with " + describe(cluster.view(f))
                        + " where the leader holds " + describe(cluster.view(leader)));
            }
        } finally {
            cluster.trace().unsubscribe(listener);
        }
    }

    /** A command of random length, so that records differ in size and a tear can fall anywhere. */
    private static String entryCommand(SplittableRandom random, int index) {
        return "entry " + index + " " + "x".repeat(random.nextInt(0, 40));
    }

    // ---- A forgotten vote ------------------------------------------------------------------------

    @Order(6)
    @Graded(points = 10, rule = Rule.ONE_VOTE_PER_TERM)
    @DisplayName("A forgotten vote would be cast twice: B votes for A in term t, crashes and restarts; C then asks B for its vote in the same term t, and B refuses")
    void forgottenVote(long seed) {
        VoteRace race = new VoteRace(seed);
        Cluster cluster = race.cluster;
        race.run("node" + race.b + " (B) answers node" + race.a + " (A) first");
        NodeView b = cluster.view(race.b);
        setUp(cluster, b.up() && b.term() == race.term && Objects.equals(b.votedFor(), race.a), "node" + race.b + " (B) should"
                + " have voted for node" + race.a + " (A) in term " + race.term + ", but is in term " + b.term() + " with "
                + vote(b.votedFor()));
        Storage.Persisted disk = cluster.durable(race.b);
        cluster.note("node" + race.b + " (B) crashes and restarts");
        cluster.crash(race.b);
        cluster.restart(race.b);
        requireBootedFrom(cluster, race.b, disk, false); // its vote is what C's request tests
        NodeView after = race.deliverC();
        check(after.term() == race.term && Objects.equals(after.votedFor(), race.a), Rule.ONE_VOTE_PER_TERM, "node" + race.b
                + " (B) voted for node" + race.a + " (A) in term " + race.term + ", crashed and restarted; then node" + race.c
                + " (C) asked for its vote in the same term, and now B is in term " + after.term() + " with "
                + vote(after.votedFor()) + ". votedFor is persistent state (Figure 2): B reads it back when it boots, and"
                + " refuses every other candidate of term " + race.term);
        race.finish("after the forgotten-vote race");
    }

    // ---- Figure 8 with crashes ------------------------------------------------------------------

    static final int FIGURE8_ROUNDS = 400;
    /** As in suite 3: most leaders take no command for a while, and copy earlier terms' entries alone (Figure 8 (c)). */
    static final double FIGURE8_PROPOSE_CHANCE = 0.1;

    @Order(7)
    @Graded(points = 10, rule = Rule.STATE_MACHINE_SAFETY)
    @DisplayName("Figure 8 with real crashes: 400 rounds of occasional proposals on a lossy, reordering network; the leader crashes at random moments and servers restart from their disks (some after a power failure mid-write); nothing committed is lost")
    void figure8WithCrashes(long seed) {
        Cluster cluster = cluster(5, seed, Conditions.unreliable());
        SplittableRandom random = new SplittableRandom(seed);
        Power power = new Power(cluster);
        int proposed = 0;
        try (CommittedLog committed = new CommittedLog(cluster)) {
            for (int round = 1; round <= FIGURE8_ROUNDS; round++) {
                int leader = 0;
                for (int id : cluster.leaders()) {
                    for (int k = random.nextDouble() < FIGURE8_PROPOSE_CHANCE ? random.nextInt(1, 3) : 0; k > 0; k--) {
                        if (cluster.isUp(id)) {
                            offer(cluster, id, "r" + round + " #" + ++proposed);
                        }
                    }
                    if (cluster.isUp(id) && (leader == 0 || cluster.view(id).term() > cluster.view(leader).term())) {
                        leader = id;
                    }
                }
                cluster.runFor(random.nextInt(10) == 0 ? millis(random.nextLong(0, 150)) : millis(random.nextLong(1, 14)));
                committed.read();
                if (leader != 0 && cluster.isUp(leader) && random.nextBoolean()) {
                    power.crash(leader); // the leader crashes at a random moment, its log as it is on disk
                }
                List<Integer> down = power.down();
                if (down.size() > 2) {
                    power.restart(down.get(random.nextInt(down.size())));
                }
                List<Integer> up = power.up();
                if (random.nextInt(25) == 0 && !up.isEmpty()) {
                    power.arm(up.get(random.nextInt(up.size())), random.nextBoolean());
                }
            }
            cluster.heal();
            power.everyoneBack();
            requireSettled(cluster, "after the rounds", seconds(5), "after " + FIGURE8_ROUNDS + " rounds, once every server"
                    + " was up again");
            committed.read();
            committed.requireInEveryLog(Rule.STATE_MACHINE_SAFETY, "after " + FIGURE8_ROUNDS + " rounds");
            committed.requireEachReplayedItsLog();
        }
    }

    // ---- Churn with crashes -----------------------------------------------------------------------

    static final Duration CHURN = seconds(4);

    @Order(8)
    @Graded(points = 10, rule = Rule.LEADER_COMPLETENESS)
    @DisplayName("Churn with crashes: 4 s of partitions, proposals, crashes, power failures and restarts, on a reliable network and then on a lossy, duplicating, reordering one; every value ever committed is in the final logs, and all logs agree")
    void churnWithCrashes(long seed) {
        churn(seed, Conditions.reliable());
        churn(seed, Conditions.unreliable());
    }

    private static void churn(long seed, Conditions conditions) {
        Cluster cluster = cluster(5, seed, conditions);
        SplittableRandom random = new SplittableRandom(seed);
        Power power = new Power(cluster);
        int proposed = 0;
        try (CommittedLog committed = new CommittedLog(cluster)) {
            while (cluster.now().compareTo(CHURN) < 0) {
                randomTopology(cluster, random);
                List<Integer> up = power.up();
                if (power.down().size() < 2 && random.nextInt(3) == 0 && !up.isEmpty()) {
                    power.crash(up.get(random.nextInt(up.size())));
                }
                up = power.up();
                if (random.nextInt(6) == 0 && !up.isEmpty()) {
                    power.arm(up.get(random.nextInt(up.size())), true);
                }
                List<Integer> down = power.down();
                if (!down.isEmpty() && random.nextBoolean()) {
                    power.restart(down.get(random.nextInt(down.size())));
                }
                for (int step = 0; step < 4; step++) {
                    proposed = proposeAtLeaders(cluster, random, proposed, "c");
                    cluster.runFor(millis(random.nextLong(50, 151)));
                    committed.read();
                }
            }
            cluster.heal();
            power.everyoneBack();
            requireSettled(cluster, "after the churn", seconds(5), "after the churn stopped (" + conditions + "), the network"
                    + " healed and every server was up again");
            committed.read();
            committed.requireInEveryLog(Rule.LEADER_COMPLETENESS, "after the churn (" + conditions + ")");
            committed.requireEachReplayedItsLog();
        }
    }

    // ---- The write budget ------------------------------------------------------------------------

    static final int BUDGET_ENTRIES = 200;
    /** Bytes written per byte the log and the term/vote changes take: room for a little overhead, not for rewriting. */
    static final long WRITE_FACTOR_PERCENT = 150;

    @Order(9)
    @Graded(points = 10, rule = Rule.WRITE_BUDGET)
    @DisplayName("Write budget: 200 proposals and a second of heartbeats; each server writes to its disk about what its log records take, plus its few term and vote changes")
    void writeBudget(long seed) {
        Cluster cluster = cluster(5, seed);
        SplittableRandom random = new SplittableRandom(seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long term = cluster.view(leader).term();
        cluster.runFor(millis(100));
        int proposed = 0;
        while (proposed < BUDGET_ENTRIES) {
            for (int k = random.nextInt(1, 11); k > 0 && proposed < BUDGET_ENTRIES; k--) {
                proposed++;
                requireAccepted(cluster, leader, entryCommand(random, proposed), proposed, term);
            }
            cluster.runFor(millis(random.nextLong(0, 21)));
        }
        requireReplicated(cluster, cluster.ids(), BUDGET_ENTRIES, seconds(1), "after " + BUDGET_ENTRIES + " proposals to node"
                + leader + " with every server connected");
        Map<Integer, Long> beforeIdle = new TreeMap<>();
        for (int id : cluster.ids()) {
            beforeIdle.put(id, cluster.diskCounters(id).bytesWritten());
        }
        cluster.runFor(seconds(1)); // heartbeats only: nothing new to store
        for (NodeView v : cluster.views()) {
            Volume.Counters disk = cluster.diskCounters(v.id());
            long records = v.log().stream().mapToLong(LogStore::recordBytes).sum();
            long termsAndVotes = LogStore.STATE_FILE_BYTES * 2 * v.term(); // per term at most a new term and a vote
            long expected = LogStore.LOG_HEADER_BYTES + records + termsAndVotes;
            long budget = expected * WRITE_FACTOR_PERCENT / 100;
            long idle = disk.bytesWritten() - beforeIdle.get(v.id());
            check(disk.bytesWritten() >= LogStore.LOG_HEADER_BYTES + records, Rule.WRITE_BUDGET, "node" + v.id() + " wrote "
                    + bytes(disk.bytesWritten()) + " to its disk while its log grew to " + BUDGET_ENTRIES + " entries, whose records"
                    + " alone take " + bytes(records) + ": the log it would restart with is not on its disk. Each new entry is"
                    + " appended to the log through env.storage() and synced before the server acknowledges it");
            check(disk.bytesWritten() <= budget, Rule.WRITE_BUDGET, "node" + v.id() + " wrote " + bytes(disk.bytesWritten())
                    + " to its disk (" + bytes(idle) + " of them in the last second, when the leader sent only heartbeats)"
                    + " while its log grew to " + BUDGET_ENTRIES + " entries in term " + v.term() + ". Those entries take "
                    + bytes(records) + " as records (4 bytes of length, 8 of index, 8 of term, the command, 4 of CRC32C"
                    + " each), the log file's header " + LogStore.LOG_HEADER_BYTES + " bytes, and at most two " + LogStore.STATE_FILE_BYTES
                    + "-byte writes of the term and vote per term " + bytes(termsAndVotes) + ": " + bytes(expected) + " in all,"
                    + " and the budget allows " + WRITE_FACTOR_PERCENT + "% of it, " + bytes(budget) + ". A new entry is"
                    + " appended to the log on disk, a conflicting suffix is cut off, and a message that changes nothing"
                    + " writes nothing; a server that rewrites its whole log at every sync writes it again at every message"
                    + " (its disk: " + disk + ")");
        }
    }

    private static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d bytes", n);
    }

    // ---- Proposals and settling ------------------------------------------------------------------

    /** One to three commands to every running server that believes it leads; returns the number proposed so far. */
    static int proposeAtLeaders(Cluster cluster, SplittableRandom random, int proposed, String prefix) {
        for (int leader : cluster.leaders()) {
            for (int k = random.nextInt(1, 4); k > 0 && cluster.isUp(leader); k--) {
                offer(cluster, leader, prefix + " #" + ++proposed);
            }
        }
        return proposed;
    }

    // ---- Helpers --------------------------------------------------------------------------------


    static <T> boolean startsWith(List<T> list, List<T> prefix) {
        return list.size() >= prefix.size() && list.subList(0, prefix.size()).equals(prefix);
    }
}
