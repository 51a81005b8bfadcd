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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static harness.grade.Scenario.cluster;

/**
 * Suite 1: leader election (§5.1–5.2). Every scenario also runs the continuous safety checks
 * (Election Safety, one vote per term, a majority to win, adopting higher terms).
 */
@Tag("milestone-1")
@DisplayName("Suite 1 · Leader election (§5.1–5.2)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ElectionSuite extends SuiteSupport {

    @Order(1)
    @Graded(points = 5, rule = Rule.ELECTION_LIVENESS)
    @DisplayName("Initial election: 3 servers elect one leader and agree on its term")
    void initialElection(long seed) {
        Cluster cluster = cluster(3, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long term = cluster.view(leader).term();
        cluster.runFor(millis(200)); // a few heartbeats carry the leader's term to everyone
        for (NodeView v : cluster.views()) {
            check(v.term() >= term, Rule.HIGHER_TERM, "node" + v.id() + " is in term " + v.term() + " 200 ms after node" + leader
                    + " won term " + term + "; a follower adopts the leader's term from its heartbeats");
            check(v.term() == term && (v.id() == leader || v.role() == Role.FOLLOWER), Rule.FOLLOWER_TIMER, "node" + v.id()
                    + " is " + v.role().title() + " in term " + v.term() + " only 200 ms after node" + leader + " won term " + term);
        }
    }

    @Order(2)
    @Graded(points = 5, rule = Rule.FOLLOWER_TIMER)
    @DisplayName("Stable leadership: no elections for 10 s while nothing fails")
    void stableLeadership(long seed) {
        Cluster cluster = cluster(5, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long term = cluster.view(leader).term();
        long heartbeatsBefore = cluster.stats().sent("AppendEntries");
        try (Elections elections = new Elections(cluster)) {
            cluster.runFor(seconds(10));
            if (elections.won().isEmpty() && cluster.maxTerm() == term) {
                return;
            }
            long perFollower = (cluster.stats().sent("AppendEntries") - heartbeatsBefore) / (cluster.size() - 1);
            long expected = 10_000 / cluster.timing().heartbeatInterval().toMillis();
            String what = "the term moved from " + term + " to " + cluster.maxTerm() + " in 10 s although no server failed and no message was lost";
            check(perFollower >= expected / 2, Rule.HEARTBEATS, what + "; each follower got about " + perFollower
                    + " heartbeats, where one every " + cluster.timing().heartbeatInterval().toMillis() + " ms makes " + expected);
            throw violation(Rule.FOLLOWER_TIMER, what + ", and the leader did send heartbeats (about " + perFollower
                    + " per follower): the followers started elections anyway");
        }
    }

    @Order(3)
    @Graded(points = 10, rule = Rule.ELECTION_LIVENESS)
    @DisplayName("Re-election: when the leader is cut off, a connected majority elects another")
    void reElection(long seed) {
        Cluster cluster = cluster(5, seed);
        int first = requireLeader(cluster, seconds(2), "after the cluster started");
        cluster.isolate(first);
        int second = requireLeader(cluster, seconds(2), "after the leader node" + first + " was cut off");
        cluster.isolate(second);
        requireLeader(cluster, seconds(2), "after node" + first + " and then node" + second + " were cut off (3 of 5 remain)");
    }

    @Order(4)
    @Graded(points = 5, rule = Rule.HIGHER_TERM)
    @DisplayName("The old leader rejoins: it steps down, and one leader remains")
    void oldLeaderRejoins(long seed) {
        Cluster cluster = cluster(3, seed);
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        long oldTerm = cluster.view(old).term();
        cluster.isolate(old);
        int next = requireLeader(cluster, seconds(2), "after the leader node" + old + " was cut off");
        long nextTerm = cluster.view(next).term();
        cluster.reconnect(old);
        boolean steppedDown = cluster.runUntil(c -> c.view(old).role() != Role.LEADER, seconds(1));
        check(steppedDown, Rule.HIGHER_TERM, "node" + old + ", leader of term " + oldTerm + ", still leads 1 s after it rejoined,"
                + " although node" + next + " leads term " + nextTerm + " and every reply to the old leader carries that term");
        cluster.runFor(seconds(1));
        check(cluster.leaders().size() == 1, Rule.HIGHER_TERM, "after the old leader rejoined, these servers all believe they lead: "
                + cluster.leaders());
    }

    @Order(5)
    @Graded(points = 5, rule = Rule.STALE_TERM)
    @DisplayName("A stale leader learns the new term from a follower's refusal: it rejoins through that follower only")
    void staleLeaderRefused(long seed) {
        Cluster cluster = cluster(3, seed);
        int old = requireLeader(cluster, seconds(2), "after the cluster started");
        long oldTerm = cluster.view(old).term();
        cluster.isolate(old);
        int next = requireLeader(cluster, seconds(2), "after the leader node" + old + " was cut off");
        long nextTerm = cluster.view(next).term();
        int follower = cluster.others(old).stream().filter(id -> id != next).findFirst().orElseThrow();
        if (!cluster.view(old).isLeader()) {
            return; // it stepped down on its own while cut off: it sends no stale heartbeat to refuse
        }
        // The new leader never reaches the old one: only the follower's refusals can tell it the new term.
        cluster.bridge(follower, List.of(old), List.of(next));
        Duration roundTrip = cluster.network().conditions().maxLatency().multipliedBy(2);
        Duration within = cluster.timing().heartbeatInterval().multipliedBy(2).plus(roundTrip); // its next heartbeat, refused
        boolean steppedDown = cluster.runUntil(c -> !c.view(old).isLeader(), within);
        check(steppedDown, Rule.STALE_TERM, "node" + old + ", leader of term " + oldTerm + ", still leads " + Time.format(within)
                + " after it could reach node" + follower + " again, which follows node" + next + " in term " + nextTerm
                + " (node" + next + " itself cannot reach node" + old + "). Each heartbeat of node" + old + " is a request of an"
                + " older term: node" + follower + " must refuse it and put its own term in the reply, from which node" + old
                + " learns that it is no longer leader");
    }

    @Order(6)
    @Graded(points = 5, rule = Rule.ELECTION_LIVENESS)
    @DisplayName("A leader deposed by a reply stands again: its election timer runs once it is a follower")
    void deposedLeaderStandsAgain(long seed) {
        Cluster cluster = cluster(3, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long leaderTerm = cluster.view(leader).term();
        int voter = cluster.others(leader).get(0);
        int ahead = cluster.others(leader).get(1);
        // No vote request ever reaches the leader: granting one would restart its election timer,
        // and this scenario wants to see that the leader's own timer runs once it steps down.
        cluster.network().dropWhere(p -> p.is("RequestVote") && p.to() == leader);
        cluster.isolate(ahead);
        long target = leaderTerm + 3;
        boolean rose = cluster.runUntil(c -> c.view(ahead).term() >= target, seconds(2));
        check(rose && cluster.view(leader).isLeader() && cluster.view(voter).term() == leaderTerm, Rule.ELECTION_LIVENESS,
                "the scenario's set-up failed: node" + ahead + ", cut off for up to 2 s, should reach term " + target
                + " by standing for election again and again, while node" + leader + " leads term " + leaderTerm
                + " and node" + voter + " follows it (\"A follower cut off keeps timing out\" checks the first part):\n"
                + cluster.stateTable());
        // The leader reaches both, they not each other: its next heartbeat to node `ahead` is refused
        // with a higher term. So it steps down on a reply, not on a request.
        cluster.bridge(leader, List.of(voter), List.of(ahead));
        check(cluster.runUntil(c -> !c.view(leader).isLeader(), seconds(1)), Rule.HIGHER_TERM, "node" + leader + ", leader of"
                + " term " + leaderTerm + ", still leads 1 s after its heartbeats reached node" + ahead + ", in term "
                + cluster.view(ahead).term() + " or more: node" + ahead + " refuses a request of an older term with its own"
                + " term in the reply, and a leader that sees a higher term in a reply adopts it and steps down");
        long deposedIn = cluster.view(leader).term();
        cluster.partition(List.of(leader, voter));
        // Node `voter` heard a heartbeat at most a round trip before the step-down, so until the deposed
        // leader's timer runs out (300 ms at most) it stands at most twice, reaching leaderTerm + 2 or
        // less: below deposedIn + 1 (deposedIn >= leaderTerm + 3), the term the deposed leader stands
        // in, so it grants that vote. Its own vote requests are dropped, so it can neither win nor
        // restart the deposed leader's timer: only that timer can make a leader here.
        Duration within = seconds(1);
        boolean led = cluster.runUntil(c -> c.leader().isPresent(), within);
        check(led, Rule.ELECTION_LIVENESS, "node" + leader + " stepped down as leader of term " + leaderTerm + " on learning term "
                + deposedIn + " from node" + ahead + "'s reply to its heartbeat; since then it heard from nobody (the scenario drops"
                + " every vote request to it), and no leader came within " + Time.format(within) + ". Once its election timeout"
                + " of " + Time.format(cluster.timing().electionTimeoutMin()) + " to " + Time.format(cluster.timing().electionTimeoutMax())
                + " elapsed it should have stood, and won with node" + voter + "'s vote. A leader needs no election timer, but a"
                + " leader that steps down is a follower again, and a follower's timer must run (Figure 2, Followers: if election"
                + " timeout elapses without hearing from a current leader or granting a vote, convert to candidate)");
    }

    @Order(7)
    @Graded(points = 10, rule = Rule.MAJORITY_TO_WIN)
    @DisplayName("No leader without a majority: 5 servers split 2 | 2 | 1, on a network that duplicates messages")
    void noLeaderWithoutMajority(long seed) {
        Cluster cluster = cluster(5, seed, Conditions.reliable().withDuplicateRate(0.3));
        requireLeader(cluster, seconds(2), "after the cluster started");
        cluster.partition(List.of(1, 2), List.of(3, 4), List.of(5));
        try (Elections elections = new Elections(cluster)) {
            cluster.runFor(seconds(3));
            check(elections.won().isEmpty(), Rule.MAJORITY_TO_WIN, "with the servers split {1,2} | {3,4} | {5}, no group holds a"
                    + " majority (3 of 5), yet " + elections.won());
        }
        cluster.heal();
        requireLeader(cluster, seconds(3), "after the partition healed");
    }

    @Order(8)
    @Graded(points = 5, rule = Rule.MAJORITY_TO_WIN)
    @DisplayName("A follower cut off keeps timing out but never leads; it rejoins")
    void isolatedFollowerNeverLeads(long seed) {
        Cluster cluster = cluster(5, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        int follower = cluster.others(leader).get(0);
        long termBefore = cluster.view(follower).term();
        cluster.isolate(follower);
        try (Elections elections = new Elections(cluster)) {
            cluster.runFor(seconds(3));
            long termAfter = cluster.view(follower).term();
            check(termAfter >= termBefore + 5, Rule.ELECTION_LIVENESS, "node" + follower + ", cut off from the leader for 3 s, went"
                    + " only from term " + termBefore + " to " + termAfter + "; with no leader to hear from it should time out and"
                    + " start an election every " + Time.format(cluster.timing().electionTimeoutMin()) + " to "
                    + Time.format(cluster.timing().electionTimeoutMax()));
            check(elections.won().stream().noneMatch(w -> w.node() == follower), Rule.MAJORITY_TO_WIN,
                    "node" + follower + " was cut off from every other server, yet " + elections.won());
        }
        cluster.reconnect(follower);
        requireLeader(cluster, seconds(3), "after the cut-off follower rejoined");
    }

    @Order(9)
    @Graded(points = 5, rule = Rule.ELECTION_LIVENESS)
    @DisplayName("7 servers, 10 rounds of random partitions: a leader every round")
    void sevenServersRandomPartitions(long seed) {
        Cluster cluster = cluster(7, seed);
        SplittableRandom random = new SplittableRandom(seed);
        requireLeader(cluster, seconds(2), "after the cluster started");
        for (int round = 1; round <= 10; round++) {
            List<Integer> ids = shuffled(cluster.ids(), random);
            switch (round % 4) {
                case 0 -> ids.subList(0, 3).forEach(cluster::isolate);
                case 1 -> cluster.partition(ids.subList(0, 4), ids.subList(4, 7));
                case 2 -> cluster.bridge(ids.get(0), ids.subList(1, 4), ids.subList(4, 7));
                default -> cluster.ring(2);
            }
            requireLeader(cluster, seconds(3), "in round " + round + ", with the network " + cluster.network().topology());
            cluster.heal();
            cluster.runFor(millis(300));
        }
    }

    @Order(10)
    @Graded(points = 10, rule = Rule.ONE_VOTE_PER_TERM)
    @DisplayName("One vote per term: elections crowded by near-identical timeouts (150–155 ms), lossy network")
    void oneVotePerTerm(long seed) {
        Cluster cluster = cluster(Cluster.builder().nodes(5).seed(seed)
                .timing(Timing.electionTimeout(150, 155))
                .network(Conditions.unreliable()));
        for (int round = 1; round <= 10; round++) {
            int leader = requireLeader(cluster, seconds(5), "in round " + round);
            cluster.isolate(leader);
            cluster.runFor(millis(500));
            cluster.heal();
        }
    }

    @Order(11)
    @Graded(points = 10, rule = Rule.ELECTION_SAFETY)
    @DisplayName("Election Safety under churn: 5 servers, a new partition every 0.3–0.7 s for 20 s, lossy network")
    void electionSafetyUnderChurn(long seed) {
        Cluster cluster = cluster(5, seed, Conditions.unreliable());
        SplittableRandom random = new SplittableRandom(seed);
        while (cluster.now().compareTo(seconds(20)) < 0) {
            List<Integer> ids = shuffled(cluster.ids(), random);
            switch (random.nextInt(5)) {
                case 0 -> cluster.isolate(ids.get(0));
                case 1 -> cluster.partition(ids.subList(0, 2), ids.subList(2, 5));
                case 2 -> cluster.bridge(ids.get(0), ids.subList(1, 3), ids.subList(3, 5));
                case 3 -> cluster.ring(1);
                default -> cluster.heal();
            }
            cluster.runFor(millis(random.nextLong(300, 701)));
        }
        cluster.heal();
        requireLeader(cluster, seconds(5), "after the churn stopped and the network healed");
    }

    @Order(12)
    @Graded(points = 5, rule = Rule.STALE_TERM)
    @DisplayName("Stale vote replies are ignored: votes granted in term 1 arrive during the candidate's term-2 election")
    void staleVoteRepliesIgnored(long seed) {
        Cluster cluster = cluster(3, seed);
        Network.Held termOneVotes = cluster.network().holdWhere(p -> p.is("RequestVoteReply") && p.term() == 1);
        check(cluster.runUntil(c -> candidateInTerm(c, 1) != 0, seconds(2)), Rule.ELECTION_LIVENESS,
                "no server became a candidate within 2 s of starting");
        int candidate = candidateInTerm(cluster, 1);
        // From term 2 on, the candidate can neither ask for votes nor hear from anyone: it can only lose.
        cluster.network().dropWhere(p -> (p.from() == candidate || p.to() == candidate) && p.term() >= 2);
        check(cluster.runUntil(c -> c.view(candidate).term() >= 2 && c.view(candidate).role() == Role.CANDIDATE, seconds(2)),
                Rule.ELECTION_LIVENESS, "node" + candidate + " lost its term-1 election but did not start another within 2 s");
        long term = cluster.view(candidate).term();
        int stale = termOneVotes.count();
        setUp(cluster, stale > 0, "no vote reply of term 1 was held back, so none can arrive late");
        cluster.note("releasing " + stale + " vote replies of term 1 to node" + candidate + ", now a candidate in term " + term);
        termOneVotes.release();
        cluster.runFor(millis(100));
        NodeView after = cluster.view(candidate);
        check(!(after.isLeader() && after.term() == term), Rule.STALE_TERM, "node" + candidate + " became leader of term " + term
                + " by counting " + stale + " vote replies sent in term 1; nobody voted for it in term " + term);
    }

    private static int candidateInTerm(Cluster cluster, long term) {
        return cluster.views().stream().filter(v -> v.up() && v.role() == Role.CANDIDATE && v.term() == term)
                .mapToInt(NodeView::id).findFirst().orElse(0);
    }

    @Order(13)
    @Graded(points = 5, rule = Rule.RANDOMIZED_TIMEOUTS)
    @DisplayName("Split votes resolve: 5 servers start together on a network without jitter")
    void splitVotesResolve(long seed) {
        Cluster cluster = cluster(5, seed, Conditions.reliable().withLatency(millis(2), millis(2)));
        boolean elected = cluster.runUntil(c -> c.leader().isPresent(), seconds(5));
        check(elected, Rule.RANDOMIZED_TIMEOUTS, "no leader within 5 s; the servers reached term " + cluster.maxTerm()
                + " and sent " + cluster.stats().sent("RequestVote") + " RequestVotes, and every election split the vote."
                + " Servers that start together time out together unless each draws its own random timeout");
    }

    @Order(14)
    @Graded(points = 5, rule = Rule.HEARTBEATS)
    @DisplayName("Message budget when idle: heartbeats once per interval, nothing more")
    void idleMessageBudget(long seed) {
        Cluster cluster = cluster(5, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        cluster.runFor(millis(500));
        long before = cluster.stats().sent("AppendEntries");
        long allBefore = cluster.stats().totalSent();
        cluster.runFor(seconds(10));
        long heartbeats = cluster.stats().sent("AppendEntries") - before;
        long all = cluster.stats().totalSent() - allBefore;
        long intervalMs = cluster.timing().heartbeatInterval().toMillis();
        long budget = (cluster.size() - 1) * (10_000 / intervalMs) * 5 / 4;
        check(heartbeats <= budget, Rule.HEARTBEATS, "the leader node" + leader + " sent " + heartbeats + " AppendEntries in 10 s"
                + " of quiet to " + (cluster.size() - 1) + " followers; one every " + intervalMs + " ms to each makes "
                + (cluster.size() - 1) * (10_000 / intervalMs) + " (the budget allows " + budget + ")");
        check(all <= 2 * budget, Rule.HEARTBEATS, "the cluster sent " + all + " messages in 10 s of quiet; heartbeats and their"
                + " replies should make at most " + 2 * budget + ":\n" + cluster.stats().table());
    }

    @Order(15)
    @Graded(points = 5, rule = Rule.VOTE_REQUESTS)
    @DisplayName("Message budget per election: about one RequestVote per server, over 10 leader failures")
    void electionMessageBudget(long seed) {
        Cluster cluster = cluster(5, seed);
        int leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long requests = 0;
        List<Long> perElection = new ArrayList<>();
        for (int round = 1; round <= 10; round++) {
            long before = cluster.stats().sent("RequestVote");
            cluster.isolate(leader);
            int next = requireLeader(cluster, seconds(3), "after the leader node" + leader + " was cut off (round " + round + ")");
            long used = cluster.stats().sent("RequestVote") - before;
            perElection.add(used);
            requests += used;
            cluster.reconnect(leader);
            cluster.runFor(millis(500));
            leader = cluster.leader().orElse(next);
        }
        long budget = 10 * 3L * (cluster.size() - 1);
        check(requests <= budget, Rule.VOTE_REQUESTS, "10 elections took " + requests + " RequestVotes " + perElection
                + "; a candidate asks each of the " + (cluster.size() - 1) + " others once per election, so about "
                + 10 * (cluster.size() - 1) + " (the budget allows " + budget + ")");
    }

    @Order(16)
    @Graded(points = 5, rule = Rule.DETERMINISM)
    @DisplayName("Same seed, same run: two runs of one seed produce identical traces")
    void sameSeedSameRun(long seed) {
        String first = churn(seed);
        String second = churn(seed);
        check(first.equals(second), Rule.DETERMINISM, "two runs with seed " + seed + " produced different traces (fingerprints "
                + first + " and " + second + "). Look for the wall clock (System.currentTimeMillis, nanoTime, Instant.now),"
                + " new Random() or Math.random(), threads, or iteration over a hash set of objects without stable hash codes");
    }

    private static String churn(long seed) {
        Cluster cluster = cluster(5, seed, Conditions.unreliable());
        cluster.runFor(seconds(2));
        cluster.leader().ifPresent(cluster::isolate);
        cluster.runFor(seconds(2));
        cluster.heal();
        cluster.runFor(seconds(1));
        return cluster.trace().fingerprint();
    }

}
