package harness.demo;

import static harness.demo.LogScenes.printLogs;
import static harness.demo.LogScenes.proposeAt;
import static harness.demo.LogScenes.until;

import harness.api.Entry;
import harness.api.Proposal;
import harness.api.Storage;
import harness.cluster.Cluster;
import harness.observe.NodeView;
import harness.observe.TraceEvent;
import harness.storage.LogStore;
import harness.storage.Volume;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Milestone 4's story (§5.1, Figure 2's persistent state): every server writes its term, its vote
 * and its log to its disk, and syncs them, before it sends a message that depends on them. In the
 * middle of a workload the power fails everywhere at once; all five servers restart from their
 * disks with their logs intact, nobody remembers what was committed (commitIndex is volatile), and
 * a new leader commits the old entries together with one of its own term. Then the power fails
 * on one follower in the middle of a sync: the record it was writing is torn, recovery discards
 * it, and the leader sends the entry again. The story checks each thing it tells before telling it.
 */
final class PersistenceDemo implements Demo {

    /** The disk table is indented like the log matrix, past the timeline's time column. */
    private static final String INDENT = " ".repeat(16);

    @Override
    public int servers() {
        return 5;
    }

    @Override
    public String title() {
        return "Milestone 4 · persistence (§5.1, Figure 2)";
    }

    @Override
    public void play(Cluster cluster, PrintStream out) {
        cluster.note("from this milestone each server keeps currentTerm, votedFor and its log on a disk of its own; the"
                + " harness checks at every message a server sends that all three are written and synced");
        int first = cluster.awaitLeader(Duration.ofSeconds(3));
        cluster.note("node" + first + " leads term " + cluster.view(first).term() + "; clients send it three commands");
        proposeAt(cluster, first, "x=1", "y=2", "z=3");
        until(cluster, c -> c.views().stream().allMatch(v -> v.commitIndex() == 3), "every server to commit index 3");
        requireDisksHoldLogs(cluster);
        cluster.note("every server has committed and applied x=1, y=2, z=3, and each synced the entries to its disk"
                + " before it acknowledged them: the disks below hold what a crash now would leave");
        printLogs(cluster, out, false);
        printDisks(cluster, out, true);
        int follower = cluster.others(first).get(0);
        cluster.note(bytesExplained(cluster, follower));

        // ---- Act 2: the power fails everywhere, in the middle of the workload ----
        cluster.note("the clients go on: a=4, b=5 and c=6");
        proposeAt(cluster, first, "a=4", "b=5", "c=6");
        until(cluster, c -> c.view(first).commitIndex() == 6, "node" + first + " to commit index 6");
        List<Entry> acknowledged = cluster.view(first).log().subList(0, 6);
        proposeAt(cluster, first, "d=7");
        cluster.note("node" + first + " has committed a=4, b=5, c=6 and applied them, so their clients may be told;"
                + " now the power fails in the whole machine room, and all five servers crash at once");
        for (int id : cluster.ids()) {
            cluster.crash(id);
        }
        // A server that is down shows what it held when it went down.
        Map<Integer, NodeView> held = new TreeMap<>();
        cluster.views().forEach(v -> held.put(v.id(), v));
        Map<Integer, Storage.Persisted> disks = new TreeMap<>();
        cluster.ids().forEach(id -> disks.put(id, cluster.durable(id)));
        for (int id : cluster.ids()) {
            if (!disks.get(id).log().equals(held.get(id).log())) {
                throw new IllegalStateException("node" + id + "'s disk holds " + disks.get(id).log().size() + " entries, but it"
                        + " held " + held.get(id).log().size() + " when it crashed\n" + cluster.report());
            }
        }
        long followersCommit = cluster.others(first).stream().mapToLong(id -> held.get(id).commitIndex()).max().orElseThrow();
        List<Integer> withD7 = cluster.ids().stream().filter(id -> held.get(id).lastLogIndex() >= 7).toList();
        boolean d7Committed = held.values().stream().anyMatch(v -> v.commitIndex() >= 7);
        cluster.note("when the power failed " + (followersCommit < 6
                        ? "the followers had not yet heard that a=4, b=5, c=6 were committed (the highest commitIndex among"
                                + " them was " + followersCommit + ")"
                        : "some followers had already heard that a=4, b=5, c=6 were committed")
                + ", and d=7 " + (withD7.size() == cluster.size() ? "had reached every log"
                        : "was in " + (withD7.size() == 1 ? names(withD7) + "'s log" : "the logs of " + names(withD7)) + " only") + ";"
                + " the matrix shows what each server held in memory, all of it gone now: roles, commitIndex, lastApplied,"
                + " the state machines, nextIndex and matchIndex");
        printLogs(cluster, out, true);
        boolean termsAndVotesSynced = cluster.ids().stream().allMatch(id -> disks.get(id).term() == held.get(id).term()
                && Objects.equals(disks.get(id).votedFor(), held.get(id).votedFor()));
        cluster.note("only the disks remain, and each holds exactly the log its server held"
                + (termsAndVotesSynced ? ", and its term and vote" : ""));
        printDisks(cluster, out, true);

        // ---- Act 3: restart everyone ----
        cluster.note("restart all five: each reads its term, its vote and its log back from its disk");
        for (int id : cluster.ids()) {
            cluster.restart(id);
        }
        for (int id : cluster.ids()) {
            NodeView now = cluster.view(id);
            Storage.Persisted disk = disks.get(id);
            if (!now.log().equals(held.get(id).log()) || now.term() != disk.term() || !Objects.equals(now.votedFor(), disk.votedFor())) {
                throw new IllegalStateException("node" + id + " restarted with term " + now.term() + ", vote " + now.votedFor()
                        + " and " + now.log().size() + " entries, but its disk held term " + disk.term() + ", vote "
                        + disk.votedFor() + " and " + disk.log().size() + " entries\n" + cluster.report());
            }
        }
        cluster.note("every log is back as it was, entry for entry, with the term and vote on its disk; but no * in the matrix: commitIndex"
                + " starts again at 0 on every server, which has applied nothing yet to its new, empty state machine");
        printLogs(cluster, out, true);

        long termBefore = cluster.maxTerm();
        until(cluster, c -> c.leader().map(l -> c.view(l).term() > termBefore).orElse(false), "a leader of a new term");
        int second = cluster.leader().orElseThrow();
        List<Entry> secondLog = cluster.view(second).log();
        if (secondLog.size() < 6 || !secondLog.subList(0, 6).equals(acknowledged)) {
            throw new IllegalStateException("node" + second + " won without every acknowledged entry\n" + cluster.report());
        }
        cluster.runFor(Duration.ofMillis(200));
        if (cluster.view(second).commitIndex() != 0) {
            throw new IllegalStateException("node" + second + " committed before any entry of its own term\n" + cluster.report());
        }
        cluster.note("node" + second + " leads term " + cluster.view(second).term() + " and holds all six acknowledged"
                + " entries, as any winner must: each is on a majority of disks, and a majority votes only for a log at"
                + " least as up-to-date as its own (§5.4.1); yet 200 ms on it has committed nothing, because none of its"
                + " entries is of its own term (§5.4.2)");
        boolean d7Survives = secondLog.size() == 7 && secondLog.get(6).command().equals("d=7");
        Proposal.Accepted e8 = accepted(cluster, second, "e=8");
        long e8Index = e8.index();
        cluster.note("a client sends e=8: node" + second + " appends it at " + e8Index + " in term " + e8.term());
        until(cluster, c -> c.views().stream().allMatch(v -> v.commitIndex() == e8Index && v.lastApplied() == e8Index
                && v.log().equals(c.view(second).log())), "every server to commit and apply e=8");
        cluster.note("e=8 commits, and every entry before it with it; each server applies its log again from index 1 ("
                + appliedSinceBoot(cluster) + "); " + fateOfD7(first, second, withD7, d7Committed, d7Survives));
        printLogs(cluster, out, true);

        // ---- Act 4: a power failure in the middle of a sync ----
        int leader = cluster.awaitLeader(Duration.ofSeconds(3));
        int victim = cluster.others(leader).get(cluster.others(leader).size() - 1);
        List<Entry> victimBefore = cluster.view(victim).log();
        String longCommand = "note=the power fails while this entry is being synced";
        cluster.note("the power will fail at node" + victim + "'s next disk sync, part-way through; a client sends node"
                + leader + " a longer command");
        cluster.failNextSync(victim);
        proposeAt(cluster, leader, longCommand);
        long longIndex = cluster.view(leader).lastLogIndex();
        until(cluster, c -> !c.isUp(victim), "node" + victim + " to lose power while syncing");
        Storage.Persisted left = cluster.durable(victim);
        if (!left.log().equals(victimBefore)) {
            throw new IllegalStateException("after the torn sync node" + victim + "'s disk holds " + left.log().size()
                    + " entries, not the " + victimBefore.size() + " it had synced before\n" + cluster.report());
        }
        String powerFailure = lastNote(cluster, victim, "power failed");
        if (!powerFailure.contains("disk: log:")) {
            throw new IllegalStateException("the power failed at node" + victim + " while it synced something other than"
                    + " its log: " + powerFailure + "\n" + cluster.report());
        }
        cluster.note("node" + victim + " had appended the entry to its log file and was syncing it when the power failed"
                + " (its own line about the failure says how much of the record reached the disk); it never answered, so node" + leader
                + " did not count it");
        until(cluster, c -> c.view(leader).commitIndex() == longIndex, "node" + leader + " to commit the long command");
        cluster.note("node" + leader + " commits the long command without node" + victim + ": the other followers make a majority");
        cluster.restart(victim);
        String recovery = lastNote(cluster, victim, "recovered ");
        boolean torn = recovery.contains("discarded a torn record");
        cluster.note(torn
                ? "node" + victim + "'s recovery found a torn record at the end of its log (its recovery line says why),"
                        + " discarded it and cut the file where it began: the log holds the " + victimBefore.size()
                        + " entries node" + victim + " had synced, no more, no less"
                : "none of the record's bytes had reached node" + victim + "'s disk, so its log simply ends after the "
                        + victimBefore.size() + " entries it had synced: there was nothing torn to discard");
        until(cluster, c -> c.views().stream().allMatch(v -> v.commitIndex() == longIndex && v.log().equals(c.view(leader).log())),
                "node" + victim + " to catch up and every server to commit the long command");
        cluster.note("node" + leader + " sends node" + victim + " the entry again with its next AppendEntries; node"
                + victim + " appends it, syncs it, and answers; every server commits it, and the story ends");
        printLogs(cluster, out, false);
        requireDisksHoldLogs(cluster);
        printDisks(cluster, out, false);
        int witness = cluster.others(leader).get(0);
        long extra = cluster.diskCounters(victim).bytesWritten() - cluster.diskCounters(witness).bytesWritten();
        long record = LogStore.recordBytes(new Entry(0, longCommand));
        if (extra == record && torn) {
            out.println();
            out.println(INDENT + "node" + victim + " has written " + extra + " bytes more than node" + witness + ": the long"
                    + " command's record, once torn and once whole");
        }
    }

    private static Proposal.Accepted accepted(Cluster cluster, int id, String command) {
        Proposal answer = cluster.propose(id, command);
        if (!(answer instanceof Proposal.Accepted accepted)) {
            throw new IllegalStateException("node" + id + " refused \"" + command + "\": " + answer + "\n" + cluster.stateTable());
        }
        return accepted;
    }

    /** Fails unless the disk of every running server holds exactly the log the server holds. */
    private static void requireDisksHoldLogs(Cluster cluster) {
        for (NodeView v : cluster.views()) {
            if (v.up() && !cluster.durable(v.id()).log().equals(v.log())) {
                throw new IllegalStateException("node" + v.id() + "'s disk holds " + cluster.durable(v.id()).log().size()
                        + " entries while its log holds " + v.log().size() + "\n" + cluster.report());
            }
        }
    }

    /**
     * Where a follower's bytes went so far, checked against its disk's counters: the log file's
     * header, one term/vote file per replacement (each followed by a directory sync, and one more
     * directory sync when the log file was created), and one record per entry.
     */
    private static String bytesExplained(Cluster cluster, int id) {
        Volume.Counters c = cluster.diskCounters(id);
        List<Entry> log = cluster.view(id).log();
        long stateFiles = c.directorySyncs() - 1;
        long records = log.stream().mapToLong(LogStore::recordBytes).sum();
        long expected = LogStore.LOG_HEADER_BYTES + LogStore.STATE_FILE_BYTES * stateFiles + records;
        if (expected != c.bytesWritten()) {
            throw new IllegalStateException("node" + id + "'s disk wrote " + c.bytesWritten() + " bytes, not the " + expected
                    + " its header, term/vote files and records add up to\n" + cluster.report());
        }
        return "node" + id + "'s " + c.bytesWritten() + " bytes: the log file's " + LogStore.LOG_HEADER_BYTES + "-byte header, the "
                + LogStore.STATE_FILE_BYTES + "-byte term/vote file, written " + (stateFiles == 1 ? "once" : stateFiles + " times") + ", and "
                + log.size() + " records of " + LogStore.recordBytes(new Entry(0, "")) + " bytes plus the command (length, index, term, command,"
                + " CRC32C): storing an entry costs that entry's bytes, never the whole log";
    }

    /** What became of d=7, the entry appended just before the power failed, in words that fit the run. */
    private static String fateOfD7(int first, int second, List<Integer> withD7, boolean committed, boolean survives) {
        if (committed) {
            return "d=7 had been committed just before the power failed, and survives, as a committed entry must";
        }
        String where = withD7.size() == 1 ? "on node" + first + "'s disk only" : "on the disks of " + names(withD7);
        return survives
                ? "d=7, " + where + " and never acknowledged, survives because node" + second + " had it and won"
                : "d=7, " + where + " and never acknowledged, is replaced by e=8 at index 7, as an uncommitted entry may be";
    }

    private static String names(List<Integer> ids) {
        return ids.stream().map(id -> "node" + id).collect(Collectors.joining(", "));
    }

    /** The last line server {@code id} logged that starts with {@code start}: its recovery or power-failure note. */
    private static String lastNote(Cluster cluster, int id, String start) {
        String last = null;
        for (TraceEvent e : cluster.trace().history()) {
            if (e instanceof TraceEvent.Note n && n.node() == id && n.text().startsWith(start)) {
                last = n.text();
            }
        }
        if (last == null) {
            throw new IllegalStateException("node" + id + " logged no line starting \"" + start + "\"\n" + cluster.report());
        }
        return last;
    }

    /** What each server has applied since it last booted, servers with the same sequence together. */
    private static String appliedSinceBoot(Cluster cluster) {
        Map<Integer, List<String>> applied = new TreeMap<>();
        cluster.ids().forEach(id -> applied.put(id, new ArrayList<>()));
        for (TraceEvent e : cluster.trace().history()) {
            if (e instanceof TraceEvent.Restarted r) {
                applied.get(r.node()).clear();
            } else if (e instanceof TraceEvent.Applied a) {
                applied.get(a.node()).add(a.command());
            }
        }
        Map<List<String>, List<Integer>> byOrder = new LinkedHashMap<>();
        applied.forEach((id, commands) -> byOrder.computeIfAbsent(commands, k -> new ArrayList<>()).add(id));
        return byOrder.entrySet().stream()
                .map(e -> e.getValue().stream().map(id -> "node" + id).collect(Collectors.joining(", ")) + ": "
                        + (e.getKey().isEmpty() ? "nothing" : String.join(" ", e.getKey())))
                .collect(Collectors.joining("; "));
    }

    /**
     * The disk side, under the timeline: what a crash now would leave on each server's disk (its
     * durable term, vote and log) and what the disk has done so far (bytes written, fsyncs of
     * files, syncs of the directory after the term/vote file was replaced).
     */
    private static void printDisks(Cluster cluster, PrintStream out, boolean storyGoesOn) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%-15s %4s  %-6s %7s  %13s  %10s  %9s%n",
                "disk", "term", "vote", "entries", "bytes written", "file syncs", "dir syncs"));
        for (int id : cluster.ids()) {
            Storage.Persisted d = cluster.durable(id);
            Volume.Counters c = cluster.diskCounters(id);
            t.append(String.format(Locale.ROOT, "%-15s %4d  %-6s %7d  %13d  %10d  %9d%n",
                    "node" + id + (cluster.isUp(id) ? "" : " (down)"), d.term(),
                    d.votedFor() == null ? "-" : "node" + d.votedFor(), d.log().size(),
                    c.bytesWritten(), c.fileSyncs(), c.directorySyncs()));
        }
        out.println();
        out.println(t.toString().lines().map(line -> INDENT + line).collect(Collectors.joining("\n")));
        if (storyGoesOn) {
            out.println();
        }
    }
}
