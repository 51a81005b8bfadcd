package harness.observe;

import java.time.Duration;

/** How the course prints times: milliseconds with one decimal. */
public final class Time {
    private Time() {
    }

    /** "1234.5 ms". */
    public static String format(long micros) {
        long tenths = Math.round(micros / 100.0);
        return (tenths / 10) + "." + (tenths % 10) + " ms";
    }

    /** "   1234.5 ms": right-aligned, for the time column of traces and timelines. */
    public static String column(long micros) {
        String s = format(micros);
        return " ".repeat(Math.max(0, 12 - s.length())) + s;
    }

    /** "1.5 s" or "250 ms". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms >= 1000 && ms % 100 == 0) {
            return (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0)) + " s";
        }
        return ms + " ms";
    }
}
