package harness.grade;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Which seeds a randomized scenario runs: {@code -Draft.seed=S} replays seed S alone,
 * {@code -Draft.seeds=K} runs seeds 1 to K (a soak), or with {@code -Draft.seeds.from=S} the K seeds
 * from S ({@code ./course soak} hands each worker a slice), otherwise the scenario's own default count.
 * With {@code -Draft.seeds.secret=TEXT} (the autograder's hidden seeds) the seeds are not 1, 2, 3
 * but ten-digit numbers derived from the secret, as many as otherwise: a student cannot tune
 * their code to seeds they do not know, and a failing one still replays with {@code --seed}.
 */
public final class Seeds {

    public static final String ONE = "raft.seed";
    public static final String MANY = "raft.seeds";
    public static final String SECRET = "raft.seeds.secret";
    public static final String FROM = "raft.seeds.from";

    private Seeds() {
    }

    public static List<Long> forScenario(int defaultCount) {
        String one = System.getProperty(ONE, "").strip();
        if (!one.isEmpty()) {
            return List.of(parse(ONE, one));
        }
        String many = System.getProperty(MANY, "").strip();
        long count;
        if (many.isEmpty()) {
            if (defaultCount < 1) {
                throw new IllegalArgumentException("a randomized scenario runs at least one seed, not " + defaultCount
                        + ": fix the seeds of its @Graded annotation");
            }
            count = defaultCount;
        } else {
            count = parse(MANY, many);
            if (count < 1) {
                throw new IllegalArgumentException("-D" + MANY + " must be at least 1, got " + count);
            }
        }
        String from = System.getProperty(FROM, "").strip();
        long first = from.isEmpty() ? 1 : parse(FROM, from);
        String secret = System.getProperty(SECRET, "");
        if (!secret.isEmpty()) {
            return LongStream.range(first, first + count).map(i -> hidden(secret, i)).boxed().toList();
        }
        return LongStream.range(first, first + count).boxed().toList();
    }

    /** The i-th hidden seed of a secret: ten digits, from a SHA-256 of the secret and i. */
    static long hidden(String secret, long i) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((secret + "#" + i).getBytes(StandardCharsets.UTF_8));
            return 1_000_000_000L + Math.floorMod(ByteBuffer.wrap(hash).getLong(), 9_000_000_000L);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static long parse(String property, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + " takes a whole number, not \"" + value + "\"", e);
        }
    }
}
