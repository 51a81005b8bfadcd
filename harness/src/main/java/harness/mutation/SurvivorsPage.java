package harness.mutation;

import harness.mutation.Explanations.Explanation;
import harness.mutation.MutantWorker.Status;
import harness.mutation.MutationRun.Result;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The notes' record of one milestone's mutation run ({@code ./course mutants N --record}): the
 * score, and every survivor with its change and why it survives. The page starts with a
 * fingerprint of the milestone's mutants, so the build can tell when the code has changed since
 * the run it records (see {@link #fingerprint}).
 */
public final class SurvivorsPage {

    static final String FINGERPRINT = "// mutants fingerprint: ";

    private SurvivorsPage() {
    }

    /** A digest of every mutant's key, in order: it changes whenever the mutable code does. */
    public static String fingerprint(List<Mutant> mutants) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Mutant m : mutants) {
                sha.update((m.key() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return mutants.size() + " mutants, sha-256 " + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The fingerprint a recorded page was made from, or null if it has none. */
    public static String recordedFingerprint(String page) {
        return page.lines().filter(l -> l.startsWith(FINGERPRINT)).map(l -> l.substring(FINGERPRINT.length()).strip())
                .findFirst().orElse(null);
    }

    static String adoc(int milestone, List<Mutant> mutants, List<Result> results, Explanations explanations, Score score,
                       String took) {
        StringBuilder s = new StringBuilder();
        s.append("// Written by ./course mutants ").append(milestone).append(" --record: do not edit by hand.\n");
        s.append(FINGERPRINT).append(fingerprint(mutants)).append('\n');
        s.append("Milestone ").append(milestone).append(": ").append(score.total()).append(" mutants, ").append(score.stillborn())
                .append(" of which do not compile. Of the ").append(score.total() - score.stillborn()).append(" graded, ")
                .append(score.killed()).append(" are killed (").append(score.timedOut()).append(" by the time limit) and ")
                .append(score.survived()).append(" survive: ").append(score.equivalent()).append(" equivalent, ")
                .append(score.slower()).append(" slower, ").append(score.gap()).append(" gaps left on purpose")
                .append(score.unexplained() > 0 ? ", " + score.unexplained() + " unexplained" : "").append(". *Score: ")
                .append(score.killed()).append(" of ").append(score.nonEquivalent()).append(" non-equivalent mutants killed, ")
                .append(String.format("%.1f%%", score.percent())).append("*, in ").append(took).append(".\n\n");
        List<Result> survivors = results.stream().filter(r -> r.answer().status() == Status.SURVIVED).toList();
        if (survivors.isEmpty()) {
            return s.append("No mutant survives.\n").toString();
        }
        s.append("[cols=\"3,7,1,6\",options=\"header\"]\n|===\n| Where | Change | Verdict | Why it survives\n");
        for (Result r : survivors) {
            Mutant m = r.mutant();
            Explanation why = explanations.of(m, milestone);
            s.append("\n| ").append(m.where()).append(" in `").append(m.method()).append("`\n| `- ").append(cell(m.lineBefore()))
                    .append("` +\n`+ ").append(cell(m.lineAfter())).append("`\n| ")
                    .append(why == null ? "unexplained" : why.verdict().name()).append("\n| ")
                    .append(why == null ? "" : cell(why.why())).append('\n');
        }
        return s.append("|===\n").toString();
    }

    /** Text safe in a table cell and in inline code: no cell separators, no backquotes. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("`", "'");
    }

    /** The counts a run comes to. */
    record Score(long total, long stillborn, long killed, long timedOut, long survived, long equivalent, long slower, long gap,
                 long unexplained) {
        long nonEquivalent() {
            return total - stillborn - equivalent;
        }

        double percent() {
            return nonEquivalent() == 0 ? 100.0 : 100.0 * killed / nonEquivalent();
        }
    }
}
