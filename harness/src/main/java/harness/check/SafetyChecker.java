package harness.check;

import harness.api.Entry;

import harness.api.Role;
import harness.api.Rule;
import harness.observe.NodeView;
import harness.observe.Time;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks the safety properties while a scenario runs, after every input of every server, over
 * the whole history of the run. A broken property throws a {@link SafetyViolation} at the event
 * that broke it. The properties:
 * <ul>
 *   <li>Election Safety (Figure 3): at most one leader per term;</li>
 *   <li>Leader Append-Only (Figure 3): a leader's log only grows while it leads a term;</li>
 *   <li>Log Matching (Figure 3): two logs with an entry of the same index and term agree up to it;</li>
 *   <li>Leader Completeness (Figure 3): a new leader's log holds every entry committed so far;</li>
 *   <li>State Machine Safety (Figure 3): servers apply, and consider committed, the same entry at
 *       each index; entries are applied once each, in order, only when committed, and
 *       commitIndex never points past a server's own log;</li>
 *   <li>commitIndex only grows while a server runs, and lastApplied never passes it (Figure 2);</li>
 *   <li>one vote per term (§5.2): a server's vote in a term never changes;</li>
 *   <li>a majority to win (§5.2): a new leader holds votes of a majority in its own term;</li>
 *   <li>adopt a higher term (§5.1): a server that handles a message from a higher term ends up
 *       in that term, as a follower.</li>
 * </ul>
 */
public final class SafetyChecker {

    private record Leader(int id, long sinceMicros) {
    }

    private final int clusterSize;
    private final Map<Long, Leader> leaderOfTerm = new HashMap<>();
    private final Map<Long, Map<Integer, Integer>> votesInTerm = new HashMap<>();
    /** Every server's latest view while it is up: the logs Log Matching compares. */
    private final Map<Integer, NodeView> running = new HashMap<>();
    /**
     * Every entry some server has counted as committed, by index: who counted it first, and the
     * lowest term of a server seen counting it, the term it was committed in at the latest.
     */
    private final Map<Long, Committed> committed = new HashMap<>();
    /** The command first applied at each index, by whom. */
    private final Map<Long, Applied> applied = new HashMap<>();

    private record Committed(Entry entry, int by, long term) {
    }

    private record Applied(String command, int by) {
    }

    public SafetyChecker(int clusterSize) {
        this.clusterSize = clusterSize;
    }

    /** Whether any server has counted any entry as committed so far in this run. */
    public synchronized boolean anyCommitted() {
        return !committed.isEmpty();
    }

    /** One server's state changed from {@code before} (null at its first boot) to {@code after}. */
    public synchronized void onChange(long timeMicros, NodeView before, NodeView after) {
        if (!after.up()) {
            return;
        }
        running.put(after.id(), after);
        if (after.votedFor() != null) {
            checkOneVotePerTerm(timeMicros, after);
        }
        boolean newLeader = after.isLeader() && (before == null || !before.isLeader() || before.term() != after.term());
        if (newLeader) {
            checkElectionSafety(timeMicros, after);
            checkMajorityToWin(timeMicros, after);
        }
        if (before != null && before.isLeader() && after.isLeader() && before.term() == after.term()) {
            checkLeaderAppendOnly(timeMicros, before, after);
        }
        if (before == null || !before.log().equals(after.log()) || before.logStart() != after.logStart()) {
            checkLogMatching(timeMicros, after);
        }
        checkCommitWithinLog(timeMicros, after);
        checkCommitMonotonic(timeMicros, before, after);
        recordCommitted(timeMicros, after);
        if (newLeader) {
            checkLeaderCompleteness(timeMicros, after);
        }
    }

    /** A server went down: until it is back, its log takes no part in the comparisons. */
    public synchronized void down(int id) {
        running.remove(id);
    }

    private void checkLeaderAppendOnly(long time, NodeView before, NodeView after) {
        for (long i = Math.max(before.logStart(), after.logStart()); i <= before.lastLogIndex(); i++) {
            if (!before.entryAt(i).equals(after.entryAt(i))) {
                throw new SafetyViolation(Rule.LEADER_APPEND_ONLY, "node" + after.id() + ", leader of term " + after.term()
                        + ", changed its own entry at index " + i + " from " + describe(before.entryAt(i)) + " to "
                        + describe(after.entryAt(i)) + " at " + Time.format(time));
            }
        }
    }

    private void checkLogMatching(long time, NodeView changed) {
        for (NodeView other : running.values()) {
            if (other.id() == changed.id()) {
                continue;
            }
            long match = lastMatchingIndex(changed, other);
            for (long i = Math.max(changed.logStart(), other.logStart()); i <= match; i++) {
                if (!changed.entryAt(i).equals(other.entryAt(i))) {
                    throw new SafetyViolation(Rule.LOG_MATCHING, "node" + changed.id() + " and node" + other.id() + " both hold an entry"
                            + " of term " + changed.entryAt(match).term() + " at index " + match + ", but differ at index " + i + ": "
                            + describe(changed.entryAt(i)) + " against " + describe(other.entryAt(i)) + " (at " + Time.format(time) + ")");
                }
            }
        }
    }

    /** The highest index at which both logs hold an entry of the same term, or 0. */
    private static long lastMatchingIndex(NodeView a, NodeView b) {
        long low = Math.max(a.logStart(), b.logStart());
        for (long i = Math.min(a.lastLogIndex(), b.lastLogIndex()); i >= low; i--) {
            if (a.entryAt(i).term() == b.entryAt(i).term()) {
                return i;
            }
        }
        return 0;
    }

    private void checkCommitWithinLog(long time, NodeView v) {
        if (v.commitIndex() > v.lastLogIndex()) {
            throw new SafetyViolation(Rule.COMMIT_WITHIN_LOG, "node" + v.id() + " set commitIndex to " + v.commitIndex()
                    + " at " + Time.format(time) + ", but its log ends at index " + v.lastLogIndex());
        }
    }

    /**
     * Figure 2: commitIndex increases monotonically while a server runs ({@code before} is null at
     * a boot, when it starts again from 0), and lastApplied never passes it.
     */
    private void checkCommitMonotonic(long time, NodeView before, NodeView after) {
        if (before != null && before.up() && after.commitIndex() < before.commitIndex()) {
            throw new SafetyViolation(Rule.COMMIT_MONOTONIC, "node" + after.id() + "'s commitIndex went down from "
                    + before.commitIndex() + " to " + after.commitIndex() + " at " + Time.format(time) + " (a leaderCommit or a"
                    + " match older than what it already knew?)");
        }
        if (after.lastApplied() > after.commitIndex()) {
            throw new SafetyViolation(Rule.COMMIT_MONOTONIC, "node" + after.id() + " has applied up to " + after.lastApplied()
                    + " but its commitIndex is " + after.commitIndex() + " at " + Time.format(time));
        }
    }

    /** Everything up to a server's commitIndex is committed: it must agree with what others committed. */
    private void recordCommitted(long time, NodeView v) {
        for (long i = Math.max(1, v.logStart()); i <= v.commitIndex(); i++) {
            Entry entry = v.entryAt(i);
            Committed earlier = committed.putIfAbsent(i, new Committed(entry, v.id(), v.term()));
            if (earlier != null && earlier.entry().equals(entry) && v.term() < earlier.term()) {
                committed.put(i, new Committed(entry, earlier.by(), v.term()));
            }
            if (earlier != null && !earlier.entry().equals(entry)) {
                throw new SafetyViolation(Rule.STATE_MACHINE_SAFETY, "node" + v.id() + " counts " + describe(entry) + " as committed at"
                        + " index " + i + " at " + Time.format(time) + ", but node" + earlier.by() + " committed "
                        + describe(earlier.entry()) + " there");
            }
        }
    }

    /**
     * Figure 3 asks this of leaders of terms higher than the entry's commit: a leader of an older
     * term, elected by replies that arrived late, may lack it and will step down when it hears
     * of the newer term.
     */
    private void checkLeaderCompleteness(long time, NodeView leader) {
        for (Map.Entry<Long, Committed> c : committed.entrySet()) {
            long index = c.getKey();
            if (index < leader.logStart() || c.getValue().term() >= leader.term()) {
                continue; // compacted into a snapshot (milestone 7), or committed in this term or a later one
            }
            Entry entry = leader.entryAt(index);
            if (!c.getValue().entry().equals(entry)) {
                throw new SafetyViolation(Rule.LEADER_COMPLETENESS, "node" + leader.id() + " became leader of term " + leader.term()
                        + " at " + Time.format(time) + " without the committed entry " + describe(c.getValue().entry()) + " at index "
                        + index + (entry == null ? " (its log ends at " + leader.lastLogIndex() + ")" : "; it holds " + describe(entry)));
            }
        }
    }

    /**
     * Server {@code id} applies {@code command} at {@code index}, having applied up to
     * {@code lastApplied}, and knowing entries up to {@code commitIndex} committed.
     */
    public synchronized void onApply(long timeMicros, int id, long index, String command, long lastApplied, long commitIndex) {
        if (index != lastApplied + 1 || index > commitIndex) {
            throw new SafetyViolation(Rule.APPLY_IN_ORDER, "node" + id + " applied index " + index + " at " + Time.format(timeMicros)
                    + " after applying up to " + lastApplied + ", with commitIndex " + commitIndex
                    + (index > commitIndex ? ": the entry is not known to be committed" : ": entries are applied one by one, in order"));
        }
        Applied earlier = applied.putIfAbsent(index, new Applied(command, id));
        if (earlier != null && !earlier.command().equals(command)) {
            throw new SafetyViolation(Rule.STATE_MACHINE_SAFETY, "node" + id + " applied \"" + command + "\" at index " + index + " at "
                    + Time.format(timeMicros) + ", but node" + earlier.by() + " applied \"" + earlier.command() + "\" there");
        }
    }

    private void checkOneVotePerTerm(long time, NodeView v) {
        Integer earlier = votesInTerm.computeIfAbsent(v.term(), t -> new HashMap<>()).putIfAbsent(v.id(), v.votedFor());
        if (earlier != null && !earlier.equals(v.votedFor())) {
            throw new SafetyViolation(Rule.ONE_VOTE_PER_TERM, "node" + v.id() + " voted for node" + earlier + " and then for node"
                    + v.votedFor() + " in term " + v.term() + " (the second vote at " + Time.format(time) + ")");
        }
    }

    private void checkElectionSafety(long time, NodeView v) {
        Leader earlier = leaderOfTerm.putIfAbsent(v.term(), new Leader(v.id(), time));
        if (earlier != null && earlier.id() != v.id()) {
            throw new SafetyViolation(Rule.ELECTION_SAFETY, "node" + earlier.id() + " and node" + v.id() + " were both leaders of term "
                    + v.term() + " (node" + earlier.id() + " since " + Time.format(earlier.sinceMicros()) + ", node" + v.id()
                    + " since " + Time.format(time) + ")");
        }
    }

    private void checkMajorityToWin(long time, NodeView v) {
        Set<Integer> voters = votersFor(v.id(), v.term());
        int majority = clusterSize / 2 + 1;
        if (voters.size() < majority) {
            throw new SafetyViolation(Rule.MAJORITY_TO_WIN, "node" + v.id() + " became leader of term " + v.term() + " at "
                    + Time.format(time) + " although " + (voters.isEmpty() ? "no server" : "only " + describe(voters))
                    + " voted for it in term " + v.term()
                    + "; it needs " + majority + " of " + clusterSize);
        }
    }

    /**
     * Server {@code after.id()} handled a message of {@code messageType} carrying {@code messageTerm};
     * it was {@code before} and is now {@code after}.
     */
    public void onDelivery(long timeMicros, String messageType, long messageTerm, NodeView before, NodeView after) {
        if (before == null || !after.up() || messageTerm <= before.term()) {
            return;
        }
        if (after.term() < messageTerm || after.role() != Role.FOLLOWER) {
            throw new SafetyViolation(Rule.HIGHER_TERM, "node" + after.id() + " was " + before.role().title() + " in term " + before.term()
                    + " and handled " + messageType + " of term " + messageTerm + " at " + Time.format(timeMicros) + ", but then was "
                    + after.role().title() + " in term " + after.term());
        }
    }

    /** The servers seen voting for {@code candidate} in {@code term}. */
    public synchronized Set<Integer> votersFor(int candidate, long term) {
        return votesInTerm.getOrDefault(term, Map.of()).entrySet().stream()
                .filter(e -> e.getValue() == candidate)
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String describe(Entry e) {
        return e == null ? "nothing" : "(term " + e.term() + ", \"" + e.command() + "\")";
    }

    private static String describe(Set<Integer> voters) {
        return voters.stream().map(v -> "node" + v).collect(Collectors.joining(", "));
    }
}
