package harness.demo;

import static harness.demo.LogScenes.printLogs;
import static harness.demo.LogScenes.until;

import harness.api.Entry;
import harness.api.Operation;
import harness.api.Outcome;
import harness.check.Linearizability;
import harness.check.LinearizabilityResult;
import harness.cluster.Cluster;
import harness.display.HistorySvg;
import harness.history.Call;
import harness.history.History;
import harness.observe.NodeView;
import harness.observe.Time;
import harness.observe.TraceEvent;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Milestone 5's story (§8, thesis ch. 6): the servers run a key-value store and two clients sit on
 * the network. A new leader commits a no-op of its term at once. client1 puts x; the leader answers
 * once the entry is applied. The leader crashes, and client2's get, after a few tries, is answered
 * by the next leader: the value survived. Then that leader is cut off with client2 alone: it still
 * believes it leads, but a read needs a majority's confirmation (read-index), so it answers nothing,
 * while the majority elects a leader and client1 writes a new value. Last, the same cut on a second
 * cluster running the bug-zoo variant {@code leader-reads-locally}: the isolated leader answers
 * from its own store, the old value, after the new one was written, and the linearizability
 * checker finds that no order of the calls explains that read, says why, and draws the history
 * (a page written under the milestone's target/histories). The story checks each thing it tells
 * before telling it.
 */
final class KeyValueDemo implements Demo {

    /** The bug-zoo variant of the last act: a leader that reads without confirming it still leads. */
    static final String STALE_READS = "leader-reads-locally";

    /** Tables are indented like the log matrix, past the timeline's time column. */
    private static final String INDENT = " ".repeat(16);
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final String KEY = "x";
    /** Wall time the checker may take: the story's histories are a handful of calls, checked in milliseconds. */
    private static final Duration CHECK_BUDGET = Duration.ofSeconds(10);

    @Override
    public int servers() {
        return 5;
    }

    @Override
    public int clients() {
        return 2;
    }

    @Override
    public String title() {
        return "Milestone 5 · a key-value store (§8, thesis ch. 6)";
    }

    @Override
    public void play(Cluster cluster, PrintStream out) {
        play(cluster, out, Variants.NONE);
    }

    @Override
    public void play(Cluster cluster, PrintStream out, Variants variants) {
        // ---- Act 1: a put, the leader's crash, and a get from the next leader ----
        cluster.note("from this milestone every server applies committed commands to a key-value store, and two clients"
                + " sit on the network, client1 and client2: each finds the leader, sends it one operation at a time"
                + " and reports what it saw");
        int first = cluster.awaitLeader(Duration.ofSeconds(3));
        long noOp = noOpIndex(cluster, first);
        until(cluster, c -> c.view(first).commitIndex() >= noOp, "node" + first + " to commit its no-op");
        cluster.note("node" + first + " leads term " + cluster.view(first).term() + " and at once appended a no-op entry of"
                + " its own term at index " + noOp + " (§8); a majority stored it, so it is committed, and with it anything"
                + " earlier leaders left behind");

        Outcome put = perform(cluster, 1, Operation.put(KEY, "1"));
        requireOk(cluster, put, "put x 1");
        cluster.note("node" + put.leader() + " appended put x 1 at index " + put.index() + ", replicated it, and answered client1"
                + " only once a majority stored it and it had applied it to its store: an answer means the write is committed");
        printLogs(cluster, out, true);

        int answered = put.leader();
        cluster.note("crash node" + answered + ", the leader that answered");
        cluster.crash(answered);
        Outcome[] answer = new Outcome[1];
        String tries = performCountingTries(cluster, 2, Operation.get(KEY), answer);
        Outcome survived = answer[0];
        requireOk(cluster, survived, "get x after the crash");
        requireValue(cluster, survived, "1", "client2's get x after node" + answered + "'s crash");
        int second = survived.leader();
        long secondNoOp = noOpIndex(cluster, second);
        if (cluster.view(second).commitIndex() < secondNoOp) {
            throw new IllegalStateException("node" + second + " answered a read before committing its no-op\n" + cluster.report());
        }
        cluster.note("client2 sent its get " + tries + " before node" + second + " answered it: node" + second
                + " won term " + cluster.view(second).term() + ", committed a no-op of its own, confirmed with a round of"
                + " heartbeats that a majority still follows it, and read x from its store: 1. The value survived the"
                + " crash, as every committed entry must (§5.4, Leader Completeness), and no log entry was needed for the read");
        printStores(cluster, out, true);

        // ---- Act 2: the leader cut off with one client answers no reads ----
        int client1 = cluster.clientId(1);
        int client2 = cluster.clientId(2);
        List<Integer> majority = cluster.ids().stream().filter(id -> id != second && cluster.isUp(id)).toList();
        cluster.note("cut node" + second + " off together with client2; " + names(majority) + " stay together with client1:"
                + " three servers of five, a majority");
        List<Integer> majoritySide = new ArrayList<>(majority);
        majoritySide.add(client1);
        cluster.partition(List.of(second, client2), majoritySide);
        long secondTerm = cluster.view(second).term();
        until(cluster, c -> c.leaders().stream().anyMatch(l -> c.view(l).term() > secondTerm), "the majority to elect a new leader");
        int third = cluster.leaders().stream().filter(l -> cluster.view(l).term() > secondTerm).findFirst().orElseThrow();
        Outcome fresh = perform(cluster, 1, Operation.get(KEY));
        requireValue(cluster, fresh, "1", "client1's get x from the majority");
        Outcome put2 = perform(cluster, 1, Operation.put(KEY, "2"));
        requireOk(cluster, put2, "put x 2");
        if (fresh.leader() != third || put2.leader() != third) {
            throw new IllegalStateException("client1's get and put were answered by node" + fresh.leader() + " and node"
                    + put2.leader() + ", not by the new leader node" + third + "\n" + cluster.report());
        }
        cluster.note("node" + third + " leads term " + cluster.view(third).term() + " on the majority's side. client1 found it"
                + " with a read, which it may send again to any server when an answer is late; its put x 2 then went"
                + " straight to node" + third + " and is committed at index " + put2.index() + ". node" + second
                + " has not heard of any of this, and still believes it leads term " + secondTerm);
        printStores(cluster, out, true);
        requireRole(cluster, second, secondTerm);

        String unansweredTries = performCountingTries(cluster, 2, Operation.get(KEY), answer);
        Outcome refused = answer[0];
        if (refused == null || refused.isOk()) {
            throw new IllegalStateException("the isolated node" + second + " answered client2's get x with " + refused
                    + ", though no majority could confirm its leadership\n" + cluster.report());
        }
        Call unanswered = lastCall(cluster);
        cluster.note("client2 sent its get " + unansweredTries + ", and after "
                + Time.format(unanswered.completed() - unanswered.invoked()) + " gave up: unknown. node" + second + " noted"
                + " the read's index and sent a round of heartbeats, but no majority acknowledged it, so it never answered: it cannot tell whether another leader has been elected"
                + " since (thesis §6.4). An unknown read is a nuisance; a stale one would be a lie");

        cluster.note("heal the network: node" + second + " hears term " + cluster.view(third).term() + " and steps down");
        cluster.heal();
        until(cluster, c -> c.view(second).term() > secondTerm && !c.view(second).isLeader(), "node" + second + " to step down");
        Outcome after = perform(cluster, 2, Operation.get(KEY));
        requireValue(cluster, after, "2", "client2's get x after the heal");
        cluster.note("client2 asks again and node" + after.leader() + " answers 2, the value client1 wrote");
        printHistory(cluster.history(), out, true);
        checkLinearizable(cluster);

        // ---- Act 3: the same cut, on servers that read locally ----
        Optional<Cluster> variant = variants.withBug(STALE_READS);
        if (variant.isEmpty()) {
            cluster.note("what a leader that answered reads from its own store would have said is the last act, played on"
                    + " the bug-zoo variant " + STALE_READS + ", which this code does not have: the reference code's"
                    + " ./course demo 5 plays it; the story ends");
            return;
        }
        staleRead(variant.get(), out);
    }

    /**
     * The last act, on the bug-zoo variant: node L leads and serves client1; L is cut off with
     * client1; the others elect a leader and client2 writes x = 2 there; client1 reads x from L,
     * which answers from its own store without confirming that it still leads: 1.
     */
    private void staleRead(Cluster cluster, PrintStream out) {
        cluster.note("a second cluster, from time 0 and with the same seed, runs the bug-zoo variant " + STALE_READS + ":"
                + " a leader answers a read from its own store at once, without a round of heartbeats");
        cluster.awaitLeader(Duration.ofSeconds(3));
        Outcome put = perform(cluster, 1, Operation.put(KEY, "1"));
        requireOk(cluster, put, "put x 1");
        int old = put.leader();
        long oldTerm = cluster.view(old).term();
        List<Integer> others = cluster.others(old);
        List<Integer> majoritySide = new ArrayList<>(others);
        majoritySide.add(cluster.clientId(2));
        cluster.note("node" + old + " leads term " + oldTerm + " and answered client1's put x 1; cut node" + old
                + " off with client1, the rest with client2");
        cluster.partition(List.of(old, cluster.clientId(1)), majoritySide);
        until(cluster, c -> c.leaders().stream().anyMatch(l -> c.view(l).term() > oldTerm), "the majority to elect a new leader");
        int fresh = cluster.leaders().stream().filter(l -> cluster.view(l).term() > oldTerm).findFirst().orElseThrow();
        long freshNoOp = noOpIndex(cluster, fresh);
        // This variant would answer a read before its no-op is applied, and that read could be stale too (the
        // bug zoo's reads-without-no-op): the story lets the new leader apply it first, to show one stale read only.
        until(cluster, c -> c.view(fresh).lastApplied() >= freshNoOp, "node" + fresh + " to apply its no-op");
        Outcome found = perform(cluster, 2, Operation.get(KEY));
        requireValue(cluster, found, "1", "client2's get x from the majority");
        Outcome put2 = perform(cluster, 2, Operation.put(KEY, "2"));
        requireOk(cluster, put2, "put x 2");
        Call write = lastCall(cluster);
        cluster.note("node" + put2.leader() + " leads term " + cluster.view(put2.leader()).term() + " and has committed client2's"
                + " put x 2 at index " + put2.index() + "; a moment later client1 reads x from node" + old + ", which still believes"
                + " it leads");
        cluster.runFor(Duration.ofMillis(1)); // the put's completion strictly before the get's invocation, in the history's times too
        Outcome stale = perform(cluster, 1, Operation.get(KEY));
        requireValue(cluster, stale, "1", "the isolated leader's local read");
        Call staleRead = lastCall(cluster);
        if (stale.leader() != old) {
            throw new IllegalStateException("client1's get was answered by node" + stale.leader() + ", not by the isolated node"
                    + old + "\n" + cluster.report());
        }
        cluster.note("node" + old + " answered 1 at once, from its own store: a stale read. put x 2 had completed before"
                + " client1 asked, so any order of the calls that respects real time puts the put first, and the get"
                + " should have seen 2. Two servers believe they lead, in terms " + oldTerm + " and "
                + cluster.view(put2.leader()).term() + ", which Raft allows for a while; only the read-index round (or"
                + " a read through the log) keeps the old one from answering");
        printStores(cluster, out, true);
        printHistory(cluster.history(), out, true);
        checkHistory(cluster, out, write, staleRead);
        cluster.note("the story ends");
    }

    /**
     * The checker's step, apart from the story so that it can change alone: {@link Linearizability}
     * on the whole history of the stale run, which must find the history not linearizable and put
     * the blame on the stale read; its explanation; and its picture, written as a page to a file
     * whose path the story prints.
     */
    private static void checkHistory(Cluster cluster, PrintStream out, Call write, Call staleRead) {
        LinearizabilityResult result = Linearizability.check(cluster.history().calls(), CHECK_BUDGET);
        if (result.verdict() != LinearizabilityResult.Verdict.NOT_LINEARIZABLE
                || result.unplaceable().map(c -> c.id() != staleRead.id()).orElse(true)) {
            throw new IllegalStateException("the checker was to find #" + staleRead.id() + " " + staleRead.operation()
                    + " impossible to place after #" + write.id() + " " + write.operation() + ", but says: " + result
                    + "\n" + result.explain() + "\n" + cluster.report());
        }
        cluster.note("the same checker on this history, trying every order of its calls: " + result.explain());
        Path page = writePicture(cluster, result);
        out.println();
        out.println(INDENT + "The checker's picture of this history (open it in a browser): " + page);
        out.println();
    }

    /** The checker's verdict on the reference run's history, which must be linearizable: the contrast to the stale run. */
    private static void checkLinearizable(Cluster cluster) {
        LinearizabilityResult result = Linearizability.check(cluster.history().calls(), CHECK_BUDGET);
        if (!result.isLinearizable()) {
            throw new IllegalStateException("the checker finds this history " + result + "\n" + result.explain() + "\n"
                    + cluster.report());
        }
        cluster.note("the linearizability checker (harness.check.Linearizability) on this history: " + result.explain());
    }

    /**
     * Writes {@link HistorySvg#page} of {@code result} under the folder {@code ./course} gives a
     * run for its files (the milestone's target/, or for --mine the temporary folder), and
     * returns where.
     */
    private static Path writePicture(Cluster cluster, LinearizabilityResult result) {
        Path dir = Path.of(System.getProperty("raft.scratch", System.getProperty("java.io.tmpdir")), "histories");
        Path file = dir.resolve("demo-5-seed" + cluster.seed() + "-stale-read.html").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Files.writeString(file, HistorySvg.page(result), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checker's picture to " + file, e);
        }
        return file;
    }

    // ---- Helpers ---------------------------------------------------------------------------------

    /** Client {@code k} runs {@code op} and the cluster runs until it answers; fails if it never does. */
    private static Outcome perform(Cluster cluster, int k, Operation op) {
        Outcome outcome = cluster.perform(k, op, PATIENCE);
        if (outcome == null) {
            throw new IllegalStateException("the story waited " + Time.format(PATIENCE) + " in vain for client" + k + "'s "
                    + op + "\n" + cluster.report());
        }
        return outcome;
    }

    /** The call made last. */
    private static Call lastCall(Cluster cluster) {
        List<Call> calls = cluster.history().calls();
        return calls.get(calls.size() - 1);
    }

    private static void requireOk(Cluster cluster, Outcome outcome, String what) {
        if (!outcome.isOk()) {
            throw new IllegalStateException(what + " did not complete: " + outcome + "\n" + cluster.report());
        }
    }

    private static void requireValue(Cluster cluster, Outcome outcome, String value, String what) {
        requireOk(cluster, outcome, what);
        if (!value.equals(outcome.value())) {
            throw new IllegalStateException(what + " returned " + outcome + ", not " + value + "\n" + cluster.report());
        }
    }

    /** The index of the no-op that leader {@code id} appended when it won its term (§8). */
    private static long noOpIndex(Cluster cluster, int id) {
        NodeView v = cluster.view(id);
        for (long i = v.logStart(); i <= v.lastLogIndex(); i++) {
            if (v.entryAt(i).isNoOp() && v.entryAt(i).term() == v.term()) {
                return i;
            }
        }
        throw new IllegalStateException("node" + id + " leads term " + v.term() + " but its log holds no no-op of that term\n"
                + cluster.report());
    }

    private static void requireRole(Cluster cluster, int id, long term) {
        NodeView v = cluster.view(id);
        if (!v.isLeader() || v.term() != term) {
            throw new IllegalStateException("node" + id + " was to lead term " + term + " still, but is a " + v.role().title()
                    + " of term " + v.term() + "\n" + cluster.report());
        }
    }

    /**
     * Client {@code k} runs {@code op}, as {@link #perform}, and says where it sent its requests:
     * "3 times (to node4, node5, node1)".
     */
    private static String performCountingTries(Cluster cluster, int k, Operation op, Outcome[] outcome) {
        int client = cluster.clientId(k);
        List<Integer> to = new ArrayList<>();
        java.util.function.Consumer<TraceEvent> watch = e -> {
            if (e instanceof TraceEvent.Sent s && s.packet().from() == client) {
                to.add(s.packet().to());
            }
        };
        cluster.trace().subscribe(watch);
        try {
            outcome[0] = perform(cluster, k, op);
        } finally {
            cluster.trace().unsubscribe(watch);
        }
        String where = to.stream().map(id -> "node" + id).collect(Collectors.joining(", "));
        return to.size() == 1 ? "once, to " + where : to.size() + " times (to " + where + ")";
    }

    /** "node1, node3 and node4". */
    private static String names(List<Integer> ids) {
        List<String> names = ids.stream().map(id -> "node" + id).toList();
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /**
     * Each server's view and the value of x in its store, as replayed from what it applied since
     * it last booted (the commands of {@link Operation}; a no-op changes nothing).
     */
    private static void printStores(Cluster cluster, PrintStream out, boolean storyGoesOn) {
        Map<Integer, Map<String, String>> stores = new HashMap<>();
        cluster.ids().forEach(id -> stores.put(id, new HashMap<>()));
        for (TraceEvent e : cluster.trace().history()) {
            if (e instanceof TraceEvent.Restarted r) {
                stores.get(r.node()).clear();
            } else if (e instanceof TraceEvent.Applied a && !Entry.NO_OP.equals(a.command())) {
                apply(stores.get(a.node()), Operation.fromJson(a.command()));
            }
        }
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-15s %-10s %4s  %6s  %7s  %s%n",
                "store", "role", "term", "commit", "applied", KEY));
        for (NodeView v : cluster.views()) {
            String value = stores.get(v.id()).get(KEY);
            t.append(String.format(Locale.ROOT, "%-15s %-10s %4d  %6d  %7d  %s%n", "node" + v.id() + (v.up() ? "" : " (down)"),
                    v.up() ? v.role().title() : "-", v.term(), v.commitIndex(), v.lastApplied(), value == null ? "-" : value));
        }
        out.println();
        out.println(t.toString().lines().map(line -> INDENT + line).collect(Collectors.joining("\n")));
        if (storyGoesOn) {
            out.println();
        }
    }

    /** The store's rules, as {@link Operation} documents them, for the table above. */
    private static void apply(Map<String, String> store, Operation op) {
        switch (op.kind()) {
            case PUT -> store.put(op.key(), op.value());
            case DELETE -> store.remove(op.key());
            case APPEND -> store.merge(op.key(), op.value(), String::concat);
            case CAS -> {
                if (Objects.equals(store.get(op.key()), op.expected())) {
                    store.put(op.key(), op.value());
                }
            }
            case GET -> { }
        }
    }

    /** The history of calls, one line each: what the clients were asked and what they answered, when. */
    private static void printHistory(History history, PrintStream out, boolean storyGoesOn) {
        out.println();
        out.println(INDENT + "history");
        history.calls().forEach(call -> out.println(INDENT + "#" + call.id() + "  " + call));
        if (storyGoesOn) {
            out.println();
        }
    }
}
