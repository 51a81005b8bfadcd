package notes.figure16;

import harness.display.Html;
import notes.figure16.Experiment.Setting;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One graph of Figure 16 as a self-contained SVG: for each setting, the cumulative distribution of
 * the time without a leader, the percentage of trials that had a new leader by each time. A curve
 * that rises early and steeply is a setting that recovers fast and reliably.
 *
 * <p>Trials that had their leader only after the right edge of the graph, or never (they gave up),
 * keep their curve from reaching 100%; the legend says how many there were. The same outcomes
 * always give the same bytes: coordinates are written with a fixed locale and one decimal.
 */
public final class CdfChart {

    private static final int WIDTH = 700;
    private static final int HEIGHT = 300;
    // The plot area, with room on the left for the percentages, below for the times, right for the legend.
    private static final int LEFT = 62;
    private static final int RIGHT = 496;
    private static final int TOP = 38;
    private static final int BOTTOM = 248;
    private static final int LEGEND_X = 514;
    private static final int MAX_X_TICKS = 8;

    private static final String TEXT = "#212121";
    private static final String NOTE = "#616161";
    private static final String GRID = "#e0e0e0";
    private static final String FRAME = "#424242";
    /**
     * Okabe and Ito's colours, which colour-blind readers tell apart too (their yellow left out: too
     * pale on white), ordered so that the two oranges and the two blues are used far apart.
     */
    private static final String[] COLOURS = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#000000", "#56b4e9", "#e69f00"};

    private CdfChart() {
    }

    /**
     * The graph of {@code outcomes}, one curve per setting in the map's order, with times from 0 to
     * {@code xMaxMs}; curves are cut off at the right edge.
     */
    public static String svg(String title, Map<Setting, Outcome> outcomes, double xMaxMs) {
        if (!(xMaxMs > 0 && Double.isFinite(xMaxMs))) {
            throw new IllegalArgumentException("the time axis needs a positive, finite length, not " + xMaxMs + " ms");
        }
        if (outcomes.size() > COLOURS.length) {
            throw new IllegalArgumentException("at most " + COLOURS.length + " settings fit in one graph, not " + outcomes.size());
        }
        StringBuilder s = new StringBuilder();
        s.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"11\">", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"); // readable on a dark page too
        s.append(format("<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\" fill=\"%s\">%s</text>",
                LEFT, TEXT, Html.escape(title)));
        drawTimeAxis(s, xMaxMs);
        drawPercentAxis(s);
        s.append(format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"%s\"/>",
                LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP, FRAME));
        drawCurvesAndLegend(s, outcomes, xMaxMs);
        return s.append("</svg>").toString();
    }

    /** The curves go on top of the grid, each setting in its colour, the same in its legend entry. */
    private static void drawCurvesAndLegend(StringBuilder s, Map<Setting, Outcome> outcomes, double xMaxMs) {
        int index = 0;
        double legendY = TOP + 10;
        for (Map.Entry<Setting, Outcome> entry : outcomes.entrySet()) {
            String colour = COLOURS[index++];
            drawCurve(s, entry.getKey(), entry.getValue(), xMaxMs, colour);
            legendY = drawLegendEntry(s, legendY, entry.getKey(), entry.getValue(), xMaxMs, colour);
        }
    }

    // ---- Axes ----------------------------------------------------------------------------------

    /** Ticks at round times (1, 2 or 5 times a power of ten apart), a vertical grid line at each. */
    private static void drawTimeAxis(StringBuilder s, double xMaxMs) {
        BigDecimal step = tickStep(xMaxMs);
        for (BigDecimal tick = BigDecimal.ZERO; tick.doubleValue() <= xMaxMs; tick = tick.add(step)) {
            double x = x(tick.doubleValue(), xMaxMs);
            s.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>", x, TOP, x, BOTTOM, GRID));
            s.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>", x, BOTTOM, x, BOTTOM + 4, FRAME));
            s.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>", x, BOTTOM + 16, TEXT, plain(tick)));
        }
        s.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"%s\">time without leader (ms)</text>",
                (LEFT + RIGHT) / 2, BOTTOM + 36, TEXT));
    }

    /** 0 to 100 percent, every 20. */
    private static void drawPercentAxis(StringBuilder s) {
        for (int percent = 0; percent <= 100; percent += 20) {
            double y = y(percent / 100.0);
            s.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>", LEFT, y, RIGHT, y, GRID));
            s.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>", LEFT - 4, y, LEFT, y, FRAME));
            s.append(format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%d</text>", LEFT - 7, y + 4, TEXT, percent));
        }
        int middle = (TOP + BOTTOM) / 2;
        s.append(format("<text x=\"20\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"%s\" transform=\"rotate(-90 20 %d)\">"
                + "cumulative percent</text>", middle, TEXT, middle));
    }

    /** The smallest of 1, 2 or 5 times a power of ten that puts at most {@link #MAX_X_TICKS} ticks after 0. */
    private static BigDecimal tickStep(double xMaxMs) {
        for (int exponent = -3; ; exponent++) {
            for (int multiple : new int[] {1, 2, 5}) {
                BigDecimal step = BigDecimal.valueOf(multiple).scaleByPowerOfTen(exponent);
                if (xMaxMs / step.doubleValue() <= MAX_X_TICKS) {
                    return step;
                }
            }
        }
    }

    // ---- Curves --------------------------------------------------------------------------------

    /**
     * The empirical distribution as a staircase: flat between two trials' times, one step of
     * 1/trials up at each. It starts at 0% at the first time, ends at the right edge, and leaves
     * out what lies beyond it.
     */
    private static void drawCurve(StringBuilder s, Setting setting, Outcome outcome, double xMaxMs, String colour) {
        if (outcome.trials() == 0) {
            return; // nothing to draw: its legend entry says why
        }
        Staircase line = new Staircase();
        List<Double> times = outcome.times();
        line.to(x(times.isEmpty() ? 0 : Math.min(times.get(0), xMaxMs), xMaxMs), y(0));
        for (int i = 0; i < times.size() && times.get(i) <= xMaxMs; i++) {
            double x = x(times.get(i), xMaxMs);
            line.to(x, y((double) i / outcome.trials()));
            line.to(x, y((double) (i + 1) / outcome.trials()));
        }
        line.to(RIGHT, y(outcome.fractionWithin(xMaxMs)));
        s.append(format("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" stroke-linejoin=\"round\">",
                line.points(), colour));
        s.append("<title>").append(Html.escape(setting.label() + ": median " + ms(outcome.median()))).append("</title></polyline>");
    }

    /**
     * The vertices of a polyline in tenths of a pixel. A staircase of 1000 trials has 2000
     * vertices, most of them in straight runs (steps closer together than a tenth of a pixel, long
     * flats); a vertex that only carries a horizontal or vertical run on replaces the run's end.
     */
    private static final class Staircase {
        private final List<long[]> vertices = new ArrayList<>();

        void to(double x, double y) {
            long[] next = {Math.round(x * 10), Math.round(y * 10)};
            int n = vertices.size();
            if (n > 0 && Arrays.equals(vertices.get(n - 1), next)) {
                return;
            }
            if (n > 1 && straight(vertices.get(n - 2), vertices.get(n - 1), next)) {
                vertices.set(n - 1, next); // the staircase only goes right and up, so a straight run goes on the same way
            } else {
                vertices.add(next);
            }
        }

        private static boolean straight(long[] a, long[] b, long[] c) {
            return (a[0] == b[0] && b[0] == c[0]) || (a[1] == b[1] && b[1] == c[1]);
        }

        String points() {
            List<String> points = new ArrayList<>();
            for (long[] v : vertices) {
                points.add(tenths(v[0]) + "," + tenths(v[1]));
            }
            return String.join(" ", points);
        }

        private static String tenths(long value) {
            return BigDecimal.valueOf(value, 1).toPlainString();
        }
    }

    // ---- Legend --------------------------------------------------------------------------------

    /**
     * A line in the setting's colour and its label; below it, in grey, the share of trials the
     * curve cannot show: those that had their leader after the right edge and those that gave up.
     * Returns where the next entry goes.
     */
    private static double drawLegendEntry(StringBuilder s, double y, Setting setting, Outcome outcome, double xMaxMs, String colour) {
        s.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>",
                LEGEND_X, y - 4, LEGEND_X + 22, y - 4, colour));
        s.append(format("<text x=\"%d\" y=\"%.1f\" font-size=\"12\" fill=\"%s\">%s</text>",
                LEGEND_X + 28, y, TEXT, Html.escape(setting.label())));
        for (String note : notes(outcome, xMaxMs)) {
            y += 13;
            s.append(format("<text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"%s\">%s</text>",
                    LEGEND_X + 28, y, NOTE, Html.escape(note)));
        }
        return y + 19;
    }

    private static List<String> notes(Outcome outcome, double xMaxMs) {
        List<String> notes = new ArrayList<>();
        long later = outcome.times().stream().filter(t -> t > xMaxMs).count();
        if (later > 0) {
            notes.add(percent(later, outcome.trials()) + " after " + plain(BigDecimal.valueOf(xMaxMs)) + " ms");
        }
        if (outcome.failures() > 0) {
            notes.add(percent(outcome.failures(), outcome.trials()) + " no leader in " + Experiment.GIVE_UP.toSeconds() + " s");
        }
        if (outcome.leaderless() > 0) {
            notes.add(outcome.leaderless() == 1 ? "no first leader in " + Experiment.GIVE_UP.toSeconds() + " s"
                    : outcome.leaderless() + " clusters: no first leader");
        }
        return notes;
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private static double x(double ms, double xMaxMs) {
        return LEFT + (RIGHT - LEFT) * ms / xMaxMs;
    }

    private static double y(double fraction) {
        return BOTTOM - (BOTTOM - TOP) * fraction;
    }

    /** "12.5%", "0.1%", "100%". */
    private static String percent(long part, int whole) {
        return plain(BigDecimal.valueOf(100.0 * part / whole).setScale(1, RoundingMode.HALF_UP)) + "%";
    }

    private static String ms(double value) {
        return Double.isInfinite(value) ? "more than " + Experiment.GIVE_UP.toSeconds() + " s" : format("%.1f ms", value);
    }

    /** "600", "0.5": without trailing zeros or an exponent. */
    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    /** String.format with a fixed locale, so that no default locale writes coordinates as "12,5". */
    private static String format(String template, Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
