package harness.display;

import harness.observe.NodeView;

import java.util.List;

/**
 * The state of every server as an HTML table: node, role, term and vote, the same columns as
 * {@link harness.cluster.Cluster#stateTable()} prints in text. Roles and terms are coloured as in
 * {@link LogMatrix} and {@link TimelineSvg}; the leader's row is bold, a crashed server's row grey.
 *
 * <pre>{@code
 * String table = StateTable.html(cluster.views());
 * }</pre>
 */
public final class StateTable {

    private static final String TABLE = "border-collapse:collapse;font-family:sans-serif;font-size:14px";
    private static final String CELL = "border:1px solid #bdbdbd;padding:3px 10px;";
    private static final String LEADER_ROW = "font-weight:bold";
    private static final String DOWN_ROW = "color:#9e9e9e;font-style:italic";

    private StateTable() {
    }

    /** One row per server, in the order given. */
    public static String html(List<NodeView> views) {
        StringBuilder s = new StringBuilder();
        s.append("<table style=\"").append(TABLE).append("\">");
        s.append("<tr>");
        for (String column : List.of("node", "role", "term", "votedFor")) {
            s.append(Html.element("th", CELL + "background:#f5f5f5;text-align:left", column));
        }
        s.append("</tr>");
        for (NodeView view : views) {
            s.append(row(view));
        }
        return s.append("</table>").toString();
    }

    private static String row(NodeView view) {
        String style = view.isLeader() ? LEADER_ROW : view.up() ? "" : DOWN_ROW;
        return "<tr style=\"" + style + "\">"
                + Html.element("td", CELL, "node" + view.id())
                + roleCell(view)
                + termCell(view)
                + Html.element("td", CELL, view.votedFor() == null ? "-" : "node" + view.votedFor())
                + "</tr>";
    }

    /** A crashed server keeps its last role in its view, but what matters to the reader is that it is down. */
    private static String roleCell(NodeView view) {
        if (!view.up()) {
            return Html.element("td", CELL, "(down)");
        }
        return Html.element("td", CELL + "background:" + Html.roleColour(view.role()), view.role().title());
    }

    /** The term of a crashed server is the one it had when it went down, so it is shown without colour. */
    private static String termCell(NodeView view) {
        String background = view.up() ? "background:" + Html.termColour(view.term()) + ";" : "";
        return Html.element("td", CELL + background + "text-align:right", String.valueOf(view.term()));
    }
}
