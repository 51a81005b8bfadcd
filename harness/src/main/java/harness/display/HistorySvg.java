package harness.display;

import harness.check.LinearizabilityResult;
import harness.check.LinearizabilityResult.Verdict;
import harness.history.Call;
import harness.observe.Time;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A history of key-value calls as a picture: one lane per client, one bar per call from its
 * invocation to its completion, labelled with the operation and its answer ("get x → 1"). A call
 * whose outcome is unknown, or that is still pending, may take effect at any time after its
 * invocation, so its bar is hatched and runs on to the right edge (a tick marks when its client
 * gave up on it). Hovering over a bar shows the whole call.
 *
 * <p>For a {@link LinearizabilityResult} that is not linearizable, the picture shows the key that
 * failed around the call that cannot be placed (red), with the calls of the longest order the
 * checker found in green, numbered in that order: where the order got stuck, and what came
 * before. At most {@value #MAX_CALLS} calls are drawn; the caption says which and how many were
 * left out.
 *
 * <pre>{@code
 * LinearizabilityResult result = Linearizability.check(history.calls(), Duration.ofSeconds(10));
 * Files.writeString(Path.of("history.html"), HistorySvg.page(result));
 * }</pre>
 */
public final class HistorySvg {

    /** The most calls one picture shows: beyond that, bars get too thin to read. */
    public static final int MAX_CALLS = 40;
    /** How many of the calls shown come after the one the picture is about (the rest come before it). */
    private static final int SHOWN_AFTER = 9;

    private static final int WIDTH = 900;
    private static final int LEFT = 74;           // room for the lane labels
    private static final int RIGHT = 30;
    private static final int CAPTION_LINE = 16;
    private static final int ROW = 22;            // one row of bars in a lane
    private static final int BAR = 16;
    private static final int LANE_GAP = 6;
    private static final int LABEL_CHARS = 32;
    private static final double CHAR_WIDTH = 6.5; // SVG cannot measure text: widths are estimated generously
    /** The hatching of an uncertain call: 45° strokes 6 apart, drawn as a path, not an SVG pattern, which some renderers lack. */
    private static final double HATCH_SPACING = 6 * Math.sqrt(2); // measured along a horizontal line
    private static final String HATCH_STROKE = "#616161";

    private static final String TEXT = "#212121";
    private static final String PLACED_FILL = "#c7e9c0";
    private static final String PLACED_OUTLINE = "#2e7d32";
    private static final String STUCK_FILL = "#ffcdd2";
    private static final String STUCK_OUTLINE = "#d32f2f";
    private static final String OTHER_OUTLINE = "#9e9e9e";
    private static final String LANE_LINE = "#eeeeee";

    private HistorySvg() {
    }

    /**
     * The picture of a check: for a failure (or an undecided check), the calls on its key around
     * the call that cannot be placed (or the end of the longest order found), marked as above;
     * for a linearizable history, its first calls.
     */
    public static String svg(LinearizabilityResult result) {
        return draw(Scene.of(result));
    }

    /** The picture of any history: its first {@value #MAX_CALLS} calls, all keys together, nothing marked. */
    public static String svg(List<Call> calls) {
        List<Call> pool = sorted(calls);
        return draw(new Scene(window(pool, 0), pool.size(), null, Map.of(), null,
                "History: " + count(calls.size(), "call") + " on " + count(keys(calls), "key")));
    }

    /** A self-contained HTML page: the verdict as its heading, {@link LinearizabilityResult#explain()}, and the picture. */
    public static String page(LinearizabilityResult result) {
        String heading = Scene.of(result).headline();
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>" + Html.escape(heading) + "</title></head>\n"
                + "<body style=\"font-family: sans-serif; color: " + TEXT + "; margin: 16px;\">\n"
                + Html.element("h2", "font-size: 18px; font-weight: bold;", heading) + "\n"
                + Html.element("p", "max-width: " + WIDTH + "px; line-height: 1.4;", result.explain()) + "\n"
                + svg(result) + "\n</body></html>\n";
    }

    // ---- What to draw --------------------------------------------------------------------------

    /**
     * The calls to draw, out of {@code total} in the pool they were chosen from (the failing key's,
     * or the whole history's), the key if the pool is one key's, each marked call's place in the
     * longest order, the call that cannot be placed, and the headline.
     */
    private record Scene(List<Call> shown, int total, String key, Map<Integer, Integer> order, Call stuck, String headline) {

        static Scene of(LinearizabilityResult result) {
            if (result.verdict() == Verdict.LINEARIZABLE) {
                List<Call> pool = sorted(result.history());
                return new Scene(window(pool, 0), pool.size(), null, Map.of(), null, "Linearizable: "
                        + count(result.history().size(), "call") + " on " + count(result.keys(), "key"));
            }
            String key = result.key().orElseThrow();
            List<Call> pool = sorted(result.callsOnKey());
            Map<Integer, Integer> order = new HashMap<>();
            for (Call c : result.longestOrder()) {
                order.put(c.id(), order.size() + 1);
            }
            Call stuck = result.unplaceable().orElse(null);
            List<Call> longest = result.longestOrder();
            Call focus = stuck != null ? stuck : longest.isEmpty() ? pool.get(0) : longest.get(longest.size() - 1);
            String headline = stuck != null
                    ? "Not linearizable (key " + key + "): " + stuck.label() + " by " + Call.clientName(stuck.client()) + " cannot be placed"
                    : "Undecided (key " + key + "): the checker " + (result.interrupted() ? "was interrupted" : "ran out of time");
            return new Scene(window(pool, pool.indexOf(focus)), pool.size(), key, order, stuck, headline);
        }

        /** "All 12 calls on key x." or "Calls 180 to 219 of 812 on key x, invoked from 12.0 ms to 25.3 ms: 772 left out." */
        String extent() {
            String where = key == null ? "" : " on key " + key;
            if (total == 0) {
                return "No calls.";
            }
            if (shown.size() == total) {
                return (total == 1 ? "The only call" : "All " + total + " calls") + where + ".";
            }
            return "Calls invoked from " + Time.format(shown.get(0).invoked()) + " to " + Time.format(shown.get(shown.size() - 1).invoked())
                    + ", " + shown.size() + " of " + total + where + ": " + (total - shown.size()) + " left out.";
        }

        boolean marked() {
            return key != null;
        }
    }

    private static List<Call> sorted(List<Call> calls) {
        return calls.stream().sorted(Comparator.comparingLong(Call::invoked).thenComparingInt(Call::id)).toList();
    }

    /** At most {@link #MAX_CALLS} calls around {@code pool.get(focus)}, most of them before it. */
    private static List<Call> window(List<Call> pool, int focus) {
        if (pool.size() <= MAX_CALLS) {
            return pool;
        }
        int from = Math.max(0, Math.min(focus - (MAX_CALLS - 1 - SHOWN_AFTER), pool.size() - MAX_CALLS));
        return pool.subList(from, from + MAX_CALLS);
    }

    private static int keys(List<Call> calls) {
        return (int) calls.stream().map(c -> c.operation().key()).distinct().count();
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    // ---- Layout --------------------------------------------------------------------------------

    /** One bar: its call, its row in its lane, and where it starts and ends on the page. */
    private record Bar(Call call, int row, double left, double right) {
    }

    /** One client's lane: its bars, packed into as few rows as keep their labels apart. */
    private record Lane(int client, List<Bar> bars, int rows) {
    }

    /** The time axis: from the first invocation shown to a little after the last moment shown. */
    private record Axis(long start, long end) {
        static Axis of(List<Call> shown) {
            long start = shown.stream().mapToLong(Call::invoked).min().orElse(0);
            long last = shown.stream().mapToLong(c -> c.completed() == Call.PENDING ? c.invoked() : c.completed()).max().orElse(start);
            long span = Math.max(1, last - start);
            return new Axis(start, last + span / 20 + 1); // room for the open ends of uncertain calls
        }

        double x(long time) {
            return LEFT + (WIDTH - LEFT - RIGHT) * (double) (Math.min(time, end) - start) / (end - start);
        }
    }

    private static List<Lane> lanes(List<Call> shown, Axis axis, Scene scene) {
        Map<Integer, List<Call>> byClient = new TreeMap<>();
        for (Call c : shown) {
            byClient.computeIfAbsent(c.client(), k -> new ArrayList<>()).add(c);
        }
        List<Lane> lanes = new ArrayList<>();
        for (Map.Entry<Integer, List<Call>> client : byClient.entrySet()) {
            List<Bar> bars = new ArrayList<>();
            List<Double> rowEnds = new ArrayList<>();
            for (Call c : client.getValue()) {
                double left = axis.x(c.invoked());
                double right = Math.max(left + 2, c.isOk() ? axis.x(c.completed()) : axis.x(axis.end()));
                double occupied = Math.max(right, left + textWidth(label(c, scene)) + 8);
                int row = 0;
                while (row < rowEnds.size() && rowEnds.get(row) + 4 > left) {
                    row++;
                }
                if (row == rowEnds.size()) {
                    rowEnds.add(occupied);
                } else {
                    rowEnds.set(row, occupied);
                }
                bars.add(new Bar(c, row, left, right));
            }
            lanes.add(new Lane(client.getKey(), bars, rowEnds.size()));
        }
        return lanes;
    }

    // ---- Drawing -------------------------------------------------------------------------------

    private static String draw(Scene scene) {
        Axis axis = Axis.of(scene.shown());
        List<Lane> lanes = lanes(scene.shown(), axis, scene);
        int lanesTop = 12 + 2 * CAPTION_LINE;
        int lanesHeight = lanes.stream().mapToInt(l -> l.rows() * ROW + LANE_GAP).sum();
        int axisY = lanesTop + lanesHeight + 4;
        int legendY = axisY + 40;
        int height = legendY + 14;

        StringBuilder s = new StringBuilder();
        s.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"11\">", WIDTH, height, WIDTH, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"); // readable on a dark notebook theme too
        s.append(format("<text x=\"8\" y=\"%d\" font-size=\"13\" font-weight=\"bold\" fill=\"%s\">%s</text>", 12 + 8, TEXT,
                Html.escape(shorten(scene.headline(), 120))));
        s.append(format("<text x=\"8\" y=\"%d\" fill=\"%s\">%s</text>", 12 + 8 + CAPTION_LINE, TEXT, Html.escape(scene.extent())));
        int top = lanesTop;
        for (Lane lane : lanes) {
            drawLane(s, lane, top, scene, axis);
            top += lane.rows() * ROW + LANE_GAP;
        }
        drawAxis(s, axis, axisY);
        drawLegend(s, legendY, scene.marked());
        return s.append("</svg>").toString();
    }

    private static void drawLane(StringBuilder s, Lane lane, int top, Scene scene, Axis axis) {
        int bottom = top + lane.rows() * ROW + LANE_GAP;
        s.append(format("<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>", bottom - LANE_GAP / 2, WIDTH, bottom - LANE_GAP / 2, LANE_LINE));
        s.append(format("<text x=\"8\" y=\"%d\" font-size=\"13\" fill=\"%s\">%s</text>", top + (ROW + BAR) / 2 - 1, TEXT,
                Html.escape(Call.clientName(lane.client()))));
        for (Bar bar : lane.bars()) {
            drawBar(s, bar, top + bar.row() * ROW + (ROW - BAR) / 2, scene, axis);
        }
    }

    private static void drawBar(StringBuilder s, Bar bar, int y, Scene scene, Axis axis) {
        Call c = bar.call();
        Integer place = scene.order().get(c.id());
        boolean stuck = c.equals(scene.stuck());
        String fill = stuck ? STUCK_FILL : place != null ? PLACED_FILL : Html.FOLLOWER;
        String outline = stuck ? STUCK_OUTLINE : place != null ? PLACED_OUTLINE : OTHER_OUTLINE;
        double width = bar.right() - bar.left();
        s.append("<g>").append(title(barTitle(c, place, stuck, scene.marked())));
        s.append(format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>",
                bar.left(), y, width, BAR, fill, outline, stuck ? "2" : "1"));
        if (c.isUncertain()) {
            s.append(hatch(bar.left(), y, width, BAR));
            if (!c.isPending()) { // when its client gave up on it
                double x = axis.x(c.completed());
                s.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>", x, y - 2, x, y + BAR + 2, TEXT));
            }
        }
        s.append(format("<text x=\"%.1f\" y=\"%d\" fill=\"%s\">", bar.left() + 3, y + BAR / 2 + 4, TEXT));
        if (place != null) {
            s.append(format("<tspan font-weight=\"bold\">%d</tspan> ", place));
        }
        s.append(Html.escape(shorten(c.label(), LABEL_CHARS))).append("</text></g>");
    }

    /** The label as drawn, with its place in the order if it has one: for the width it takes. */
    private static String label(Call c, Scene scene) {
        Integer place = scene.order().get(c.id());
        return (place == null ? "" : place + " ") + shorten(c.label(), LABEL_CHARS);
    }

    private static String barTitle(Call c, Integer place, boolean stuck, boolean marked) {
        String role = stuck ? "cannot be placed"
                : place != null ? "number " + place + " in the longest order the checker found"
                : marked ? "not in the longest order the checker found" : "";
        String uncertain = c.isPending() ? "still pending: it may take effect at any time after its invocation, or never"
                : c.isUncertain() ? "outcome unknown: it may have taken effect at any time after its invocation, or never" : "";
        StringBuilder t = new StringBuilder(shorten(c.toString(), 300));
        for (String line : new String[] {role, uncertain}) {
            if (!line.isEmpty()) {
                t.append("\n").append(line);
            }
        }
        return t.toString();
    }

    private static void drawAxis(StringBuilder s, Axis axis, int y) {
        s.append(format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#424242\"/>", LEFT, y, WIDTH - RIGHT, y));
        long step = TimelineSvg.tickStep(axis.end() - axis.start());
        for (long time = (axis.start() + step - 1) / step * step; time <= axis.end(); time += step) {
            double x = axis.x(time);
            s.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#424242\"/>", x, y, x, y + 5));
            s.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>", x, y + 17, TEXT, TimelineSvg.tickLabel(time)));
        }
    }

    private static void drawLegend(StringBuilder s, int y, boolean marked) {
        double x = 8;
        if (marked) {
            x = legendSwatch(s, x, y, PLACED_FILL, PLACED_OUTLINE, "", "in the longest order found, numbered");
            x = legendSwatch(s, x, y, STUCK_FILL, STUCK_OUTLINE, "", "cannot be placed");
            x = legendSwatch(s, x, y, Html.FOLLOWER, OTHER_OUTLINE, "", "not in that order");
        } else {
            x = legendSwatch(s, x, y, Html.FOLLOWER, OTHER_OUTLINE, "", "completed");
        }
        legendSwatch(s, x, y, Html.FOLLOWER, OTHER_OUTLINE, hatch(x, y - 10, 12, 12), "unknown or pending: takes effect later, or never");
    }

    /** A square of {@code fill}, anything drawn over it, and its name; returns where the next item starts. */
    private static double legendSwatch(StringBuilder s, double x, int y, String fill, String outline, String over, String name) {
        s.append(format("<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"%s\"/>", x, y - 10, fill, outline)).append(over);
        s.append(format("<text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>", x + 16, y, TEXT, Html.escape(name)));
        return x + 16 + textWidth(name) + 14;
    }

    /**
     * Hatching over the rectangle at ({@code x}, {@code y}) of {@code width} by {@code height}: one
     * path of strokes rising to the right, each cut at the rectangle's edges. The strokes lie on the
     * lines x + y = k · spacing, the same for every rectangle, so neighbouring hatchings line up.
     */
    static String hatch(double x, double y, double width, double height) {
        StringBuilder d = new StringBuilder();
        double right = x + width;
        double bottom = y + height;
        for (long k = (long) Math.ceil((x + y) / HATCH_SPACING); k * HATCH_SPACING <= right + bottom; k++) {
            double c = k * HATCH_SPACING;
            double top = Math.max(y, c - right); // where the line x + y = c enters the rectangle...
            double low = Math.min(bottom, c - x); // ...and where it leaves it
            if (low > top) {
                d.append(format("M%.1f %.1fL%.1f %.1f", c - low, low, c - top, top));
            }
        }
        return d.length() == 0 ? ""
                : format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" opacity=\"0.35\"/>", d, HATCH_STROKE);
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private static String title(String text) {
        return "<title>" + Html.escape(text) + "</title>";
    }

    /** At most {@code chars} characters: values in a history can be long (a key appended to for a minute). */
    private static String shorten(String text, int chars) {
        if (text.codePointCount(0, text.length()) <= chars) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, chars - 1)) + "…";
    }

    private static double textWidth(String text) {
        return text.codePointCount(0, text.length()) * CHAR_WIDTH;
    }

    /** String.format with a fixed locale: a German default locale must not write coordinates as "12,5". */
    private static String format(String template, Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
