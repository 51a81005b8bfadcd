package harness.suites;

import harness.api.Entry;
import harness.api.Rule;
import harness.cluster.Cluster;
import harness.suites.SuiteSupport.Director;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static harness.suites.SuiteSupport.allLogsEqual;
import static harness.suites.SuiteSupport.check;
import static harness.suites.SuiteSupport.commands;
import static harness.suites.SuiteSupport.logs;
import static harness.suites.SuiteSupport.seconds;

/**
 * The paper's Figure 7, built step by step for suite 2's scenario {@code ReplicationSuite.figure7}:
 * the history of elections and partitions that leaves the figure's seven logs, then the figure's
 * leader elected to repair them (§5.3). Commands name the paper's term and index ("t4-i5").
 */
final class Figure7 {

    private Figure7() {
    }

    /**
     * The logs of the paper's Figure 7, by the term the paper gives each entry: the leader's, and
     * followers (a)–(f). Indexes count from 1; a command names the paper's term and its index.
     */
    static final int[] LEADER = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
    static final Map<String, int[]> FOLLOWERS = new TreeMap<>(Map.of(
            "a", new int[] {1, 1, 1, 4, 4, 5, 5, 6, 6},
            "b", new int[] {1, 1, 1, 4},
            "c", new int[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6},
            "d", new int[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7},
            "e", new int[] {1, 1, 1, 4, 4, 4, 4},
            "f", new int[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}));

    private static String fig7(int paperTerm, int index) {
        return "t" + paperTerm + "-i" + index;
    }

    /**
     * Builds the logs of Figure 7 by a history of elections and partitions, checks them, then
     * elects the figure's leader and checks that it repairs every follower.
     */
    static void play(Cluster cluster, Director director, Terms terms) {
        List<Integer> all = cluster.ids();
        // The steps name the paper's terms; the servers' own terms run higher, in the same order, and terms.propose notes
        // which of ours plays each of the paper's.
        int l = director.free(all, "Figure 7's term 1: the seven servers elect a leader, who plays the leader of Figure 7");
        List<Integer> rest = cluster.others(l);
        int a = rest.get(0), b = rest.get(1), c = rest.get(2), d = rest.get(3), e = rest.get(4), f = rest.get(5);
        Map<String, Integer> follower = new TreeMap<>(Map.of("a", a, "b", b, "c", c, "d", d, "e", e, "f", f));
        cluster.note("node" + l + " plays the leader; " + follower.entrySet().stream()
                .map(p -> "node" + p.getValue() + " (" + p.getKey() + ")").collect(Collectors.joining(", ")));
        for (int i = 1; i <= 3; i++) {
            terms.propose(l, fig7(1, i), i);
        }
        director.await(all, 3, "entries 1–3 of term 1");

        // Terms 2 and 3: f wins twice; cut off each time the moment it wins, it keeps its entries to itself.
        director.handOver(f, "Figure 7's term 2: f times out first and wins");
        cluster.isolate(f);
        for (int i = 4; i <= 6; i++) {
            terms.propose(f, fig7(2, i), i);
        }
        director.free(cluster.others(f), "the six others elect a leader among themselves (their logs are alike)");
        director.electAheadAlone(f, all, "Figure 7's term 3: f, whose log is ahead of everyone's, rejoins and wins again");
        for (int i = 7; i <= 11; i++) {
            terms.propose(f, fig7(3, i), i);
        }

        // Term 4: e leads everyone but f; b gets entry 4 only, and e keeps entries 6–7 to itself.
        director.free(cluster.others(f), "the six others elect a leader among themselves again");
        director.handOver(e, "Figure 7's term 4: e times out first and wins");
        terms.propose(e, fig7(4, 4), 4);
        director.await(cluster.others(f), 4, "entry 4 of term 4");
        cluster.partition(List.of(l, a, c, d, e));
        terms.propose(e, fig7(4, 5), 5);
        director.await(List.of(l, a, c, d, e), 5, "entry 5 of term 4, with b cut off");
        cluster.isolate(e);
        terms.propose(e, fig7(4, 6), 6);
        terms.propose(e, fig7(4, 7), 7);

        // Terms 5 and 6: the leader, then c, lead the four that remain; a misses entry 10, c keeps entry 11 to itself.
        director.free(List.of(l, a, c, d), "the leader, a, c and d elect a leader among themselves");
        director.handOver(l, "Figure 7's term 5: the leader of Figure 7 times out first and wins");
        terms.propose(l, fig7(5, 6), 6);
        terms.propose(l, fig7(5, 7), 7);
        director.await(List.of(l, a, c, d), 7, "entries 6–7 of term 5");
        director.handOver(c, "Figure 7's term 6: c times out first and wins");
        terms.propose(c, fig7(6, 8), 8);
        terms.propose(c, fig7(6, 9), 9);
        director.await(List.of(l, a, c, d), 9, "entries 8–9 of term 6");
        cluster.partition(List.of(l, c, d));
        terms.propose(c, fig7(6, 10), 10);
        director.await(List.of(l, c, d), 10, "entry 10 of term 6, with a cut off");
        cluster.partition();
        terms.propose(c, fig7(6, 11), 11);

        // Term 7: d wins the votes of a, b, e and f, whose logs are behind its own; cut off at once, it keeps entries 11–12.
        director.electAheadAlone(d, List.of(a, b, d, e, f), "Figure 7's term 7: d wins the votes of a, b, e and f");
        terms.propose(d, fig7(7, 11), 11);
        terms.propose(d, fig7(7, 12), 12);

        List<String> leaderLog = log(LEADER);
        List<String> wrong = new ArrayList<>();
        if (!commands(cluster.view(l).log()).equals(leaderLog)) {
            wrong.add("node" + l + " (the leader) holds " + commands(cluster.view(l).log()) + ", not " + leaderLog);
        }
        follower.forEach((row, id) -> {
            List<String> expected = log(FOLLOWERS.get(row));
            if (!commands(cluster.view(id).log()).equals(expected)) {
                wrong.add("node" + id + " (" + row + ") holds " + commands(cluster.view(id).log()) + ", not " + expected);
            }
        });
        wrong.addAll(terms.misplaced(all));
        director.setUp(wrong.isEmpty(), "the history did not produce the logs of Figure 7:\n  " + String.join("\n  ", wrong));
        cluster.note("the logs of Figure 7 are built");

        // Term 8: the leader wins with the votes of a, b, e and f (c and d, whose logs are ahead, would refuse; they hear of
        // the new leader from its first AppendEntries), then repairs all six.
        director.electAhead(l, all, "Figure 7's term 8: the leader of Figure 7 wins with the votes of a, b, e and f");
        terms.propose(l, fig7(8, 11), 11); // a new entry at index 11, conflicting with the extra entries of (c) and (d)
        boolean repaired = cluster.runUntil(cl -> allLogsEqual(cl, cl.view(l).log()), seconds(3));
        if (!repaired) {
            director.requireStillLeads(l, "3 s into the repair");
        }
        List<String> expected = new ArrayList<>(leaderLog);
        expected.add(fig7(8, 11));
        check(repaired, Rule.CONSISTENCY_CHECK, "node" + l + " leads with the leader's log of Figure 7, but 3 s later its"
                + " followers still differ from it:\n" + logs(cluster) + "The leader finds, follower by follower, the last"
                + " index where their logs agree (each failed consistency check backs nextIndex up), then sends everything"
                + " after it; the follower deletes its conflicting entries and appends the leader's");
        check(commands(cluster.view(l).log()).equals(expected), Rule.CONSISTENCY_CHECK, "every server holds "
                + commands(cluster.view(l).log()) + " after the repair, but the leader's log was " + expected);
    }

    /**
     * Which of our terms plays each of Figure 7's. The history takes more elections than the paper
     * shows, so the servers' terms run higher than the paper's, in the same order; the commands
     * keep the paper's ("t4-i5": Figure 7's entry of term 4 at index 5). Each mapping is noted in
     * the trace when its first entry is proposed, and a failure ends with all of them.
     */
    static final class Terms {
        private final Cluster cluster;
        private final Director director;
        private final Map<Integer, Long> ours = new TreeMap<>();

        Terms(Cluster cluster, Director director) {
            this.cluster = cluster;
            this.director = director;
        }

        /** The leader {@code at} takes Figure 7's entry {@code command} ("t4-i5"), which must land at {@code index}. */
        void propose(int at, String command, int index) {
            director.propose(at, command, index);
            int paperTerm = paperTerm(command);
            long term = cluster.view(at).term();
            if (ours.putIfAbsent(paperTerm, term) == null) {
                cluster.note("the paper's term " + paperTerm + " = our term " + term + " (node" + at + " leads it; its entries"
                        + " are named t" + paperTerm + "-i…)");
            }
        }

        /**
         * Where an entry's term is not the one that plays its paper's term: the logs of Figure 7
         * hold the right commands at the right indexes only if each of the paper's terms is one of
         * ours, the same on every server ("node3 holds "t4-i5" in our term 9, not 7").
         */
        List<String> misplaced(List<Integer> ids) {
            List<String> wrong = new ArrayList<>();
            for (int id : ids) {
                for (Entry e : cluster.view(id).log()) {
                    Long term = ours.get(paperTerm(e.command()));
                    if (term == null || term != e.term()) {
                        wrong.add("node" + id + " holds \"" + e.command() + "\" in our term " + e.term() + ", not " + term);
                    }
                }
            }
            return wrong;
        }

        String legend() {
            return legend(ours);
        }

        /** The paper's term a Figure 7 command names: 4 for "t4-i5". */
        static int paperTerm(String command) {
            return Integer.parseInt(command.substring(1, command.indexOf('-')));
        }

        /** "The terms: … paper's term 1 = our term 1, paper's term 2 = our term 3, …". */
        static String legend(Map<Integer, Long> ours) {
            String names = "The terms: commands name Figure 7's entries by the paper's term and index (\"t4-i5\": term 4,"
                    + " index 5)";
            if (ours.isEmpty()) {
                return names + "; no entry had been proposed yet";
            }
            return names + ", while the terms shown beside them are the servers' own, which run higher: "
                    + ours.entrySet().stream().map(e -> "paper's term " + e.getKey() + " = our term " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    private static List<String> log(int[] terms) {
        List<String> log = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            log.add(fig7(terms[i], i + 1));
        }
        return log;
    }
}
