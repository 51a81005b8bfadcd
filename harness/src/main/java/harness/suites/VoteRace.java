package harness.suites;

import harness.api.Storage;
import harness.cluster.Cluster;
import harness.cluster.Network;
import harness.observe.NodeView;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import static harness.grade.Scenario.cluster;
import static harness.suites.SuiteSupport.millis;
import static harness.suites.SuiteSupport.requireAccepted;
import static harness.suites.SuiteSupport.requireLeader;
import static harness.suites.SuiteSupport.requireReplicated;
import static harness.suites.SuiteSupport.requireSettled;
import static harness.suites.SuiteSupport.seconds;
import static harness.suites.SuiteSupport.setUp;
import static harness.suites.SuiteSupport.shuffled;

/**
 * Two candidates for one term and a voter between them, built step by step. L leads term t − 1
 * with one entry on every server; A and C stop hearing L and each stand for term t. A's vote
 * requests reach every server, so A wins term t. C is cut off from every server, except that
 * its request of term t to B is held back on the wire until the scenario lets it go: B answers
 * A first, and sees C's request, of the same term, only after B went down and came back.
 */
final class VoteRace {
    final Cluster cluster;
    final int leader;
    final int a;
    final int b;
    final int c;
    final long term;
    /** What B's disk held before the race. */
    final Storage.Persisted bBefore;
    private Network.Held fromC;
    private Network.Rule cutOffC;

    VoteRace(long seed) {
        cluster = cluster(5, seed);
        leader = requireLeader(cluster, seconds(2), "after the cluster started");
        long before = cluster.view(leader).term();
        cluster.runFor(millis(100));
        requireAccepted(cluster, leader, "before the race", 1, before);
        requireReplicated(cluster, cluster.ids(), 1, millis(500), "in the scenario's set-up, entry 1 with every server connected");
        cluster.runFor(millis(100)); // every reply is in; nothing is waiting to be written
        setUp(cluster, cluster.views().stream().allMatch(v -> v.term() == before), "not every server is in node" + leader
                + "'s term " + before);
        List<Integer> others = shuffled(cluster.others(leader), new SplittableRandom(seed));
        a = others.get(0);
        b = others.get(1);
        c = others.get(2);
        term = before + 1;
        bBefore = cluster.durable(b);
    }

    /** A and C stop hearing the leader; runs until A leads term t and C's request of term t to B is held. */
    void run(String step) {
        cluster.note("A = node" + a + ", B = node" + b + ", C = node" + c + ": A and C stop hearing the leader node" + leader
                + " and stand for term " + term + "; C's request to B is held back; " + step);
        // The holding rule first: a packet meets the rules in the order they were made.
        fromC = cluster.network().holdWhere(p -> p.is("RequestVote") && p.from() == c && p.to() == b && p.term() == term);
        cutOffC = cluster.network().dropWhere(p -> p.from() == c || p.to() == c);
        Network.Rule quietA = cluster.network().dropWhere(p -> p.is("AppendEntries") && p.from() == leader && p.to() == a);
        // Until B has handled A's request, A's heartbeats do not reach B: B learns of term t from A's request itself.
        Network.Rule requestFirst = cluster.network().dropWhere(p -> p.is("AppendEntries") && p.from() == a && p.to() == b);
        boolean ready = cluster.runUntil(cl -> cl.view(a).isLeader() && fromC.count() == 1 && (!cl.isUp(b)
                || (cl.view(b).term() == term && Objects.equals(cl.view(b).votedFor(), a))), seconds(2));
        quietA.remove();
        requestFirst.remove();
        setUp(cluster, ready && cluster.view(a).term() == term, "within 2 s, node" + a + " (A) should have won term " + term
                + " with node" + b + " (B)'s vote or while B was down, and node" + c + " (C) should have asked B for its"
                + " vote in term " + term + " (" + fromC.count() + " request held)");
    }

    /**
     * C's request of term t reaches B, just back up, before anything else does (A's heartbeats
     * wait until B has answered it); returns B as it is then.
     */
    NodeView deliverC() {
        cluster.note("node" + c + " (C)'s request for node" + b + " (B)'s vote in term " + term + " arrives");
        Network.Rule requestFirst = cluster.network().dropWhere(p -> p.is("AppendEntries") && p.from() == a && p.to() == b);
        fromC.release();
        cluster.runFor(millis(30));
        requestFirst.remove();
        return cluster.view(b);
    }

    /** C rejoins; the cluster elects a leader and commits again. */
    void finish(String command) {
        cutOffC.remove();
        requireSettled(cluster, command, seconds(5), "once node" + c + " (C) rejoined");
    }
}
