package harness.mutation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a mutant survives the graded suites, for the ones that do and should: read from
 * {@code harness/mutation/survivors.txt}, one line per mutant, {@code verdict | key | why}. The key
 * is {@link Mutant#key()}, free of line numbers, so one explanation serves every milestone that
 * copies the code. Only an {@code equivalent} mutant leaves the score; the others are survivors
 * the course chooses to keep, and say why.
 */
public record Explanations(Map<String, Explanation> byKey) {

    static final String RESOURCE = "/harness/mutation/survivors.txt";

    public enum Verdict {
        /** It behaves exactly as the original in every run: no test could tell them apart. */
        equivalent,
        /** Still correct Raft, only slower or chattier than any budget the course grades. */
        slower,
        /** A real difference the suites leave alone on purpose, with the reason. */
        gap
    }

    public record Explanation(Verdict verdict, String why) {
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
        Map<String, Explanation> byKey = new LinkedHashMap<>();
        int number = 0;
        for (String line : text.lines().toList()) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" \\| ", 3);
            if (f.length != 3) {
                throw new IllegalStateException(RESOURCE + " line " + number + ": expected \"verdict | key | why\", got: " + line);
            }
            Verdict verdict;
            try {
                verdict = Verdict.valueOf(f[0].strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + " line " + number + ": the verdict is equivalent, slower or gap, not \""
                        + f[0].strip() + "\"");
            }
            byKey.put(f[1].strip(), new Explanation(verdict, f[2].strip()));
        }
        return new Explanations(byKey);
    }

    /** The explanation of this mutant, or null if there is none. */
    public Explanation of(Mutant mutant) {
        return byKey.get(mutant.key());
    }
}
