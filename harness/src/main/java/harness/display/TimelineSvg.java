package harness.display;

import harness.api.Role;
import harness.observe.Time;
import harness.observe.TraceEvent;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run as a picture: one horizontal lane per server from time 0 to the end, coloured by the
 * server's role (as in {@link StateTable}) with its term written inside, and marks where things
 * happened: a dot where a server stands for election, a star where it wins, a red cross where it
 * crashes (its lane stays dark grey until it restarts), a dashed line across every lane where the
 * network changed, and a triangle on the time axis for each line of narration. Hovering over any
 * of them shows the details.
 *
 * <pre>{@code
 * String svg = TimelineSvg.svg(cluster.ids(), cluster.trace().history(), cluster.now().toNanos() / 1000);
 * }</pre>
 *
 * <p>The picture is read off the role, term, crash, restart, network and narration events of the
 * history; messages, timers and votes are left out, or the picture would be nothing but them.
 */
public final class TimelineSvg {

    // The page: a fixed width so pictures of different runs compare, a height that grows with the lanes.
    private static final int WIDTH = 900;
    private static final int LEFT = 64;           // room for the lane labels
    private static final int RIGHT = 30;          // room for half of the last tick label
    private static final int LANE = 34;           // from the top of one lane to the top of the next
    private static final int BAR = 22;            // the height of a span, centred in its lane
    private static final int LABEL_ROW = 14;      // one row of network-change labels above the lanes
    private static final int MAX_LABEL_ROWS = 4;
    private static final int NO_ROOM = -1;        // the row of a label that found none free
    private static final int LABEL_CHARS = 40;
    private static final int MAX_TICKS = 10;
    // SVG cannot measure text, so widths are estimated generously from the number of characters.
    private static final double CHAR_WIDTH = 6.5;

    private static final String TEXT = "#212121";
    private static final String LEADER_OUTLINE = "#2e7d32";
    private static final String CANDIDATE_MARK = "#e08e00";
    private static final String STAR = "#ffd400";
    private static final String STAR_OUTLINE = "#8d6e00";
    private static final String CRASH = "#d32f2f";
    private static final String NETWORK = "#1565c0";
    private static final String NOTE = "#7b1fa2";

    private TimelineSvg() {
    }

    /**
     * The picture of the servers {@code ids} (one lane each, in this order) from time 0 to {@code
     * endMicros}, drawn from {@code history} in time order (as {@link harness.observe.Trace#history()}
     * gives it). Events after {@code endMicros} and events of other servers are left out.
     */
    public static String svg(List<Integer> ids, List<TraceEvent> history, long endMicros) {
        long end = Math.max(1, endMicros); // a run that has not started yet is drawn as a sliver, not a division by zero
        Run run = Run.read(ids, history, end);
        List<NetworkLabel> labels = placeNetworkLabels(run.networkChanges, end);
        int labelRows = labels.stream().mapToInt(l -> l.row() + 1).max().orElse(0);
        Layout layout = new Layout(end, run.lanes.size(), labelRows);

        StringBuilder s = new StringBuilder();
        s.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"11\">", WIDTH, layout.height(), WIDTH, layout.height()));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"); // readable on a dark notebook theme too
        int index = 0;
        for (Lane lane : run.lanes.values()) {
            drawLane(s, layout, index++, lane);
        }
        for (NetworkLabel label : labels) {
            drawNetworkChange(s, layout, label);
        }
        drawAxis(s, layout);
        for (TraceEvent.Note note : run.notes) {
            drawNote(s, layout, note);
        }
        drawLegend(s, layout.legendY());
        return s.append("</svg>").toString();
    }

    // ---- Reading the history -------------------------------------------------------------------

    /** What a server was from {@code start} to {@code end}: a role in a term, or down. */
    private record Span(long start, long end, Role role, long term, boolean down) {
    }

    private enum MarkKind { CANDIDATE, LEADER, CRASH }

    /** Something a server did at one moment: stood for election, won one, or crashed. */
    private record Mark(long time, MarkKind kind, long term) {
    }

    /** One server's lane, filled in event by event: the spans so far, and the state since the last change. */
    private static final class Lane {
        final int id;
        final List<Span> spans = new ArrayList<>();
        final List<Mark> marks = new ArrayList<>();
        // Every server starts as a follower in term 0 at time 0.
        private long since;
        private Role role = Role.FOLLOWER;
        private long term;
        private boolean down;

        Lane(int id) {
            this.id = id;
        }

        void become(long time, Role newRole, long newTerm) {
            close(time);
            role = newRole;
            term = newTerm;
            down = false;
        }

        /** A crashed server keeps its last term: after a restart it shows it until it hears of another. */
        void crash(long time) {
            close(time);
            down = true;
        }

        void restart(long time) {
            become(time, Role.FOLLOWER, term);
        }

        /** Ends the current span at {@code time}; two changes at the same moment leave no empty span. */
        void close(long time) {
            if (time > since) {
                spans.add(new Span(since, time, role, term, down));
            }
            since = time;
        }
    }

    /** The history sorted out for drawing: a lane per server, and the events that concern every lane. */
    private static final class Run {
        final Map<Integer, Lane> lanes = new LinkedHashMap<>();
        final List<TraceEvent.NetworkChanged> networkChanges = new ArrayList<>();
        final List<TraceEvent.Note> notes = new ArrayList<>();

        static Run read(List<Integer> ids, List<TraceEvent> history, long end) {
            Run run = new Run();
            for (int id : ids) {
                run.lanes.put(id, new Lane(id));
            }
            for (TraceEvent event : history) {
                if (event.timeMicros() <= end) {
                    run.take(event);
                }
            }
            for (Lane lane : run.lanes.values()) {
                lane.close(end);
            }
            return run;
        }

        private void take(TraceEvent event) {
            Lane lane = lanes.get(event.node());
            if (event instanceof TraceEvent.NetworkChanged n) {
                networkChanges.add(n);
            } else if (event instanceof TraceEvent.Note n) {
                if (n.node() == 0) {
                    notes.add(n); // a server's own log lines are too many to draw; the scenario's narration is not
                }
            } else if (lane != null) {
                takeServerEvent(lane, event);
            }
        }

        private static void takeServerEvent(Lane lane, TraceEvent event) {
            long time = event.timeMicros();
            if (event instanceof TraceEvent.RoleChanged r) {
                lane.become(time, r.to(), r.term());
                markElection(lane, time, r.to(), r.term());
            } else if (event instanceof TraceEvent.TermChanged t) {
                lane.become(time, t.role(), t.to());
                markElection(lane, time, t.role(), t.to()); // a candidate whose term moves on stands again
            } else if (event instanceof TraceEvent.Crashed) {
                lane.crash(time);
                lane.marks.add(new Mark(time, MarkKind.CRASH, 0));
            } else if (event instanceof TraceEvent.Restarted) {
                lane.restart(time);
            }
        }

        private static void markElection(Lane lane, long time, Role role, long term) {
            if (role == Role.CANDIDATE) {
                lane.marks.add(new Mark(time, MarkKind.CANDIDATE, term));
            } else if (role == Role.LEADER) {
                lane.marks.add(new Mark(time, MarkKind.LEADER, term));
            }
        }
    }

    // ---- Layout --------------------------------------------------------------------------------

    /** Where things go on the page: network labels at the top, then the lanes, the time axis and the legend. */
    private record Layout(long end, int lanes, int labelRows) {

        double x(long time) {
            return xOf(time, end);
        }

        int labelY(int row) {
            return 18 + row * LABEL_ROW;
        }

        int lanesTop() {
            return labelY(labelRows) - 4;
        }

        int barTop(int lane) {
            return lanesTop() + lane * LANE + (LANE - BAR) / 2;
        }

        int lanesBottom() {
            return lanesTop() + lanes * LANE;
        }

        int axisY() {
            return lanesBottom() + 6;
        }

        int legendY() {
            return axisY() + 40;
        }

        int height() {
            return legendY() + 14;
        }
    }

    private static double xOf(long time, long end) {
        return LEFT + (WIDTH - LEFT - RIGHT) * (double) time / end;
    }

    // ---- Lanes ---------------------------------------------------------------------------------

    private static void drawLane(StringBuilder s, Layout layout, int index, Lane lane) {
        int top = layout.barTop(index);
        s.append(format("<text x=\"8\" y=\"%d\" font-size=\"13\" fill=\"%s\">node%d</text>", top + BAR / 2 + 5, TEXT, lane.id));
        for (Span span : lane.spans) {
            drawSpan(s, layout, top, lane.id, span);
        }
        for (Mark mark : lane.marks) {
            drawMark(s, layout.x(mark.time()), top, lane.id, mark);
        }
    }

    /** A span is a bar in its role's colour with its term inside; a leader's has a thicker outline. */
    private static void drawSpan(StringBuilder s, Layout layout, int top, int id, Span span) {
        double left = layout.x(span.start());
        double width = layout.x(span.end()) - left;
        boolean leader = !span.down() && span.role() == Role.LEADER;
        String fill = span.down() ? Html.DOWN : Html.roleColour(span.role());
        String outline = leader ? format("stroke=\"%s\" stroke-width=\"2\"", LEADER_OUTLINE)
                : "stroke=\"#ffffff\" stroke-width=\"0.5\""; // a hairline tells apart two spans of one colour
        s.append("<g>").append(title(spanTitle(id, span)));
        s.append(format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" %s/>", left, top, width, BAR, fill, outline));
        String label = spanLabel(span, width);
        if (!label.isEmpty()) {
            String colour = span.down() ? "#ffffff" : TEXT;
            s.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>",
                    left + width / 2, top + BAR / 2 + 4, colour, Html.escape(label)));
        }
        s.append("</g>");
    }

    /** "term 3" if it fits in the span, else "3", else nothing; "down" for a crashed server. */
    private static String spanLabel(Span span, double width) {
        List<String> choices = span.down() ? List.of("down") : List.of("term " + span.term(), String.valueOf(span.term()));
        for (String choice : choices) {
            if (textWidth(choice) + 6 <= width) {
                return choice;
            }
        }
        return "";
    }

    private static String spanTitle(int id, Span span) {
        String what = span.down() ? "down" : span.role().title() + " in term " + span.term();
        return "node" + id + ": " + what + " from " + Time.format(span.start()) + " to " + Time.format(span.end());
    }

    private static void drawMark(StringBuilder s, double x, int top, int id, Mark mark) {
        String at = " at " + Time.format(mark.time());
        switch (mark.kind()) {
            case CANDIDATE -> {
                s.append("<g>").append(title("node" + id + " stands for election in term " + mark.term() + at));
                s.append(candidateDot(x, top));
            }
            case LEADER -> {
                s.append("<g>").append(title("node" + id + " wins the election of term " + mark.term() + at));
                s.append(star(x, top));
            }
            case CRASH -> {
                s.append("<g>").append(title("node" + id + " crashes" + at));
                s.append(cross(x, top + BAR / 2.0));
            }
        }
        s.append("</g>");
    }

    // The marks sit on the top edge of the bar, so they stay visible whatever the span's colour.
    private static String candidateDot(double x, double y) {
        return format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1\"/>", x, y, CANDIDATE_MARK);
    }

    /**
     * A five-pointed star: ten points alternating between the outer and the inner radius. StrictMath
     * gives the same sines on every machine, so the same run gives the same bytes everywhere.
     */
    private static String star(double x, double y) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            double radius = i % 2 == 0 ? 7 : 3;
            double angle = Math.PI * i / 5 - Math.PI / 2; // the first point straight up
            points.append(format("%.1f,%.1f ", x + radius * StrictMath.cos(angle), y + radius * StrictMath.sin(angle)));
        }
        return format("<polygon points=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>", points.toString().strip(), STAR, STAR_OUTLINE);
    }

    private static String cross(double x, double y) {
        return format("<path d=\"M %.1f %.1f L %.1f %.1f M %.1f %.1f L %.1f %.1f\" stroke=\"%s\" stroke-width=\"3\" stroke-linecap=\"round\"/>",
                x - 5, y - 5, x + 5, y + 5, x + 5, y - 5, x - 5, y + 5, CRASH);
    }

    // ---- Network changes -----------------------------------------------------------------------

    /** Where a network change's label goes: its line's x, which side of the line, and which row (or none). */
    private record NetworkLabel(TraceEvent.NetworkChanged change, double x, boolean leftOfLine, int row) {
        boolean hasRoom() {
            return row != NO_ROOM;
        }
    }

    /**
     * Labels go right of their line, or left of it near the right edge. Changes close in time would
     * write over each other, so each label takes the first of up to four rows where it does not;
     * when all four are taken, the line goes without a label (its title still tells the change).
     */
    private static List<NetworkLabel> placeNetworkLabels(List<TraceEvent.NetworkChanged> changes, long end) {
        List<NetworkLabel> labels = new ArrayList<>();
        double[] rowEnds = new double[MAX_LABEL_ROWS];
        Arrays.fill(rowEnds, Double.NEGATIVE_INFINITY);
        for (TraceEvent.NetworkChanged change : changes) {
            double x = xOf(change.timeMicros(), end);
            double width = textWidth(shortLabel(change.description())) + 3;
            boolean leftOfLine = x + width > WIDTH - 4;
            int row = freeRow(rowEnds, leftOfLine ? x - width : x);
            if (row != NO_ROOM) {
                rowEnds[row] = leftOfLine ? x : x + width;
            }
            labels.add(new NetworkLabel(change, x, leftOfLine, row));
        }
        return labels;
    }

    /** The first row whose last label ends a little before {@code from}, or {@link #NO_ROOM}. */
    private static int freeRow(double[] rowEnds, double from) {
        for (int row = 0; row < rowEnds.length; row++) {
            if (rowEnds[row] + 8 <= from) {
                return row;
            }
        }
        return NO_ROOM;
    }

    private static void drawNetworkChange(StringBuilder s, Layout layout, NetworkLabel label) {
        TraceEvent.NetworkChanged change = label.change();
        s.append("<g>").append(title("network: " + change.description() + " at " + Time.format(change.timeMicros())));
        int top = label.hasRoom() ? layout.labelY(label.row()) - 10 : layout.lanesTop();
        s.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>",
                label.x(), top, label.x(), layout.lanesBottom(), NETWORK));
        if (label.hasRoom()) {
            double textX = label.leftOfLine() ? label.x() - 3 : label.x() + 3;
            s.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\" fill=\"%s\">%s</text>", textX, layout.labelY(label.row()),
                    label.leftOfLine() ? "end" : "start", NETWORK, Html.escape(shortLabel(change.description()))));
        }
        s.append("</g>");
    }

    /** At most 40 characters, so labels stay short; the whole description is in the line's title. */
    private static String shortLabel(String text) {
        if (text.codePointCount(0, text.length()) <= LABEL_CHARS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, LABEL_CHARS - 1)) + "…";
    }

    // ---- Time axis and narration ---------------------------------------------------------------

    private static void drawAxis(StringBuilder s, Layout layout) {
        int y = layout.axisY();
        s.append(format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#424242\"/>", LEFT, y, WIDTH - RIGHT, y));
        long step = tickStep(layout.end());
        for (long time = 0; time <= layout.end(); time += step) {
            double x = layout.x(time);
            s.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#424242\"/>", x, y, x, y + 5));
            s.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>", x, y + 17, TEXT, tickLabel(time)));
        }
    }

    /**
     * The tick spacing: the smallest of 1, 2 or 5 times a power of ten microseconds that puts at
     * most ten ticks on the axis. Each step is at most 2.5 times the one before, so there are at
     * least five ticks whenever the run is long enough for that. ({@link HistorySvg} labels its axis
     * the same way.)
     */
    static long tickStep(long end) {
        for (long power = 1; ; power *= 10) {
            for (long multiple : new long[] {1, 2, 5}) {
                long step = multiple * power;
                if (end / step + 1 <= MAX_TICKS) {
                    return step;
                }
            }
        }
    }

    /** "0 ms", "250 ms", "0.5 ms": milliseconds, with only the decimals the step needs. */
    static String tickLabel(long micros) {
        return BigDecimal.valueOf(micros, 3).stripTrailingZeros().toPlainString() + " ms";
    }

    /** A small triangle on the time axis; its title says what the scenario narrated then. */
    private static void drawNote(StringBuilder s, Layout layout, TraceEvent.Note note) {
        double x = layout.x(note.timeMicros());
        int y = layout.axisY();
        s.append("<g>").append(title(Time.format(note.timeMicros()) + ": " + note.text()));
        s.append(noteTriangle(x, y));
        s.append("</g>");
    }

    /** A triangle pointing down at ({@code x}, {@code y}). */
    private static String noteTriangle(double x, int y) {
        return format("<polygon points=\"%.1f,%d %.1f,%d %.1f,%d\" fill=\"%s\"/>", x - 4, y - 9, x + 4, y - 9, x, y - 1, NOTE);
    }

    // ---- Legend --------------------------------------------------------------------------------

    private static void drawLegend(StringBuilder s, int y) {
        double x = 8;
        x = legendSwatch(s, x, y, Html.FOLLOWER, "", "Follower");
        x = legendSwatch(s, x, y, Html.CANDIDATE, "", "Candidate");
        x = legendSwatch(s, x, y, Html.LEADER, format(" stroke=\"%s\" stroke-width=\"2\"", LEADER_OUTLINE), "Leader");
        x = legendSwatch(s, x, y, Html.DOWN, "", "down");
        x = legendMark(s, x, y, candidateDot(x + 6, y - 4), "stands for election");
        x = legendMark(s, x, y, star(x + 6, y - 4), "wins");
        x = legendMark(s, x, y, cross(x + 6, y - 4), "crash");
        x = legendMark(s, x, y, format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"/>",
                x + 6, y - 11, x + 6, y + 3, NETWORK), "network change");
        legendMark(s, x, y, noteTriangle(x + 6, y), "note");
    }

    /** A coloured square and its name; returns where the next item starts. */
    private static double legendSwatch(StringBuilder s, double x, int y, String fill, String outline, String name) {
        s.append(format("<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"%s/>", x, y - 10, fill, outline));
        return legendName(s, x, y, name);
    }

    private static double legendMark(StringBuilder s, double x, int y, String mark, String name) {
        s.append(mark);
        return legendName(s, x, y, name);
    }

    private static double legendName(StringBuilder s, double x, int y, String name) {
        s.append(format("<text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>", x + 16, y, TEXT, Html.escape(name)));
        return x + 16 + textWidth(name) + 14;
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private static String title(String text) {
        return "<title>" + Html.escape(text) + "</title>";
    }

    private static double textWidth(String text) {
        return text.codePointCount(0, text.length()) * CHAR_WIDTH;
    }

    /** String.format with a fixed locale: a German default locale must not write coordinates as "12,5". */
    private static String format(String template, Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
