package harness.demo;

import static harness.demo.LogScenes.printLogs;
import static harness.demo.LogScenes.proposeAt;
import static harness.demo.LogScenes.until;

import harness.cluster.Cluster;
import harness.observe.TraceEvent;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Milestone 3's story (§5.3–5.4.2): the leader commits a command once a majority stores it, and
 * the commit point ({@code *} in the log matrix) moves first on the leader, then on the followers,
 * which apply the commands in log order. With two followers cut off the leader still commits;
 * with three, nothing commits. When one of them returns, its higher term forces an election, and
 * the new leader brings the uncommitted entry of the old term to a majority, yet does not commit
 * it: only an entry of its own term can be committed by counting (the lesson of the paper's
 * Figure 8), and the old entry is committed with it. In the end every server has applied the same
 * commands in the same order.
 */
final class CommitDemo implements Demo {

    @Override
    public int servers() {
        return 5;
    }

    @Override
    public String title() {
        return "Milestone 3 · commitment (§5.3–5.4.2)";
    }

    @Override
    public void play(Cluster cluster, PrintStream out) {
        int first = cluster.awaitLeader(Duration.ofSeconds(3));
        cluster.note("node" + first + " leads term " + cluster.view(first).term() + "; clients send it three commands");
        proposeAt(cluster, first, "x=1", "y=2", "z=3");
        cluster.note("only node" + first + "'s log holds them so far, and nothing is committed: no * yet");
        printLogs(cluster, out, true);

        until(cluster, c -> c.view(first).commitIndex() == 3, "node" + first + " to commit index 3");
        cluster.note("two followers' replies show node" + first + " three copies of the entries, its own included: 3 of 5 is"
                + " a majority, so it commits up to index 3 and applies x=1, y=2, z=3; the followers do not know it yet");
        printLogs(cluster, out, true);

        until(cluster, c -> c.views().stream().allMatch(v -> v.commitIndex() == 3), "every server to commit index 3");
        cluster.note("the next AppendEntries carries leaderCommit 3: each follower commits up to 3 and applies the entries"
                + " in log order (" + appliedOrders(cluster) + ")");
        printLogs(cluster, out, true);

        List<Integer> followers = cluster.others(first);
        int a = followers.get(0);
        int b = followers.get(1);
        int c = followers.get(2);
        int d = followers.get(3);
        cluster.note("cut node" + c + " and node" + d + " off, and send node" + first + " a fourth command");
        cluster.partition(List.of(first, a, b), List.of(c), List.of(d));
        proposeAt(cluster, first, "w=4");
        until(cluster, x -> List.of(first, a, b).stream().allMatch(id -> x.view(id).commitIndex() == 4), "the majority to commit w=4");
        cluster.note("node" + first + ", node" + a + " and node" + b + " are 3 of 5, still a majority: w=4 commits without"
                + " the two cut off");
        printLogs(cluster, out, true);

        cluster.note("cut node" + b + " off too, three of five, and send node" + first + " a fifth command");
        cluster.partition(List.of(first, a), List.of(b), List.of(c), List.of(d));
        proposeAt(cluster, first, "v=5");
        cluster.runFor(Duration.ofSeconds(1));
        cluster.note("a second later v=5 is still not committed: node" + first + " and node" + a + " store it, and two"
                + " copies are no majority, however long the leader waits");
        printLogs(cluster, out, true);

        long disruptedTerm = cluster.view(b).term();
        cluster.note("reconnect node" + b + ": its higher term deposes node" + first + ", but its log lacks w=4 and v=5, so"
                + " only node" + first + " or node" + a + " can win the election");
        cluster.partition(List.of(first, a, b), List.of(c), List.of(d));
        cluster.runUntil(x -> x.leader().map(l -> x.view(l).term() > disruptedTerm).orElse(false), Duration.ofSeconds(3));
        int second = cluster.awaitLeader(Duration.ofSeconds(3));
        until(cluster, x -> x.view(b).log().equals(x.view(second).log()), "node" + b + " to catch up");
        cluster.runFor(Duration.ofMillis(300));
        long fifth = cluster.view(second).entryAt(5).term();
        cluster.note("node" + second + " leads term " + cluster.view(second).term() + " and has given node" + b + " w=4 and v=5:"
                + " v=5 now sits on 3 of 5 servers, a majority, and is still not committed, because it is of term " + fifth
                + ", not " + cluster.view(second).term() + " (Figure 8: an entry of an earlier term on a majority may yet be"
                + " overwritten, so a leader never commits one by counting its copies)");
        printLogs(cluster, out, true);

        proposeAt(cluster, second, "u=6");
        until(cluster, x -> x.view(second).commitIndex() == 6, "node" + second + " to commit u=6");
        cluster.note("u=6, of node" + second + "'s own term, reaches a majority and commits, and v=5 commits with it:"
                + " the commit point jumps from 4 to 6");
        printLogs(cluster, out, true);
        until(cluster, x -> List.of(first, a, b).stream().allMatch(id -> x.view(id).commitIndex() == 6), "the majority to commit u=6");
        cluster.note("the next AppendEntries tell the two followers that hold u=6: they commit up to 6 and apply v=5 and u=6");

        long cutOffTerm = Math.max(cluster.view(c).term(), cluster.view(d).term());
        String ends = cluster.view(c).lastLogIndex() == cluster.view(d).lastLogIndex()
                ? "logs that end at index " + cluster.view(c).lastLogIndex()
                : "logs that end at indexes " + cluster.view(c).lastLogIndex() + " and " + cluster.view(d).lastLogIndex();
        cluster.note(cutOffTerm > cluster.view(second).term()
                ? "heal the partition: node" + c + " and node" + d + " force one more election with their higher terms"
                        + " (milestone 8's pre-vote prevents this), but with " + ends + " they cannot win it"
                : "heal the partition: node" + c + " and node" + d + " hear node" + second + "'s higher term and follow it");
        cluster.heal();
        cluster.runUntil(x -> x.leader().map(l -> x.view(l).term() > cutOffTerm).orElse(false), Duration.ofSeconds(3));
        int last = cluster.awaitLeader(Duration.ofSeconds(3));
        until(cluster, x -> x.views().stream().allMatch(v -> v.commitIndex() == 6), "every server to commit u=6");
        cluster.note("node" + last + " leads term " + cluster.view(last).term() + "; every server has committed all six"
                + " entries and applied them in the same order (" + appliedOrders(cluster) + "); the story ends");
        printLogs(cluster, out, false);
    }



    /**
     * What each server has applied, in order, from the trace, grouped: "node1–5: x=1 y=2 z=3".
     * Servers that applied the same sequence are named together.
     */
    private static String appliedOrders(Cluster cluster) {
        Map<Integer, List<String>> applied = new TreeMap<>();
        for (int id : cluster.ids()) {
            applied.put(id, new ArrayList<>());
        }
        for (TraceEvent e : cluster.trace().history()) {
            if (e instanceof TraceEvent.Applied a) {
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

}
