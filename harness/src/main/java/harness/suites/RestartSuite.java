package harness.suites;

import harness.api.Proposal;
import harness.api.Rule;
import harness.cluster.Cluster;
import harness.grade.Graded;
import harness.observe.NodeView;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.SplittableRandom;

import static harness.grade.Scenario.cluster;

/**
 * Suite 4, continued: restarts. Servers go down mid-workload, every one of them, the leader,
 * followers, a majority, and a cluster's only server, each time right after a disk write, in the
 * middle of one or at any moment, and come back from exactly what their disks hold (checked at
 * every restart by {@link Power}); nothing committed is lost, and the cluster commits again.
 * These scenarios share {@link PersistenceSuite}'s title, so the grade table counts them in suite 4.
 */
@Tag("milestone-4")
@DisplayName(PersistenceSuite.TITLE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RestartSuite extends SuiteSupport {

    // ---- Restart everyone ------------------------------------------------------------------------

    static final int RESTART_ALL_ROUNDS = 3;

    @Order(1)
    @Graded(points = 10, rule = Rule.RESTART_FROM_DISK)
    @DisplayName("Restart all: 3 times, all 5 servers go down mid-workload (two of them in the middle of a disk write) and restart from their disks; nothing committed is lost")
    void restartAll(long seed) {
        Cluster cluster = cluster(5, seed);
        SplittableRandom random = new SplittableRandom(seed);
        Power power = new Power(cluster);
        int proposed = 0;
        try (CommittedLog committed = new CommittedLog(cluster)) {
            for (int round = 1; round <= RESTART_ALL_ROUNDS; round++) {
                requireLeader(cluster, seconds(3), round == 1 ? "after the cluster started" : "after every server restarted");
                for (int burst = random.nextInt(2, 6); burst > 0; burst--) {
                    proposed = PersistenceSuite.proposeAtLeaders(cluster, random, proposed, "w" + round);
                    cluster.runFor(millis(random.nextLong(1, 25)));
                    committed.read();
                }
                // The power fails: two servers lose it during their next disk write, the rest a moment later.
                List<Integer> order = shuffled(cluster.ids(), random);
                cluster.note("round " + round + ": node" + order.get(0) + " and node" + order.get(1) + " will lose power in the"
                        + " middle of their next disk sync; a moment later every server goes down");
                power.arm(order.get(0), true);
                power.arm(order.get(1), true);
                proposed = PersistenceSuite.proposeAtLeaders(cluster, random, proposed, "w" + round);
                cluster.runFor(millis(random.nextLong(0, 8)));
                committed.read();
                for (int id : cluster.ids()) {
                    if (cluster.isUp(id)) {
                        power.crash(id);
                    }
                }
                committed.requireOnDisks("in round " + round + ", when every server had gone down");
                for (int id : shuffled(cluster.ids(), random)) {
                    power.restart(id);
                    cluster.runFor(millis(random.nextLong(0, 20)));
                }
                committed.requireOnMajorityOfLogs("in round " + round + ", once every server had restarted");
                requireSettled(cluster, "settled " + round, seconds(5), "after every server restarted in round " + round);
                committed.read();
                committed.requireInEveryLog(Rule.RESTART_FROM_DISK, "after the restart of round " + round);
            }
            committed.requireEachReplayedItsLog();
        }
    }

    // ---- Restart the leader, restart followers ---------------------------------------------------

    static final int LEADER_ROUNDS = 5;
    static final int FOLLOWER_ROUNDS = 5;

    @Order(2)
    @Graded(points = 10, rule = Rule.RESTART_FROM_DISK)
    @DisplayName("Restart the leader 5 times and one or two followers 5 times, each mid-replication, with proposals in between; nothing committed is lost and the cluster keeps committing")
    void restartLeaderAndFollowers(long seed) {
        Cluster cluster = cluster(5, seed);
        SplittableRandom random = new SplittableRandom(seed);
        Power power = new Power(cluster);
        int proposed = 0;
        try (CommittedLog committed = new CommittedLog(cluster)) {
            for (int round = 1; round <= LEADER_ROUNDS; round++) {
                int leader = requireLeader(cluster, seconds(3), round == 1 ? "after the cluster started"
                        : "after the leader's restart in round " + (round - 1));
                proposed = PersistenceSuite.proposeAtLeaders(cluster, random, proposed, "l" + round);
                cluster.runFor(millis(random.nextLong(0, 15)));
                committed.read();
                cluster.note("round " + round + ": the leader node" + leader + " crashes");
                power.crash(leader);
                // Back at once (before the others time out), or after they elected another leader.
                cluster.runFor(millis(random.nextLong(0, 600)));
                committed.read();
                power.restart(leader);
                requireSettled(cluster, "after leader restart " + round, seconds(4), "after the leader node" + leader
                        + " crashed and restarted (round " + round + ")");
                committed.read();
                committed.requireInEveryLog(Rule.RESTART_FROM_DISK, "after the leader node" + leader + " restarted (round "
                        + round + ")");
            }
            for (int round = 1; round <= FOLLOWER_ROUNDS; round++) {
                int leader = requireLeader(cluster, seconds(3), "before follower round " + round);
                List<Integer> followers = shuffled(cluster.others(leader), random).subList(0, random.nextInt(1, 3));
                proposed = PersistenceSuite.proposeAtLeaders(cluster, random, proposed, "f" + round);
                cluster.runFor(millis(random.nextLong(0, 15)));
                committed.read();
                cluster.note("round " + round + ": node" + join(followers) + " crash");
                followers.forEach(power::crash);
                requireSettled(cluster, "without node" + join(followers) + " " + round, seconds(3), "with node"
                        + join(followers) + " down (follower round " + round + "; a majority is still up)");
                committed.read();
                for (int id : followers) {
                    power.restart(id);
                }
                requireSettled(cluster, "after follower restart " + round, seconds(3), "after node" + join(followers)
                        + " restarted (follower round " + round + ")");
                committed.read();
                committed.requireInEveryLog(Rule.RESTART_FROM_DISK, "after node" + join(followers) + " restarted (round "
                        + round + ")");
            }
            committed.requireEachReplayedItsLog();
        }
    }

    // ---- Crash a majority ------------------------------------------------------------------------

    static final int MAJORITY_ROUNDS = 8;

    @Order(3)
    @Graded(points = 10, rule = Rule.RESTART_FROM_DISK)
    @DisplayName("Crash a majority: 8 times, 3 of 5 servers picked at random go down mid-replication and restart from their disks; nothing committed is lost, and the cluster commits again after each round")
    void crashMajorities(long seed) {
        Cluster cluster = cluster(5, seed);
        SplittableRandom random = new SplittableRandom(seed);
        Power power = new Power(cluster);
        int proposed = 0;
        try (CommittedLog committed = new CommittedLog(cluster)) {
            requireLeader(cluster, seconds(2), "after the cluster started");
            for (int round = 1; round <= MAJORITY_ROUNDS; round++) {
                proposed = PersistenceSuite.proposeAtLeaders(cluster, random, proposed, "m" + round);
                cluster.runFor(millis(random.nextLong(0, 12)));
                committed.read();
                List<Integer> majority = shuffled(cluster.ids(), random).subList(0, 3);
                cluster.note("round " + round + ": node" + join(majority) + " crash, a majority");
                majority.forEach(power::crash);
                committed.requireOnDisks("in round " + round + ", when node" + join(majority) + " went down");
                // The two left cannot commit anything new; one of them may still lead, and take commands.
                for (int step = 0; step < 2; step++) {
                    proposed = PersistenceSuite.proposeAtLeaders(cluster, random, proposed, "m" + round);
                    cluster.runFor(millis(random.nextLong(20, 150)));
                    committed.read();
                }
                committed.requireOnDisks("in round " + round + ", while node" + join(majority) + " were down");
                for (int id : shuffled(majority, random)) {
                    power.restart(id);
                    cluster.runFor(millis(random.nextLong(0, 40)));
                }
                requireSettled(cluster, "after majority " + round, seconds(5), "after node" + join(majority)
                        + " restarted (round " + round + ")");
                committed.read();
                committed.requireInEveryLog(Rule.RESTART_FROM_DISK, "after node" + join(majority) + " restarted (round "
                        + round + ")");
            }
            committed.requireEachReplayedItsLog();
        }
    }

    // ---- A cluster of one --------------------------------------------------------------------------

    static final int ONE_SERVER_ROUNDS = 6;

    @Order(10)
    @Graded(points = 5, rule = Rule.PERSIST_BEFORE_REPLY)
    @DisplayName("A cluster of one: the lone server commits only what is on its disk; 6 times it goes down (at any moment, in the middle of a disk write, or right after one) and comes back with every committed entry, elects itself and commits again")
    void oneServer(long seed) {
        Cluster cluster = cluster(1, seed);
        SplittableRandom random = new SplittableRandom(seed);
        Power power = new Power(cluster);
        int id = cluster.ids().get(0);
        int proposed = 0;
        try (CommittedLog committed = new CommittedLog(cluster)) {
            for (int round = 1; round <= ONE_SERVER_ROUNDS; round++) {
                requireLeader(cluster, seconds(2), round == 1 ? "in a cluster of one server, whose own vote is a majority of one"
                        : "after the lone server restarted (round " + (round - 1) + ")");
                long term = cluster.view(id).term();
                for (int k = random.nextInt(1, 6); k > 0; k--) {
                    requireAccepted(cluster, id, "solo " + ++proposed, cluster.view(id).lastLogIndex() + 1, term);
                }
                boolean caughtUp = cluster.runUntil(c -> settledAlone(c.view(id)), CommitSuite.ONE_SERVER_PATIENCE);
                check(caughtUp, Rule.COMMIT_AT_MAJORITY, "node" + id + ", the only server of its cluster and leader of term " + term
                        + ", holds " + cluster.view(id).lastLogIndex() + " entries, but " + CommitSuite.ONE_SERVER_PATIENCE.toMillis()
                        + " ms after it took the last of them its commitIndex is " + cluster.view(id).commitIndex() + " and"
                        + " lastApplied " + cluster.view(id).lastApplied() + ". Alone, its own log is a majority: an entry of its"
                        + " term is committed as soon as it is on its disk, with every entry before it");
                committed.read();
                cluster.runFor(millis(random.nextLong(0, 100)));

                // The power fails: at once, in the middle of the next disk write, or right after it (before the answer).
                String how;
                switch (round % 3) {
                    case 1 -> {
                        how = "went down";
                        power.crash(id);
                    }
                    case 2 -> {
                        how = "lost power in the middle of writing \"solo " + (proposed + 1) + "\"";
                        power.arm(id, true);
                    }
                    default -> {
                        how = "went down right after syncing \"solo " + (proposed + 1) + "\", before answering";
                        power.arm(id, false);
                    }
                }
                if (cluster.isUp(id)) {
                    Proposal answer = offer(cluster, id, "solo " + ++proposed);
                    boolean synced = cluster.runUntil(c -> !c.isUp(id), CommitSuite.ONE_SERVER_PATIENCE);
                    check(synced, Rule.PERSIST_BEFORE_REPLY, "node" + id + ", the only server of its cluster, was to lose power"
                            + " at its next disk sync; it took a proposal (answering " + answer + "), but " + CommitSuite
                            .ONE_SERVER_PATIENCE.toMillis() + " ms later it has not synced its disk, and its commitIndex is "
                            + cluster.view(id).commitIndex() + " of " + cluster.view(id).lastLogIndex() + " entries. Alone, it"
                            + " commits an entry once the entry is on its own disk, and only a sync puts it there");
                }
                cluster.note("round " + round + ": the lone server " + how);
                committed.requireOnDisks("in round " + round + ", when the lone server " + how + " (it sends no messages, so"
                        + " nothing syncs its entries to its disk unless it does so itself before it counts them committed)");
                power.restart(id);
                committed.requireInEveryLog(Rule.RESTART_FROM_DISK, "after the lone server " + how + " and restarted (round "
                        + round + ")");
            }
            int leader = requireLeader(cluster, seconds(2), "after the last restart");
            requireAccepted(cluster, leader, "solo last", cluster.view(leader).lastLogIndex() + 1, cluster.view(leader).term());
            boolean caughtUp = cluster.runUntil(c -> settledAlone(c.view(id)), CommitSuite.ONE_SERVER_PATIENCE);
            check(caughtUp, Rule.COMMIT_AT_MAJORITY, "after " + ONE_SERVER_ROUNDS + " restarts node" + id + " took a last"
                    + " proposal, but " + CommitSuite.ONE_SERVER_PATIENCE.toMillis() + " ms later it has not committed and applied its"
                    + " whole log:\n" + states(cluster));
            committed.read();
            committed.requireEachReplayedItsLog();
        }
    }

    /** A lone server that has committed and applied its whole log. */
    private static boolean settledAlone(NodeView v) {
        return v.up() && v.commitIndex() == v.lastLogIndex() && v.lastApplied() == v.lastLogIndex();
    }
}
