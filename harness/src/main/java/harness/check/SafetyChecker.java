package harness.check;

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
 * that broke it. This milestone's properties are about elections:
 * <ul>
 *   <li>Election Safety (Figure 3): at most one leader per term;</li>
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

    public SafetyChecker(int clusterSize) {
        this.clusterSize = clusterSize;
    }

    /** One server's state changed from {@code before} (null at its first boot) to {@code after}. */
    public synchronized void onChange(long timeMicros, NodeView before, NodeView after) {
        if (!after.up()) {
            return;
        }
        if (after.votedFor() != null) {
            checkOneVotePerTerm(timeMicros, after);
        }
        boolean newLeader = after.isLeader() && (before == null || !before.isLeader() || before.term() != after.term());
        if (newLeader) {
            checkElectionSafety(timeMicros, after);
            checkMajorityToWin(timeMicros, after);
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

    private static String describe(Set<Integer> voters) {
        return voters.stream().map(v -> "node" + v).collect(Collectors.joining(", "));
    }
}
