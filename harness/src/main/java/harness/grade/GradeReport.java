package harness.grade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import harness.api.Rule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a grading run: one row per graded scenario, printed as a table and written in
 * the Gradescope autograder format ({@code results.json}: a total score and one entry per test).
 */
public final class GradeReport {

    /** One graded scenario: it earns its points only if every seed passed. */
    public record Row(String suite, String title, String method, int points, Rule rule, int runs, List<String> failures) {
        public boolean passed() {
            return runs > 0 && failures.isEmpty();
        }

        public int score() {
            return passed() ? points : 0;
        }

        /** Whether it failed only because its own script did not happen ({@link SetUpFailed}): no rule was judged. */
        public boolean failedSetUpOnly() {
            return !failures.isEmpty() && failures.stream().allMatch(SetUpFailed::reported);
        }
    }

    private final String subject;
    private final List<Row> rows;
    private final double seconds;
    private final String notAGrade;

    public GradeReport(String subject, List<Row> rows, double seconds) {
        this(subject, rows, seconds, null);
    }

    /**
     * @param notAGrade why this run is not the grade of the code, such as "only ElectionSuite.reElection"
     *                  (a replay, a soak, one scenario, a bug-zoo variant), or null for a grading run
     */
    public GradeReport(String subject, List<Row> rows, double seconds, String notAGrade) {
        this.subject = subject;
        this.rows = List.copyOf(rows);
        this.seconds = seconds;
        this.notAGrade = notAGrade;
    }

    /** Why this run is not a grade, or null if it is one. */
    public String notAGrade() {
        return notAGrade;
    }

    public List<Row> rows() {
        return rows;
    }

    public int score() {
        return rows.stream().mapToInt(Row::score).sum();
    }

    public int maxScore() {
        return rows.stream().mapToInt(Row::points).sum();
    }

    public boolean allPassed() {
        return rows.stream().allMatch(Row::passed);
    }

    /** The grade table: one line per scenario, grouped by suite, with the total. */
    public String table() {
        StringBuilder s = new StringBuilder();
        s.append("\nGrade for ").append(subject).append('\n');
        for (Map.Entry<String, List<Row>> suite : bySuite().entrySet()) {
            int got = suite.getValue().stream().mapToInt(Row::score).sum();
            int max = suite.getValue().stream().mapToInt(Row::points).sum();
            s.append(String.format(Locale.ROOT, "%n  %s  %d/%d%n", suite.getKey(), got, max));
            for (Row r : suite.getValue()) {
                String runs = r.passed() ? (r.runs() == 1 ? "1 run" : r.runs() + " seeds") : failedSummary(r);
                s.append(String.format(Locale.ROOT, "    %s %3d/%-3d %-12s %-15s %s%n", r.passed() ? "PASS" : "FAIL", r.score(), r.points(),
                        runs, r.failedSetUpOnly() ? "set-up" : r.rule().section(), r.title()));
            }
        }
        s.append(String.format(Locale.ROOT, "%n  Total  %d/%d points  (%.1f s)%n", score(), maxScore(), seconds));
        if (notAGrade != null) {
            s.append("  Not a grade: ").append(notAGrade).append('\n');
        }
        return s.toString();
    }

    private static String failedSummary(Row r) {
        if (r.runs() == 0) return "did not run";
        return r.failures().size() + "/" + r.runs() + " failed";
    }

    /**
     * The first failure report of every failing scenario, under a heading with its suite. A
     * graded failure's report opens with the scenario's title (its rule, title and seed), so the
     * heading names the scenario only when the report does not.
     */
    public String failureDetails() {
        StringBuilder s = new StringBuilder();
        for (Row r : rows) {
            if (!r.passed()) {
                String failure = r.failures().isEmpty() ? "did not run\n" : r.failures().get(0);
                s.append("\n──── FAIL: ").append(r.suite());
                if (!failure.lines().findFirst().orElse("").contains(r.title())) {
                    s.append(" · ").append(r.title());
                }
                s.append('\n').append(failure).append('\n');
            }
        }
        return s.toString();
    }

    private Map<String, List<Row>> bySuite() {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) groups.computeIfAbsent(r.suite(), k -> new ArrayList<>()).add(r);
        return groups;
    }

    /** Writes the Gradescope {@code results.json}. */
    public void writeGradescope(Path file) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("score", score());
        root.put("max_score", maxScore());
        root.put("execution_time", Math.round(seconds));
        root.put("output", notAGrade == null ? "Graded " + subject + ": " + score() + "/" + maxScore() + " points."
                : "Not a grade (" + notAGrade + "): " + subject + " scored " + score() + "/" + maxScore() + " points in this run.");
        root.put("stdout_visibility", "visible");
        ArrayNode tests = root.putArray("tests");
        int suiteNumber = 0;
        for (Map.Entry<String, List<Row>> suite : bySuite().entrySet()) {
            suiteNumber++;
            int testNumber = 0;
            for (Row r : suite.getValue()) {
                ObjectNode t = tests.addObject();
                t.put("name", suite.getKey() + ": " + r.title());
                t.put("number", suiteNumber + "." + (++testNumber));
                t.put("score", r.score());
                t.put("max_score", r.points());
                t.put("status", r.passed() ? "passed" : "failed");
                t.put("output", r.passed()
                        ? "Passed " + r.rule().label() + " on " + r.runs() + (r.runs() == 1 ? " run." : " seeds.")
                        : (r.failures().isEmpty() ? "Did not run." : r.failures().get(0)));
                t.putArray("tags").add(r.rule().section()).add(r.rule().title());
                t.put("visibility", "visible");
            }
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = parent.resolve(file.getFileName() + ".tmp"); // a reader never sees half a file
            json.writeValue(partial.toFile(), root);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the grade file " + file + ": " + e.getMessage(), e);
        }
    }
}
