package notes;

import harness.api.Operation;
import harness.check.Linearizability;
import harness.check.LinearizabilityResult;
import harness.cluster.Cluster;
import harness.display.HistorySvg;
import harness.display.TimelineSvg;
import harness.history.Call;
import harness.observe.Time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Chapter 5's pitfall, shown rather than told: a leader cut off with one client, a new leader on
 * the majority's side, a write there, and then a read from the old leader. The notes' build runs
 * it on the milestone's code and on its bug-zoo variant {@code leader-reads-locally}, and prints
 * both histories as they came out, with the timeline of the stale run, and then the
 * linearizability checker's verdict on each, with its picture of the stale one. (Notebook 05 runs
 * the same story, {@code cutOffLeader}, and checks it the same way.)
 */
final class StaleRead {

    /** The bug-zoo variant whose stale read the chapter shows. */
    static final String BUG = "leader-reads-locally";

    private static final Duration PATIENCE = Duration.ofSeconds(5);
    /** Wall time the checker may take on a history of four calls: far more than it needs. */
    private static final Duration CHECK_BUDGET = Duration.ofSeconds(10);

    private StaleRead() {
    }

    /**
     * Five servers, two clients, seed 7: the leader answers client1's put x 1; it is cut off with
     * client1; the others elect a leader that applies its no-op, client2 reads x and writes x 2
     * there; a millisecond after the write is answered, client1 reads x from the old leader.
     */
    static Cluster run(int milestone, String bug) {
        Cluster.Builder builder = Cluster.builder().milestone(milestone).nodes(5).seed(7).clients(2);
        Cluster c = (bug == null ? builder : builder.bug(bug)).simulated();
        c.awaitLeader(Duration.ofSeconds(2));
        int old = c.perform(1, Operation.put("x", "1"), PATIENCE).leader();
        long oldTerm = c.view(old).term();
        List<Integer> majority = new ArrayList<>(c.others(old));
        majority.add(c.clientId(2));
        c.partition(List.of(old, c.clientId(1)), majority);
        c.runUntil(x -> x.leaders().stream().anyMatch(l -> x.view(l).term() > oldTerm
                && x.view(l).lastApplied() == x.view(l).lastLogIndex()), Duration.ofSeconds(2));
        c.perform(2, Operation.get("x"), PATIENCE);
        c.perform(2, Operation.put("x", "2"), PATIENCE);
        c.runFor(Duration.ofMillis(1)); // the put's answer strictly before the get's call
        c.perform(1, Operation.get("x"), PATIENCE);
        return c;
    }

    /** The two histories as AsciiDoc listings, the timeline of the stale run between them. */
    static String adoc(int milestone, Cluster correct, Cluster stale) {
        return "With milestone " + milestone + "'s code, client1's last read is never answered: the old leader cannot"
                + " confirm that it still leads.\n\n"
                + listing(correct)
                + "\nWith `" + BUG + "`, the old leader answers at once, from its own store. The timeline shows the two"
                + " servers that believed they led, each in its own term, while the stale read was served:\n\n"
                + "image::{generated}/milestone-" + milestone + "/stale-read.svg[Timeline of the stale read: two servers"
                + " leading, each in its own term,opts=inline]\n\n"
                + listing(stale);
    }

    /** {@link Linearizability#check} on the run's whole history. */
    static LinearizabilityResult check(Cluster cluster) {
        return Linearizability.check(cluster.history().calls(), CHECK_BUDGET);
    }

    /**
     * The checker on both runs, in AsciiDoc: its picture of the stale history ({@code
     * stale-read-check.svg}, {@link HistorySvg}) and its explanation, then its verdict on the
     * milestone's own run, each as the checker gave it.
     */
    static String checkAdoc(int milestone, LinearizabilityResult correct, LinearizabilityResult stale) {
        return "On the history of `" + BUG + "`, the checker answers " + verdict(stale) + ", and draws this:\n\n"
                + "image::{generated}/milestone-" + milestone + "/stale-read-check.svg[\"The checker's picture of the stale"
                + " history: one lane per client, the longest order it found numbered in green, the stale read in red\",opts=inline]\n\n"
                + "Its explanation, as `explain()` gives it:\n\n"
                + "[quote]\n____\n" + stale.explain() + "\n____\n\n"
                + "On milestone " + milestone + "'s history, where client1's last read is unknown, it answers " + verdict(correct)
                + ":\n\n[quote]\n____\n" + correct.explain() + "\n____\n";
    }

    /** The checker's picture of a checked history. */
    static String checkSvg(LinearizabilityResult result) {
        return HistorySvg.svg(result);
    }

    private static String verdict(LinearizabilityResult result) {
        return "`" + result.verdict() + "`";
    }

    /** The timeline of a run, as the notes draw every timeline. */
    static String svg(Cluster cluster) {
        return TimelineSvg.svg(cluster.ids(), cluster.trace().history(), cluster.now().toNanos() / 1000);
    }

    private static String listing(Cluster cluster) {
        String calls = cluster.history().calls().stream().map(StaleRead::line).collect(Collectors.joining("\n"));
        return "[listing]\n----\n" + calls + "\n----\n";
    }

    /**
     * A call as {@link Call#toString()} gives it, but an unknown outcome without the client's
     * explanation, so that each line fits the PDF's page: "client1: get x → unknown [442.3 ms, 2442.3 ms]".
     */
    static String line(Call call) {
        String outcome = call.isOk() ? call.outcome().toString() : call.isPending() ? "pending" : "unknown";
        String end = call.isPending() ? "…" : Time.format(call.completed());
        return Call.clientName(call.client()) + ": " + call.operation() + " → " + outcome + " [" + Time.format(call.invoked())
                + ", " + end + "]";
    }
}
