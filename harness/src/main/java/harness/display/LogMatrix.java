package harness.display;

import java.util.List;

/**
 * The logs of a cluster side by side, the picture of Figures 6 to 8 of the Raft paper: one row
 * per server, one column per log index, each entry showing its term on that term's colour.
 * Committed entries (at or below the row's commitIndex) have a solid border, the others a dashed
 * one, so you can see which entries are safe and which a new leader may still overwrite.
 *
 * <p>{@link #html} is for notebooks and notes; {@link #text} draws the same grid in plain text,
 * for terminals and JShell, and marks committed entries with {@code *}.
 *
 * <p>Before milestone 3 servers have no commit point: drawn with {@code commitPoint} false, the
 * matrix marks no entry either way and its legend speaks only of terms.
 */
public final class LogMatrix {

    /**
     * One server's log: {@code terms.get(0)} is the term of the entry at log index {@code
     * logStart} (1 until snapshots discard a prefix, milestone 7), and entries at or below {@code
     * commitIndex} are committed.
     */
    public record Row(int id, boolean up, boolean leader, List<Long> terms, long commitIndex, long logStart) {
        public Row {
            terms = List.copyOf(terms);
        }

        /** A log that starts at index 1. */
        public Row(int id, boolean up, boolean leader, List<Long> terms, long commitIndex) {
            this(id, up, leader, terms, commitIndex, 1);
        }

        int lastIndex() {
            return (int) (logStart + terms.size() - 1);
        }

        /** The term of the entry at {@code index}, or null if the log does not hold it. */
        Long termAt(int index) {
            return index >= logStart && index <= lastIndex() ? terms.get((int) (index - logStart)) : null;
        }

        /** "node2", "node1 (leader)", "node3 (down)": a crashed leader leads nothing, so it is only down. */
        String label() {
            return "node" + id + (!up ? " (down)" : leader ? " (leader)" : "");
        }

        boolean committed(int index) {
            return index <= commitIndex;
        }
    }

    private static final String CELL = "min-width:1.6em;padding:2px 4px;text-align:center;";
    private static final String COMMITTED = "border:2px solid #212121;";
    private static final String NOT_COMMITTED = "border:2px dashed #9e9e9e;";
    private static final String NO_ENTRY = "border:2px solid transparent;";
    private static final String NO_COMMIT_POINT = "border:2px solid #bdbdbd;";
    private static final String INDEX = "font-weight:normal;color:#757575;font-size:12px;";
    private static final String HTML_LEGEND =
            "Solid border: committed (index at or below that server's commitIndex). Dashed border: not committed yet.";
    private static final String TEXT_LEGEND = "* committed (index at or below that server's commitIndex)";
    private static final String HTML_LEGEND_NO_COMMIT_POINT =
            "Each entry shows the term in which a leader created it, on that term's colour.";

    private LogMatrix() {
    }

    // ---- HTML ----------------------------------------------------------------------------------

    /** The matrix as an HTML table with a one-line legend below it, committed entries marked. */
    public static String html(List<Row> rows) {
        return html(rows, true);
    }

    /**
     * The matrix as an HTML table with a one-line legend below it; with {@code commitPoint}
     * false (servers that have none, before milestone 3) no entry is marked committed or not, and
     * the legend does not speak of commitment.
     */
    public static String html(List<Row> rows, boolean commitPoint) {
        int indexes = longestLog(rows);
        StringBuilder s = new StringBuilder("<div style=\"font-family:sans-serif;font-size:14px\">");
        s.append("<table style=\"border-collapse:separate;border-spacing:3px\">");
        s.append(indexHeader(indexes));
        for (Row row : rows) {
            s.append(logRow(row, indexes, commitPoint));
        }
        s.append("</table>");
        s.append(Html.element("div", "font-size:12px;color:#616161;margin-top:4px", commitPoint ? HTML_LEGEND : HTML_LEGEND_NO_COMMIT_POINT));
        return s.append("</div>").toString();
    }

    private static String indexHeader(int indexes) {
        StringBuilder s = new StringBuilder("<tr>");
        s.append(Html.element("th", INDEX + "text-align:left", "index"));
        for (int index = 1; index <= indexes; index++) {
            s.append(Html.element("th", INDEX, String.valueOf(index)));
        }
        return s.append("</tr>").toString();
    }

    /** Every row has a cell for every index, empty past the end of its log, so the columns line up. */
    private static String logRow(Row row, int indexes, boolean commitPoint) {
        StringBuilder s = new StringBuilder("<tr>");
        s.append(Html.element("th", labelStyle(row), row.label()));
        for (int index = 1; index <= indexes; index++) {
            s.append(entryCell(row, index, commitPoint));
        }
        return s.append("</tr>").toString();
    }

    /** A {@code th} is bold by default; only the leader's label should be. */
    private static String labelStyle(Row row) {
        String weight = row.up() && row.leader() ? "font-weight:bold;" : "font-weight:normal;";
        String colour = row.up() ? "" : "color:#9e9e9e;";
        return "text-align:left;padding-right:8px;white-space:nowrap;" + weight + colour;
    }

    private static String entryCell(Row row, int index, boolean commitPoint) {
        Long term = row.termAt(index);
        if (term == null) {
            return Html.element("td", CELL + NO_ENTRY, "");
        }
        String border = !commitPoint ? NO_COMMIT_POINT : row.committed(index) ? COMMITTED : NOT_COMMITTED;
        String faded = row.up() ? "" : "opacity:0.45;";
        return Html.element("td", CELL + border + faded + "background:" + Html.termColour(term), String.valueOf(term));
    }

    // ---- Text ----------------------------------------------------------------------------------

    /** The matrix as lines of plain text, for a monospace font, with a legend line at the end. */
    public static String text(List<Row> rows) {
        return text(rows, true);
    }

    /**
     * The matrix as lines of plain text, for a monospace font; with {@code commitPoint} (milestone
     * 3 on) committed entries are marked {@code *} and a legend line at the end says so, without
     * it nothing is marked and there is no legend.
     */
    public static String text(List<Row> rows, boolean commitPoint) {
        int indexes = longestLog(rows);
        int labelWidth = "index".length();
        int cellWidth = String.valueOf(indexes).length();
        for (Row row : rows) {
            labelWidth = Math.max(labelWidth, row.label().length());
            for (long term : row.terms()) {
                cellWidth = Math.max(cellWidth, String.valueOf(term).length());
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(textHeader(indexes, labelWidth, cellWidth)).append('\n');
        for (Row row : rows) {
            s.append(textRow(row, labelWidth, cellWidth, commitPoint)).append('\n');
        }
        return commitPoint ? s.append(TEXT_LEGEND).append('\n').toString() : s.toString();
    }

    private static String textHeader(int indexes, int labelWidth, int cellWidth) {
        StringBuilder s = new StringBuilder(padRight("index", labelWidth));
        for (int index = 1; index <= indexes; index++) {
            s.append("  ").append(padLeft(String.valueOf(index), cellWidth)).append(' ');
        }
        return s.toString().stripTrailing();
    }

    /**
     * Each cell is the term, right-aligned, followed by {@code *} if committed or a space if not;
     * indexes before the log's start are blank.
     */
    private static String textRow(Row row, int labelWidth, int cellWidth, boolean commitPoint) {
        StringBuilder s = new StringBuilder(padRight(row.label(), labelWidth));
        for (int index = 1; index <= row.lastIndex(); index++) {
            Long term = row.termAt(index);
            String cell = term == null ? "" : String.valueOf(term);
            s.append("  ").append(padLeft(cell, cellWidth)).append(commitPoint && term != null && row.committed(index) ? '*' : ' ');
        }
        return s.toString().stripTrailing();
    }

    // ---- Shared --------------------------------------------------------------------------------

    private static int longestLog(List<Row> rows) {
        return rows.stream().mapToInt(Row::lastIndex).max().orElse(0);
    }

    private static String padRight(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String padLeft(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
