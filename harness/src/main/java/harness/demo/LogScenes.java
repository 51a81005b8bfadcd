package harness.demo;

import harness.api.Proposal;
import harness.cluster.Cluster;
import harness.display.LogMatrix;
import harness.display.Show;
import harness.observe.Time;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** What the demos with logs (milestone 2 on) share: proposing with narration, waiting, drawing the logs. */
final class LogScenes {

    /** The matrix is indented past the timeline's time column, under the text of the notes. */
    private static final String INDENT = " ".repeat(16);
    private static final Duration PATIENCE = Duration.ofSeconds(2);

    private LogScenes() {
    }

    /** Proposes each command to server {@code id}, which must take it as leader, and narrates where it went. */
    static void proposeAt(Cluster cluster, int id, String... commands) {
        StringBuilder where = new StringBuilder();
        for (String command : commands) {
            Proposal answer = cluster.propose(id, command);
            if (!(answer instanceof Proposal.Accepted accepted)) {
                throw new IllegalStateException("node" + id + " refused \"" + command + "\": " + answer + "\n" + cluster.stateTable());
            }
            where.append(where.isEmpty() ? "" : ", ").append('"').append(command).append("\" at ").append(accepted.index());
        }
        cluster.note("node" + id + " appends " + where + " in term " + cluster.view(id).term());
    }

    /**
     * Runs until {@code condition} holds, which the story's next line of narration relies on; a
     * story that would otherwise tell something untrue fails instead, saying what it waited for.
     */
    static void until(Cluster cluster, Predicate<Cluster> condition, String what) {
        if (!cluster.runUntil(condition, PATIENCE)) {
            throw new IllegalStateException("the story waited " + Time.format(PATIENCE) + " in vain for " + what + "\n" + cluster.report());
        }
    }

    /**
     * The log matrix under the timeline: one row per server, the term of each entry per index, a
     * {@code *} after each committed one; the legend only once something is committed. The
     * launcher itself leaves a blank line after the story's end.
     */
    static void printLogs(Cluster cluster, PrintStream out, boolean storyGoesOn) {
        List<LogMatrix.Row> rows = Show.logRows(cluster);
        boolean anyCommitted = rows.stream().anyMatch(r -> r.commitIndex() > 0);
        String matrix = LogMatrix.text(rows).lines()
                .filter(line -> anyCommitted || !line.startsWith("*"))
                .map(line -> INDENT + line)
                .collect(Collectors.joining("\n"));
        out.println();
        out.println(matrix);
        if (storyGoesOn) {
            out.println();
        }
    }
}
