package harness.mutation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why a mutant survives the graded suites, for the ones that do and should: read from
 * {@code harness/mutation/survivors.txt}, one line per mutant, {@code verdict | milestones | key | why}.
 * The key is {@link Mutant#key()}, free of line numbers, so one explanation can serve every
 * milestone that copies the code; the milestones ({@code 1}, {@code 2-5}, {@code 3,5}) say which
 * ones it was checked for, since the same change can be harmless in one and a bug in the next. Only an {@code equivalent} mutant leaves the score; the others are survivors
 * the course chooses to keep, and say why.
 */
public record Explanations(Map<String, List<Explanation>> byKey) {

    static final String RESOURCE = "/harness/mutation/survivors.txt";

    public enum Verdict {
        /** It behaves exactly as the original in every run: no test could tell them apart. */
        equivalent,
        /** Still correct Raft, only slower or chattier than any budget the course grades. */
        slower,
        /** A real difference the suites leave alone on purpose, with the reason. */
        gap
    }

    public record Explanation(Verdict verdict, Set<Integer> milestones, String why) {
    }

    /** The explanations the course ships. */
    public static Explanations shipped() {
        try (InputStream in = Explanations.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the harness has no " + RESOURCE + ": rebuild it");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Explanations parse(String text) {
        Map<String, List<Explanation>> byKey = new LinkedHashMap<>();
        int number = 0;
        for (String line : text.lines().toList()) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" \\| ", 4);
            if (f.length != 4) {
                throw new IllegalStateException(RESOURCE + " line " + number + ": expected \"verdict | milestones | key | why\", got: "
                        + line);
            }
            Verdict verdict;
            try {
                verdict = Verdict.valueOf(f[0].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + " line " + number + ": the verdict is equivalent, slower or gap, not \""
                        + f[0].strip() + "\"");
            }
            byKey.computeIfAbsent(f[2].strip(), k -> new ArrayList<>())
                    .add(new Explanation(verdict, milestones(f[1].strip(), number), f[3].strip()));
        }
        return new Explanations(byKey);
    }

    /** "1", "2-5" or "3,5": the milestones an explanation holds for. */
    private static Set<Integer> milestones(String text, int line) {
        Set<Integer> set = new TreeSet<>();
        try {
            for (String part : text.split(",")) {
                String[] range = part.strip().split("-");
                int from = Integer.parseInt(range[0].strip());
                int to = range.length == 2 ? Integer.parseInt(range[1].strip()) : from;
                for (int m = from; m <= to; m++) {
                    set.add(m);
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalStateException(RESOURCE + " line " + line + ": milestones are written 1, 2-5 or 3,5, not \"" + text + "\"");
        }
        return set;
    }

    /** The explanation of this mutant of milestone {@code milestone}, or null if there is none. */
    public Explanation of(Mutant mutant, int milestone) {
        return byKey.getOrDefault(mutant.key(), List.of()).stream()
                .filter(e -> e.milestones().contains(milestone)).findFirst().orElse(null);
    }
}
