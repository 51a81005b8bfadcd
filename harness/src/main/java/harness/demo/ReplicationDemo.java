package harness.demo;

import static harness.demo.LogScenes.printLogs;
import static harness.demo.LogScenes.proposeAt;
import static harness.demo.LogScenes.until;

import harness.cluster.Cluster;
import harness.observe.NodeView;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Milestone 2's story (§5.3, §5.4.1): a leader takes commands and every log comes to match its
 * own; a follower cut off misses entries, and on its return cannot win an election with its short
 * log, and is repaired by the new leader; a leader cut off takes commands only it stores, and the
 * leader elected without it overwrites them once the partition heals. The log matrix is printed at
 * each of these moments, so the logs can be seen to diverge and converge.
 */
final class ReplicationDemo implements Demo {

    @Override
    public int servers() {
        return 5;
    }

    @Override
    public String title() {
        return "Milestone 2 · log replication (§5.3, §5.4.1)";
    }

    @Override
    public void play(Cluster cluster, PrintStream out) {
        int first = cluster.awaitLeader(Duration.ofSeconds(3));
        cluster.note("node" + first + " leads term " + cluster.view(first).term() + "; clients send it three commands,"
                + " which it appends to its log and sends on in AppendEntries");
        propose(cluster, "x=1", "y=2", "z=3");
        until(cluster, ReplicationDemo::logsMatch, "every log to match");
        cluster.note("every log now matches the leader's: same entries, same terms, same indexes"
                + " (nothing is committed before milestone 3)");
        printLogs(cluster, out, true);

        List<Integer> followers = cluster.others(first);
        int cutOff = followers.get(followers.size() - 1);
        cluster.note("cut node" + cutOff + " off, then send the leader three more commands: node" + cutOff + " misses them");
        cluster.isolate(cutOff);
        propose(cluster, "x=4", "y=5", "z=6");
        cluster.runFor(Duration.ofSeconds(1));
        cluster.note("node" + cutOff + " has stood for election again and again, raising its term; its log stops at index "
                + cluster.view(cutOff).lastLogIndex());
        printLogs(cluster, out, true);

        long disruptedTerm = cluster.view(cutOff).term();
        cluster.note("reconnect node" + cutOff + ": its higher term deposes node" + first + ", but it cannot win, because"
                + " the others refuse to vote for a log shorter than their own (§5.4.1)");
        cluster.reconnect(cutOff);
        cluster.runUntil(c -> c.leader().map(l -> c.view(l).term() > disruptedTerm).orElse(false), Duration.ofSeconds(3));
        int second = cluster.awaitLeader(Duration.ofSeconds(3));
        until(cluster, ReplicationDemo::logsMatch, "every log to match");
        cluster.note("node" + second + " leads term " + cluster.view(second).term() + ": node" + cutOff
                + " failed its consistency check, told the leader where its log ends, and got the missing entries");
        printLogs(cluster, out, true);

        cluster.note("cut the leader, node" + second + ", off and send it three commands: it appends them, but they"
                + " never reach a majority");
        cluster.isolate(second);
        long shared = cluster.view(second).lastLogIndex();
        proposeAt(cluster, second, "x=7", "y=8", "z=9");
        int third = cluster.awaitLeader(Duration.ofSeconds(3));
        cluster.note("node" + third + " leads term " + cluster.view(third).term() + " without node" + second
                + " and takes two commands of its own, at the same indexes");
        proposeAt(cluster, third, "a=10", "b=11");
        cluster.runFor(Duration.ofMillis(500));
        cluster.note("the logs disagree after index " + shared + ": node" + second + " still believes it leads term "
                + cluster.view(second).term() + ", and its log is the longest");
        printLogs(cluster, out, true);

        cluster.note("heal the partition: node" + second + " hears term " + cluster.view(third).term()
                + " and steps down; node" + third + " sends it the entries after index " + shared
                + ", which both logs share, and they conflict with node" + second + "'s own (same index, another term),"
                + " so node" + second + " deletes its entries from index " + (shared + 1) + " on and takes node" + third + "'s");
        cluster.heal();
        until(cluster, ReplicationDemo::logsMatch, "every log to match");
        int last = cluster.awaitLeader(Duration.ofSeconds(3));
        cluster.note("node" + last + " leads term " + cluster.view(last).term() + " and every log is the same again: the commands node"
                + second + " took alone are gone, as they may be, since they were never committed; the story ends");
        printLogs(cluster, out, false);
    }

    /** Proposes each command to the leader, narrating where it went. */
    private static void propose(Cluster cluster, String... commands) {
        proposeAt(cluster, cluster.leader().orElseThrow(), commands);
    }



    private static boolean logsMatch(Cluster cluster) {
        return cluster.views().stream().filter(NodeView::up).map(NodeView::log).distinct().count() == 1;
    }

}
