package harness.suites;

import harness.api.Rule;
import harness.api.Storage;
import harness.cluster.Cluster;
import harness.observe.NodeView;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import static harness.suites.SuiteSupport.check;
import static harness.suites.SuiteSupport.firstDifference;

/**
 * The scenario's hand on the servers' power. It reads what a server's disk holds just before
 * taking the server down and, when the server boots again, checks that it came back with exactly
 * that term, vote and log (§5.1, Figure 2). A server that went down on its own (a power failure
 * armed with {@code failNextSync} or {@code crashAfterNextSync}) is compared with what its disk
 * held afterwards.
 */
final class Power {
    private final Cluster cluster;
    private final Map<Integer, Storage.Persisted> onDisk = new HashMap<>();
    /** Servers armed to go down at their next disk sync; a crash disarms them. */
    private final Set<Integer> armed = new TreeSet<>();

    Power(Cluster cluster) {
        this.cluster = cluster;
    }

    void crash(int id) {
        onDisk.put(id, cluster.durable(id));
        cluster.crash(id);
        armed.remove(id);
    }

    void restart(int id) {
        Storage.Persisted disk = onDisk.containsKey(id) ? onDisk.remove(id) : cluster.durable(id);
        armed.remove(id);
        cluster.restart(id);
        requireBootedFrom(cluster, id, disk, true);
    }

    /** Server {@code id} loses power in the middle of its next disk sync ({@code tear}) or right after it. */
    void arm(int id, boolean tear) {
        if (tear) {
            cluster.failNextSync(id);
        } else {
            cluster.crashAfterNextSync(id);
        }
        armed.add(id);
    }

    /**
     * Every server up again, and none armed any longer: a server still waiting for its power to
     * fail at its next sync is rebooted (a crash is what disarms it), the others restarted.
     */
    void everyoneBack() {
        for (int id : List.copyOf(armed)) {
            if (cluster.isUp(id)) {
                cluster.note("node" + id + ", still armed to lose power at its next disk sync, is rebooted");
                crash(id);
            }
        }
        armed.clear();
        for (int id : down()) {
            restart(id);
        }
    }

    List<Integer> up() {
        return cluster.ids().stream().filter(cluster::isUp).toList();
    }

    List<Integer> down() {
        return cluster.ids().stream().filter(id -> !cluster.isUp(id)).toList();
    }

    /**
     * Server {@code id}, just booted, holds what {@code disk} held: its term, its log and, if
     * {@code withVote}, its vote. A server boots from what it made durable and nothing else.
     */
    static void requireBootedFrom(Cluster cluster, int id, Storage.Persisted disk, boolean withVote) {
        NodeView v = cluster.view(id);
        String held = "its disk held " + persisted(disk) + " when it went down";
        check(v.up(), Rule.RESTART_FROM_DISK, "node" + id + " did not come back up when restarted");
        check(v.term() == disk.term(), Rule.RESTART_FROM_DISK, "node" + id + " restarted in term " + v.term() + ", but " + held
                + ". currentTerm is persistent state: a server boots in the term it stored last, so it never goes back to a"
                + " term it has already voted in");
        if (withVote) {
            check(Objects.equals(v.votedFor(), disk.votedFor()), Rule.RESTART_FROM_DISK, "node" + id + " restarted in term "
                    + v.term() + " with " + vote(v.votedFor()) + ", but " + held + ". votedFor is persistent state: a server"
                    + " that forgot the vote it cast in its term could give that term's vote to a second candidate");
        }
        check(v.log().equals(disk.log()), Rule.RESTART_FROM_DISK, "node" + id + " restarted with " + entries(v.log().size())
                + ", but " + held + " (they differ from index " + firstDifference(v.log(), disk.log()) + "). The log is"
                + " persistent state: a server boots with every entry it stored and no other, since a leader may have"
                + " counted an entry it acknowledged towards a commit");
    }

    /** "term 3, a vote for node2 and 5 entries": what a disk holds, in the failure messages' words. */
    static String persisted(Storage.Persisted p) {
        return "term " + p.term() + ", " + vote(p.votedFor()) + " and " + entries(p.log().size());
    }

    static String vote(Integer votedFor) {
        return votedFor == null ? "no vote" : "a vote for node" + votedFor;
    }

    static String entries(int n) {
        return n + (n == 1 ? " entry" : " entries");
    }
}
