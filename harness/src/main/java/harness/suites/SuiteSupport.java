package harness.suites;

import harness.api.Entry;
import harness.api.Proposal;
import harness.api.Role;
import harness.api.Rule;
import harness.cluster.Cluster;
import harness.cluster.Network;
import harness.cluster.Packet;
import harness.grade.SetUpFailed;
import harness.observe.NodeView;
import harness.observe.Time;
import harness.observe.TraceEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What graded suites have in common: time in words, failures in the course's words, watches, and
 * (from suite 2) proposals, logs and a {@link Director} that scripts who leads; (from suite 3)
 * a record of everything committed and a way to let a cluster settle.
 */
abstract class SuiteSupport {

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }

    /** Fails the scenario with a message that names the rule. */
    static AssertionError violation(Rule rule, String whatHappened) {
        return new AssertionError(rule.violated(whatHappened));
    }

    static void check(boolean condition, Rule rule, String whatHappened) {
        if (!condition) {
            throw violation(rule, whatHappened);
        }
    }

    /** Runs until a leader that reaches a majority exists; otherwise fails naming the liveness rule. */
    static int requireLeader(Cluster cluster, Duration within, String situation) {
        if (!cluster.runUntil(c -> c.leader().isPresent(), within)) {
            throw violation(Rule.ELECTION_LIVENESS, "no leader within " + Time.format(within) + " " + situation
                    + "; " + electionDiagnosis(cluster));
        }
        return cluster.leader().orElseThrow();
    }

    /** Where an election that produced no leader went wrong, as far as the counters tell. */
    static String electionDiagnosis(Cluster cluster) {
        long requests = cluster.stats().sent("RequestVote");
        long replies = cluster.stats().sent("RequestVoteReply");
        if (cluster.maxTerm() == 0) {
            return "no server ever stood for election (every term is 0): does start() set an election timer whose action"
                    + " starts an election?";
        }
        if (requests == 0) {
            return "servers reached term " + cluster.maxTerm() + " but sent no RequestVote: a candidate asks every other server";
        }
        return "servers reached term " + cluster.maxTerm() + " and sent " + requests + " RequestVotes and " + replies
                + " replies, yet no candidate won. Either the votes split every time (do servers draw their election"
                + " timeouts at random, so one usually stands first?) or they were not granted or not counted (does a"
                + " server grant a vote when it may, and does a candidate become leader once a majority granted it?)";
    }

    /** Records every election won while it is open: who became leader of which term, and when. */
    static final class Elections implements AutoCloseable {
        record Won(long timeMicros, int node, long term) {
            @Override
            public String toString() {
                return "node" + node + " won term " + term + " at " + Time.format(timeMicros);
            }
        }

        private final Cluster cluster;
        private final List<Won> won = new ArrayList<>();
        private final java.util.function.Consumer<TraceEvent> listener = this::onEvent;

        Elections(Cluster cluster) {
            this.cluster = cluster;
            cluster.trace().subscribe(listener);
        }

        private void onEvent(TraceEvent e) {
            if (e instanceof TraceEvent.RoleChanged r && r.to() == Role.LEADER) {
                won.add(new Won(r.timeMicros(), r.node(), r.term()));
            }
        }

        List<Won> won() {
            return List.copyOf(won);
        }

        @Override
        public void close() {
            cluster.trace().unsubscribe(listener);
        }
    }

    // ---- Proposals and logs (from suite 2) ------------------------------------------------------

    /** Proposes {@code command} to {@code leader}, which must accept it at {@code index} in {@code term}. */
    static void requireAccepted(Cluster cluster, int leader, String command, long index, long term) {
        Proposal answer = cluster.propose(leader, command);
        boolean accepted = answer instanceof Proposal.Accepted a && a.index() == index && a.term() == term;
        check(accepted, Rule.CLIENT_REDIRECT, "node" + leader + ", leader of term " + term + " with " + (index - 1) + " entries"
                + " before, answered the proposal \"" + command + "\" with " + answer + "; a leader appends the command to its"
                + " log and answers Accepted(index=" + index + ", term=" + term + ")");
    }

    /** Proposes "command from" to "command to" at the leader, which must append them at those indexes in {@code term}. */
    static void requireAcceptedRun(Cluster cluster, int leader, String command, long from, long to, long term) {
        for (long i = from; i <= to; i++) {
            requireAccepted(cluster, leader, command + " " + i, i, term);
        }
    }

    /** Runs until every server of {@code nodes} holds {@code length} entries, the same ones. */
    static void requireReplicated(Cluster cluster, List<Integer> nodes, int length, Duration within, String situation) {
        boolean done = cluster.runUntil(c -> {
            List<Entry> first = c.view(nodes.get(0)).log();
            return first.size() == length && nodes.stream().allMatch(id -> c.view(id).log().equals(first));
        }, within);
        check(done, Rule.LOG_REPLICATION, situation + ": node" + nodes.stream().map(String::valueOf)
                .collect(Collectors.joining(", node")) + " should all hold the same " + length + " entries within "
                + Time.format(within) + ", but:\n" + logs(cluster));
    }

    /** Does every running server hold exactly {@code log}? */
    static boolean allLogsEqual(Cluster cluster, List<Entry> log) {
        return cluster.views().stream().filter(NodeView::up).allMatch(v -> v.log().equals(log));
    }

    static List<String> commands(List<Entry> log) {
        return log.stream().map(Entry::command).toList();
    }

    /** Every server's log, one line each: its length and its terms, run by run. */
    static String logs(Cluster cluster) {
        StringBuilder s = new StringBuilder();
        for (NodeView v : cluster.views()) {
            s.append("  node").append(v.id()).append(v.isLeader() ? " (leader of term " + v.term() + ")" : "")
                    .append(": ").append(describe(v)).append('\n');
        }
        return s.toString();
    }

    /** "12 entries, terms 1×3 4×2 …, last (term 6, "x")": a log in a line. */
    static String describe(NodeView v) {
        if (v.log().isEmpty()) {
            return "empty log";
        }
        List<String> runs = new ArrayList<>();
        long term = -1;
        int count = 0;
        for (Entry e : v.log()) {
            if (e.term() != term && count > 0) {
                runs.add(term + "×" + count);
                count = 0;
            }
            term = e.term();
            count++;
        }
        runs.add(term + "×" + count);
        Entry last = v.log().get(v.log().size() - 1);
        return v.log().size() + " entries, terms " + String.join(" ", runs) + ", last \"" + last.command() + "\"";
    }

    // ---- Scripted leadership --------------------------------------------------------------------

    /**
     * Moves the leadership from {@code from} to {@code to}, a server with the same log: the
     * leader's heartbeats stop reaching {@code to} alone, so it times out first and wins the others' votes.
     */
    static void moveLeadership(Cluster cluster, int from, int to) {
        Network.Rule unheard = cluster.network().dropWhere(p -> p.is("AppendEntries") && p.from() == from && p.to() == to);
        boolean won = cluster.runUntil(c -> c.view(to).isLeader(), seconds(2));
        unheard.remove();
        check(won, Rule.ELECTION_LIVENESS, "the scenario's set-up failed: node" + to + ", no longer hearing the leader node"
                + from + ", did not win an election within 2 s; " + electionDiagnosis(cluster));
    }

    /**
     * Scripts who leads, without leaving it to the race of election timers. Outside a free
     * election it lets through only the AppendEntries of the server it names as the leader, so
     * old leaders it leaves behind act as if they had crashed (before milestone 4 a restarted
     * server forgets its log and its vote, so the script loses messages instead of restarting
     * servers), and only the RequestVotes between the server it wants elected and the voters it
     * chose. Suites 2 and 3 build the paper's Figures 7 and 8 with it.
     *
     * <p>Why not simply let that one server stand: voters left without a leader time out too,
     * each voting for itself in ever higher terms, and a candidate that only learns their terms
     * from their refusals rarely gets ahead of all of them at once. So either the voters keep
     * hearing a leader until the candidate stands ({@link #handOver}), or the candidate, whose log
     * is ahead of theirs, hears their vote requests, refuses them and adopts their terms, and so
     * stands in a term above all of them ({@link #electAhead}).
     */
    static final class Director {
        private final Cluster cluster;
        private boolean free = true;
        /** Whose AppendEntries are delivered (to everyone but the candidate), and the term the script made it lead. */
        private int lead;
        private long leadTerm;
        /** Who may stand for election, and the voters its RequestVotes reach. */
        private int candidate;
        private Set<Integer> voters = Set.of();
        /** Whose own RequestVotes reach the candidate (servers whose logs are behind its own, so it refuses them). */
        private Set<Integer> heard = Set.of();

        Director(Cluster cluster) {
            this.cluster = cluster;
            cluster.network().dropWhere(p -> !free && !delivered(p));
        }

        private boolean delivered(Packet p) {
            if (p.is("AppendEntries")) {
                return p.from() == lead && p.to() != candidate;
            }
            if (p.is("RequestVote")) {
                return (p.from() == candidate && voters.contains(p.to()))
                        || (p.to() == candidate && heard.contains(p.from()));
            }
            return true;
        }

        /** Connects {@code group} only, lets it elect whoever wins, and returns the leader. */
        int free(List<Integer> group, String step) {
            cluster.note(step);
            rewire(group);
            free = true;
            candidate = 0;
            voters = Set.of();
            heard = Set.of();
            requireLeader(cluster, seconds(3), "in the scenario's set-up (" + step + ")");
            cluster.runFor(millis(100)); // late vote requests of a split vote may still unseat it
            lead = requireLeader(cluster, seconds(3), "in the scenario's set-up (" + step + ")");
            leadTerm = cluster.view(lead).term();
            free = false;
            return lead;
        }

        /**
         * The leader's heartbeats stop reaching {@code to} alone, so {@code to} times out first and,
         * with the votes of the others (who still hear the leader, so do not stand), wins.
         */
        void handOver(int to, String step) {
            cluster.note(step);
            if (lead == to) {
                return;
            }
            standAndWin(to, cluster.others(to), step, () -> { });
        }

        /**
         * {@link #handOver(int, String)} with the candidate's RequestVotes reaching only {@code voters},
         * and {@code whenStanding} run the moment it stands, before any vote reaches it: the leader
         * still leads, and the voters still heard it a heartbeat ago, so they do not stand first.
         */
        void handOver(int to, Collection<Integer> voters, String step, Runnable whenStanding) {
            cluster.note(step);
            standAndWin(to, voters, step, whenStanding);
        }

        private void standAndWin(int to, Collection<Integer> voters, String step, Runnable whenStanding) {
            requireStillLeads(lead, "before " + step);
            long before = cluster.view(to).term();
            candidate = to;
            this.voters = Set.copyOf(voters);
            heard = Set.of();
            boolean stood = cluster.runUntil(c -> c.view(to).role() == Role.CANDIDATE && c.view(to).term() > before, seconds(1));
            check(stood, Rule.ELECTION_LIVENESS, "in the scenario's set-up (" + step + "), node" + to + ", no longer hearing"
                    + " the leader node" + lead + ", did not stand for election within 1 s");
            whenStanding.run();
            awaitWin(to, before, step);
            close();
        }

        /**
         * Connects {@code group} only; {@code who} asks for the votes of the servers in it whose logs
         * are behind its own. They, left without a leader, stand too, but only {@code who} hears
         * them, and refuses. The others of the group (old leaders with logs ahead of {@code who}'s)
         * hear nothing until {@code who} leads, so they do not step down and start timers early.
         * Returns once every server of the group follows {@code who} ({@link #holdWin}).
         */
        void electAhead(int who, List<Integer> group, String step) {
            long before = standAhead(who, group, step);
            awaitWin(who, before, step);
            holdWin(who, group, step);
            close();
        }

        /**
         * {@link #electAhead}, but {@code who} is cut off from every server the moment it wins, before
         * any of its AppendEntries arrives, so the entries it takes next stay its own. Nothing on the
         * wire to it arrives later either: the next step that reconnects it first lets such messages
         * be lost ({@link #rewire}).
         */
        void electAheadAlone(int who, List<Integer> group, String step) {
            long before = standAhead(who, group, step);
            awaitWin(who, before, step);
            cluster.isolate(who);
            close();
        }

        /** Sets up {@link #electAhead}'s election and returns {@code who}'s term before it. */
        private long standAhead(int who, List<Integer> group, String step) {
            cluster.note(step);
            rewire(group);
            NodeView w = cluster.view(who);
            voters = group.stream().filter(id -> id != who && isBehind(cluster.view(id), w)).collect(Collectors.toSet());
            setUp(voters.size() + 1 > cluster.size() / 2, "only " + voters + " have logs behind node" + who + "'s");
            lead = who;
            candidate = who;
            heard = voters;
            return w.term();
        }

        /**
         * Connects {@code group} only and lets {@code who} alone stand, asking every other server of
         * the group for its vote; no AppendEntries is delivered. Like {@link #electAhead}, it hears
         * the vote requests of the servers whose logs are behind its own, so it keeps standing in
         * terms above theirs. The scenario watches whether it can win; {@link #free} ends it.
         */
        void letStand(int who, List<Integer> group, String step) {
            cluster.note(step);
            rewire(group);
            NodeView w = cluster.view(who);
            lead = 0;
            candidate = who;
            voters = group.stream().filter(id -> id != who).collect(Collectors.toSet());
            heard = voters.stream().filter(id -> isBehind(cluster.view(id), w)).collect(Collectors.toSet());
        }

        /** Runs until {@code who} leads a term above {@code before}, whose AppendEntries are then delivered. */
        private void awaitWin(int who, long before, String step) {
            boolean won = cluster.runUntil(c -> c.view(who).isLeader() && c.view(who).term() > before, seconds(3));
            check(won, Rule.ELECTION_LIVENESS, "in the scenario's set-up (" + step + "), node" + who + " did not win an"
                    + " election within 3 s; " + electionDiagnosis(cluster));
            lead = who;
            leadTerm = cluster.view(who).term();
        }

        /**
         * Runs until every other server of {@code group} follows {@code who} in its term, the election
         * still open meanwhile. A voter that stood again just before the win (a candidate that voted
         * for itself refuses {@code who}) still reaches the new leader with its higher term; the
         * leader steps down (§5.1) and, heard by the voters and hearing them, stands and wins again.
         * Closed at the win, the script would drop every vote request from then on, and no server
         * could ever lead again. Once they all follow, heartbeats keep them from standing (§5.2).
         */
        private void holdWin(int who, List<Integer> group, String step) {
            boolean held = cluster.runUntil(c -> followed(c, who, group), seconds(3));
            NodeView w = cluster.view(who);
            check(held || !w.isLeader(), Rule.FOLLOWER_TIMER, "in the scenario's set-up (" + step + "), node" + who + " leads"
                    + " term " + w.term() + ", but 3 s later not every server it reaches follows it:\n" + logs(cluster));
            check(held, Rule.ELECTION_LIVENESS, "in the scenario's set-up (" + step + "), node" + who + " won an election but"
                    + " stepped down, and did not win again within 3 s; " + electionDiagnosis(cluster));
            leadTerm = w.term();
        }

        private static boolean followed(Cluster c, int who, List<Integer> group) {
            NodeView w = c.view(who);
            return w.isLeader() && group.stream().filter(id -> id != who).map(c::view)
                    .allMatch(v -> v.role() == Role.FOLLOWER && v.term() == w.term());
        }

        /** Ends an election: from now on no RequestVote is delivered. */
        private void close() {
            candidate = 0;
            voters = Set.of();
            heard = Set.of();
        }

        /**
         * Connects {@code group} only, once every message already on the wire has arrived or been
         * lost under the network as the last step left it. A message the script let through for
         * one step must not reach a server in the next: a server cut off "the moment it wins"
         * keeps none of the vote requests in flight to it, even when the next step reconnects it
         * at once (the network checks a link again on delivery, so a cut that lasts that long
         * loses them). Without this, a request of a higher term sent for one election could
         * unseat, in the next, a leader that step relies on to stay silent.
         */
        private void rewire(List<Integer> group) {
            cluster.runFor(cluster.network().conditions().longestDelay());
            cluster.partition(group);
        }

        /** §5.4.1: is {@code v}'s log behind {@code than}'s (an older last term, or the same and shorter)? */
        private static boolean isBehind(NodeView v, NodeView than) {
            long term = v.log().isEmpty() ? 0 : v.entryAt(v.lastLogIndex()).term();
            long thanTerm = than.log().isEmpty() ? 0 : than.entryAt(than.lastLogIndex()).term();
            return term < thanTerm || (term == thanTerm && v.lastLogIndex() < than.lastLogIndex());
        }

        /** The leader {@code at}, which the script made leader, takes {@code command}, which must land at {@code index}. */
        void propose(int at, String command, long index) {
            if (at == lead) {
                requireStillLeads(at, "when the script proposes \"" + command + "\"");
            }
            requireAccepted(cluster, at, command, index, cluster.view(at).term());
        }

        void await(List<Integer> nodes, int length, String what) {
            requireReplicated(cluster, nodes, length, millis(500), "in the scenario's set-up, " + what);
        }

        /** A premise of the script ({@link SuiteSupport#setUp}), shown with every server's log. */
        void setUp(boolean condition, String whatDidNotHappen) {
            if (!condition) {
                throw new SetUpFailed(whatDidNotHappen + "\n" + logs(cluster));
            }
        }

        /**
         * {@code id}, which the script made leader of a term, has not left it for a higher one. A
         * leader steps down when a message of a higher term reaches it (§5.1); the script failed to
         * keep that message from it, a set-up failure. A leader that stepped down in its own term
         * is left to the checks that follow: that is the code's doing.
         */
        void requireStillLeads(int id, String when) {
            NodeView v = cluster.view(id);
            setUp(v.isLeader() || v.term() == leadTerm, "node" + id + " led term " + leadTerm + " as the script made it, but "
                    + when + " it is a " + v.role().title().toLowerCase(java.util.Locale.ROOT) + " of term " + v.term()
                    + ": a message of a higher term reached it, which the script meant to keep from it");
        }
    }

    /** Churn: a random shape for 5 servers — one cut off, 2 | 3, a bridge, 1 | 2 | 2 — or healed. */
    static void randomTopology(Cluster cluster, SplittableRandom random) {
        List<Integer> ids = shuffled(cluster.ids(), random);
        switch (random.nextInt(5)) {
            case 0 -> cluster.isolate(ids.get(0));
            case 1 -> cluster.partition(ids.subList(0, 2), ids.subList(2, 5));
            case 2 -> cluster.bridge(ids.get(0), ids.subList(1, 3), ids.subList(3, 5));
            case 3 -> cluster.partition(ids.subList(0, 1), ids.subList(1, 3), ids.subList(3, 5));
            default -> cluster.heal();
        }
    }

    /** One to three commands to every server that believes it leads; returns the commands proposed so far. */
    static int proposeAtEveryLeader(Cluster cluster, SplittableRandom random, int proposed) {
        for (int leader : cluster.leaders()) {
            for (int k = random.nextInt(1, 4); k > 0; k--) {
                cluster.propose(leader, "cmd " + ++proposed);
            }
        }
        return proposed;
    }

    /** {@code ids} in a random order drawn from the scenario's seed. */
    static List<Integer> shuffled(List<Integer> ids, SplittableRandom random) {
        List<Integer> list = new ArrayList<>(ids);
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
        return list;
    }

    // ---- What was committed ----------------------------------------------------------------------

    /**
     * Every entry seen committed during a run, by index: read from every server's commitIndex after
     * each step, and from every entry a server applied. A server forgets its commitIndex when it
     * crashes (it is volatile, Figure 2); this record does not, so a scenario can check that nothing
     * committed was lost. It also keeps, for each server, the commands applied since its last boot.
     */
    static final class CommittedLog implements AutoCloseable {
        private final Cluster cluster;
        private final Map<Long, String> commands = new TreeMap<>();
        private final Map<Long, String> how = new HashMap<>();
        private final Map<Integer, List<String>> appliedSinceBoot = new HashMap<>();
        private final Consumer<TraceEvent> listener = this::onEvent;

        CommittedLog(Cluster cluster) {
            this.cluster = cluster;
            cluster.trace().subscribe(listener);
        }

        private void onEvent(TraceEvent e) {
            if (e instanceof TraceEvent.Restarted r) {
                appliedSinceBoot.put(r.node(), new ArrayList<>()); // a fresh state machine, replayed from the log
            } else if (e instanceof TraceEvent.Applied a) {
                appliedSinceBoot.computeIfAbsent(a.node(), id -> new ArrayList<>()).add(a.command());
                record(a.index(), a.command(), "node" + a.node() + " applied it at " + Time.format(a.timeMicros()));
            }
        }

        void read() {
            for (NodeView v : cluster.views()) {
                for (long i = Math.max(1, v.logStart()); i <= v.commitIndex(); i++) {
                    Entry e = v.entryAt(i);
                    if (e != null) {
                        record(i, e.command(), "node" + v.id() + " counted it committed at " + Time.format(cluster.now()));
                    }
                }
            }
        }

        private void record(long index, String command, String seen) {
            if (commands.putIfAbsent(index, command) == null) {
                how.put(index, seen);
            }
        }

        /** Every committed entry is in {@code log} at its index. */
        void requireIn(List<Entry> log, Rule rule) {
            for (Map.Entry<Long, String> c : commands.entrySet()) {
                long index = c.getKey();
                String there = index <= log.size() ? log.get((int) index - 1).command() : null;
                check(c.getValue().equals(there), rule, "\"" + c.getValue() + "\" was committed at index " + index + " ("
                        + how.get(index) + "), but the final log holds " + (there == null ? "no entry" : "\"" + there + "\"")
                        + " there. A committed entry stays: every later leader holds it (Leader Completeness), so no server"
                        + " ever applies another entry at its index (State Machine Safety)");
            }
        }

        /**
         * Each committed entry is on the disks of a majority: a majority stored it before it was
         * committed, each server syncing it before saying so (the leader counts its own copy once it
         * is on its own disk).
         */
        void requireOnDisks(String situation) {
            Map<Integer, List<Entry>> disks = new TreeMap<>();
            for (int id : cluster.ids()) {
                disks.put(id, cluster.durable(id).log());
            }
            requireOnMajority(disks, "the disks of", Rule.PERSIST_BEFORE_REPLY, situation, "A server says it stored an entry"
                    + " only once the entry is written and synced, so whatever crashes, a committed entry stays on a"
                    + " majority of disks");
        }

        /** Each committed entry is in the logs of a majority of the servers, as they are now. */
        void requireOnMajorityOfLogs(String situation) {
            Map<Integer, List<Entry>> logs = new TreeMap<>();
            for (NodeView v : cluster.views()) {
                logs.put(v.id(), v.log());
            }
            requireOnMajority(logs, "the logs of", Rule.RESTART_FROM_DISK, situation, "A restarted server comes back with the"
                    + " log on its disk, and a majority of disks hold every committed entry");
        }

        private void requireOnMajority(Map<Integer, List<Entry>> logs, String where, Rule rule, String situation, String why) {
            for (Map.Entry<Long, String> c : commands.entrySet()) {
                int index = (int) (long) c.getKey();
                List<Integer> holding = logs.entrySet().stream()
                        .filter(l -> l.getValue().size() >= index && l.getValue().get(index - 1).command().equals(c.getValue()))
                        .map(Map.Entry::getKey).toList();
                check(holding.size() > cluster.size() / 2, rule, situation + ", \"" + c.getValue() + "\" was committed at index "
                        + index + " (" + how.get(c.getKey()) + "), but " + (holding.isEmpty() ? "none of " + where + " the servers"
                        : "only " + where + " node" + join(holding)) + " hold it there. " + why);
            }
        }

        /** Every running server's log holds every committed entry at its index. */
        void requireInEveryLog(Rule rule, String situation) {
            for (NodeView v : cluster.views()) {
                if (!v.up()) {
                    continue;
                }
                for (Map.Entry<Long, String> c : commands.entrySet()) {
                    long index = c.getKey();
                    Entry there = v.entryAt(index);
                    check(there != null && c.getValue().equals(there.command()), rule, situation + ", node" + v.id() + " holds "
                            + (there == null ? "no entry" : "\"" + there.command() + "\"") + " at index " + index + ", where \""
                            + c.getValue() + "\" was committed (" + how.get(index) + "). A committed entry survives every crash:"
                            + " it is on a majority of disks, every later leader holds it (Leader Completeness), and no"
                            + " server applies another entry at its index (State Machine Safety)");
                }
            }
        }

        /** Since its last boot, every server applied exactly its log's commands up to lastApplied, once each, in order. */
        void requireEachReplayedItsLog() {
            for (NodeView v : cluster.views()) {
                List<String> got = appliedSinceBoot.getOrDefault(v.id(), List.of());
                List<String> log = commands(v.log()).subList(0, (int) Math.min(v.log().size(), v.lastApplied()));
                check(got.equals(log), Rule.APPLY_IN_ORDER, "since its last boot node" + v.id() + " applied " + got.size()
                        + " commands, but the first " + log.size() + " entries of its log (up to lastApplied) are other ones,"
                        + " or in another order; the first difference is at index " + firstDifference(got, log) + ". A"
                        + " restarted server replays its committed log into a fresh state machine, each entry once, in order");
            }
        }

        @Override
        public void close() {
            cluster.trace().unsubscribe(listener);
        }
    }

    // ---- Settling ------------------------------------------------------------------------------

    /**
     * A client's proposal to server {@code id}; null if the server lost power while taking it (a
     * disk failure the scenario armed), in which case the client got no answer.
     */
    static Proposal offer(Cluster cluster, int id, String command) {
        try {
            return cluster.propose(id, command);
        } catch (IllegalStateException e) {
            if (cluster.isUp(id)) {
                throw e;
            }
            return null;
        }
    }

    /**
     * Runs until every running server holds the same log, ending with {@code command}, committed
     * and applied to its end. The command is proposed to the leader, and again to each later
     * leader whose log does not end in an entry of its own term: a leader commits earlier terms'
     * entries only along with one of its own (§5.4.2), and this milestone's leaders append none when
     * elected.
     */
    static void requireSettled(Cluster cluster, String command, Duration within, String situation) {
        Duration deadline = cluster.now().plus(within);
        long proposedInTerm = -1;
        while (!settled(cluster, command)) {
            if (cluster.now().compareTo(deadline) >= 0) {
                Rule rule = cluster.leader().isPresent() ? Rule.COMMIT_AT_MAJORITY : Rule.ELECTION_LIVENESS;
                throw violation(rule, Time.format(within) + " " + situation + ", the running servers have not all committed"
                        + " and applied the same log, ending with the command \"" + command + "\" proposed to the leader"
                        + (cluster.leader().isPresent() ? "" : " (there is no leader: " + electionDiagnosis(cluster) + ")")
                        + ":\n" + states(cluster));
            }
            Optional<Integer> leader = cluster.leader();
            if (leader.isPresent()) {
                NodeView v = cluster.view(leader.get());
                Entry last = v.entryAt(v.lastLogIndex());
                boolean needed = !commands(v.log()).contains(command) || last == null || last.term() != v.term();
                if (needed && v.term() != proposedInTerm) {
                    offer(cluster, leader.get(), command);
                    proposedInTerm = v.term();
                }
            }
            cluster.runUntil(c -> settled(c, command), millis(100));
        }
    }

    private static boolean settled(Cluster cluster, String command) {
        Optional<Integer> leader = cluster.leader();
        if (leader.isEmpty()) {
            return false;
        }
        List<Entry> log = cluster.view(leader.get()).log();
        return commands(log).contains(command) && cluster.views().stream().filter(NodeView::up)
                .allMatch(v -> v.log().equals(log) && v.commitIndex() == v.lastLogIndex() && v.lastApplied() == v.lastLogIndex());
    }

    // ---- Describing -----------------------------------------------------------------------------

    /**
     * A premise of the scenario's own script, one that correct code may miss: if it does not hold,
     * the scenario could not build the situation it grades, and fails as {@link SetUpFailed},
     * naming no rule. Whatever the code under test owes is checked with its rule instead.
     */
    static void setUp(Cluster cluster, boolean condition, String whatDidNotHappen) {
        if (!condition) {
            throw new SetUpFailed(whatDidNotHappen + "\n" + states(cluster));
        }
    }

    /** Every server's state in a line: up or down, role and term, commitIndex, lastApplied, and its log. */
    static String states(Cluster cluster) {
        StringBuilder s = new StringBuilder();
        for (NodeView v : cluster.views()) {
            String what = !v.up() ? "down, last in term " + v.term() : v.isLeader() ? "leader of term " + v.term() : "term " + v.term();
            s.append("  node").append(v.id()).append(" (").append(what).append("): commitIndex ").append(v.commitIndex())
                    .append(", lastApplied ").append(v.lastApplied()).append(", ").append(describe(v)).append('\n');
        }
        return s.toString();
    }

    static <T> int firstDifference(List<T> a, List<T> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i + 1;
    }

    /** "2, node3, node5": server ids to follow a first "node". */
    static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", node"));
    }
}
