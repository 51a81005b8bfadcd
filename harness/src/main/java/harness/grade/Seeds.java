package harness.grade;

import java.util.List;
import java.util.stream.LongStream;

/**
 * Which seeds a randomized scenario runs: {@code -Draft.seed=S} replays seed S alone,
 * {@code -Draft.seeds=K} runs seeds 1 to K (a soak), otherwise the scenario's own default count.
 */
public final class Seeds {

    public static final String ONE = "raft.seed";
    public static final String MANY = "raft.seeds";

    private Seeds() {
    }

    public static List<Long> forScenario(int defaultCount) {
        String one = System.getProperty(ONE, "").strip();
        if (!one.isEmpty()) {
            return List.of(parse(ONE, one));
        }
        String many = System.getProperty(MANY, "").strip();
        if (many.isEmpty()) {
            if (defaultCount < 1) {
                throw new IllegalArgumentException("a randomized scenario runs at least one seed, not " + defaultCount
                        + ": fix the seeds of its @Graded annotation");
            }
            return LongStream.rangeClosed(1, defaultCount).boxed().toList();
        }
        long count = parse(MANY, many);
        if (count < 1) {
            throw new IllegalArgumentException("-D" + MANY + " must be at least 1, got " + count);
        }
        return LongStream.rangeClosed(1, count).boxed().toList();
    }

    private static long parse(String property, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + " takes a whole number, not \"" + value + "\"", e);
        }
    }
}
