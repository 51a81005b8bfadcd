package harness.display;

import harness.api.Entry;
import harness.check.LinearizabilityResult;
import harness.cluster.Cluster;
import harness.observe.Timeline;
import harness.observe.TraceEvent;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What notebooks and {@code ./course jshell} call to see a cluster. In Jupyter the state table
 * is an HTML table and the timeline an SVG picture; in plain JShell both are text. Import it
 * with {@code import static harness.display.Show.*;}.
 *
 * <pre>{@code
 * var cluster = Cluster.builder().milestone(1).nodes(5).seed(7).simulated();
 * cluster.runFor(Duration.ofSeconds(1));
 * show(cluster);       // who is leader, in which term, who voted for whom
 * timeline(cluster);   // the run so far: roles and terms over time, crashes, partitions
 * logs(rows);          // logs side by side (from milestone 2 on)
 * show(Linearizability.check(history.calls(), Duration.ofSeconds(10)));  // a history's verdict and picture (milestone 5 on)
 * }</pre>
 */
public final class Show {

    private static volatile Frontend frontend;

    private Show() {
    }

    /** The state table of every server: role, term, vote. */
    public static void show(Cluster cluster) {
        show(stateTable(cluster));
    }

    /**
     * A linearizability check: its picture ({@link HistorySvg}), and in plain text the explanation.
     * For a failure the picture shows the failing key around the call that cannot be placed.
     */
    public static void show(LinearizabilityResult result) {
        show(Rich.svg(HistorySvg.svg(result), result.explain()));
    }

    /** The run so far as a picture: one lane per server, roles and terms over time. */
    public static void timeline(Cluster cluster) {
        show(timelineOf(cluster));
    }

    /**
     * The cluster's logs side by side (from milestone 2 on), and from milestone 3, which gives
     * servers a commit point, which entries are committed.
     */
    public static void logs(Cluster cluster) {
        List<LogMatrix.Row> rows = logRows(cluster);
        boolean commitPoint = hasCommitPoint(cluster);
        show(Rich.html(LogMatrix.html(rows, commitPoint), LogMatrix.text(rows, commitPoint)));
    }

    /** Whether the cluster's servers keep a commitIndex: milestone 3 on ({@link harness.api.RaftNode#commitIndex()}). */
    static boolean hasCommitPoint(Cluster cluster) {
        return cluster.subject().implementation().milestone() >= 3;
    }

    /** Every server's log as a row of a log matrix: the terms of its entries and its commitIndex. */
    public static List<LogMatrix.Row> logRows(Cluster cluster) {
        return cluster.views().stream()
                .map(v -> new LogMatrix.Row(v.id(), v.up(), v.isLeader(), v.log().stream().map(Entry::term).toList(),
                        v.commitIndex(), v.logStart()))
                .toList();
    }

    /**
     * Logs side by side, one row per server and one column per index, each entry coloured by its
     * term: the picture of the paper's Figures 6 to 8.
     */
    public static void logs(List<LogMatrix.Row> rows) {
        show(Rich.html(LogMatrix.html(rows), LogMatrix.text(rows)));
    }

    /** Any HTML fragment (text front ends print {@code text} instead). */
    public static void html(String html, String text) {
        show(Rich.html(html, text));
    }

    /** Any SVG picture (text front ends print {@code text} instead). */
    public static void svg(String svg, String text) {
        show(Rich.svg(svg, text));
    }

    public static void show(Rich rich) {
        frontend().show(rich);
    }

    public static Rich stateTable(Cluster cluster) {
        return Rich.html(StateTable.html(cluster.views()), cluster.stateTable());
    }

    public static Rich timelineOf(Cluster cluster) {
        List<TraceEvent> history = cluster.trace().history();
        String svg = TimelineSvg.svg(cluster.ids(), history, cluster.now().toNanos() / 1000);
        String text = history.stream()
                .map(Timeline::storyLine)
                .filter(Objects::nonNull)
                .collect(Collectors.joining("\n"));
        return Rich.svg(svg, text.isEmpty() ? "(nothing has happened yet)" : text);
    }

    /** The front end in use: the running Jupyter kernel, or "console". */
    public static Frontend frontend() {
        Frontend f = frontend;
        if (f == null) {
            frontend = f = Frontend.detect();
        }
        return f;
    }
}
