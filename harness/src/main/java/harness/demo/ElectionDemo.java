package harness.demo;

import harness.cluster.Cluster;
import harness.observe.Time;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Milestone 1's story (§5.1–5.2): a leader is elected and keeps its followers with heartbeats;
 * it crashes and another is elected; it comes back as a follower; a follower cut off keeps
 * standing for election without ever winning, and on its return its higher term forces a new
 * election.
 */
final class ElectionDemo implements Demo {

    @Override
    public int servers() {
        return 5;
    }

    @Override
    public String title() {
        return "Milestone 1 · leader election (§5.1–5.2)";
    }

    @Override
    public void play(Cluster cluster, PrintStream out) {
        var timing = cluster.timing();
        cluster.note("5 servers start as followers in term 0; each waits a random " + timing.electionTimeoutMin().toMillis()
                + "–" + timing.electionTimeoutMax().toMillis() + " ms to hear from a leader");
        int first = cluster.awaitLeader(Duration.ofSeconds(3));
        cluster.note("node" + first + " leads; its heartbeats every " + Time.format(timing.heartbeatInterval())
                + " keep the others from timing out");
        cluster.runFor(Duration.ofSeconds(1));

        cluster.note("crash the leader, node" + first);
        cluster.crash(first);
        int second = cluster.awaitLeader(Duration.ofSeconds(3));
        cluster.runFor(Duration.ofMillis(500));

        cluster.note("restart node" + first + ": it keeps nothing on disk until milestone 4, so it comes back in term 0"
                + " and learns the current term from node" + second + "'s heartbeats");
        cluster.restart(first);
        cluster.runFor(Duration.ofSeconds(1));

        int cutOff = cluster.others(second).get(cluster.others(second).size() - 1);
        cluster.note("cut node" + cutOff + " off: with no leader to hear from, it stands for election again and again,"
                + " raising its term, and never wins without a majority");
        cluster.isolate(cutOff);
        cluster.runFor(Duration.ofMillis(1500));

        cluster.note("reconnect node" + cutOff + ": its higher term makes the leader step down and forces a new election"
                + " (milestone 8's pre-vote prevents this disruption)");
        long disruptedTerm = cluster.view(cutOff).term();
        cluster.reconnect(cutOff);
        cluster.runUntil(c -> c.leader().map(l -> c.view(l).term() > disruptedTerm).orElse(false), Duration.ofSeconds(3));
        cluster.runFor(Duration.ofSeconds(1));
        int last = cluster.awaitLeader(Duration.ofSeconds(3));
        cluster.note("node" + last + " leads term " + cluster.view(last).term() + "; the story ends");
    }
}
