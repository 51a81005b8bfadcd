package harness.mutation;

import harness.cluster.Implementations;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notes' survivors pages record mutation runs of the milestones' code as it is: a change to a
 * milestone's raft package that alters its mutants makes its page stale, and this test says which
 * run to redo. (The run takes minutes, so the build checks the fingerprint, not the run.)
 */
class SurvivorsPageTest {

    private static final Path ROOT = Implementations.courseRoot();

    @Test
    void everyBuiltMilestoneHasAPageRecordingItsCurrentCode() throws IOException {
        List<String> problems = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            int milestone = n;
            var module = Implementations.referenceModule(ROOT, n);
            if (module.isEmpty()) {
                continue;
            }
            Path page = ROOT.resolve("docs/src/docs/asciidoc/mutants/milestone-" + n + ".adoc");
            MutationRun run = new MutationRun(new MutationRun.Settings(n, module.get(), 1, null, null, null, null), System.out);
            String now = SurvivorsPage.fingerprint(run.mutants());
            if (!Files.exists(page)) {
                problems.add("milestone " + milestone + " has no survivors page: run ./course mutants " + milestone + " --record");
                continue;
            }
            String recorded = SurvivorsPage.recordedFingerprint(Files.readString(page));
            if (!now.equals(recorded)) {
                problems.add(ROOT.relativize(page) + " records a run of other code (" + recorded + "; the code now has " + now
                        + "): run ./course mutants " + milestone + " --record");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theFingerprintChangesWithTheCode() {
        List<Mutant> a = Mutator.mutants("raft/A.java", "class A { boolean f(int x) { return x > 1; } }");
        List<Mutant> b = Mutator.mutants("raft/A.java", "class A { boolean f(int x) { return x >= 1; } }");
        List<Mutant> c = Mutator.mutants("raft/A.java", "class A {\n  // a comment moves nothing that matters\n  boolean f(int x) { return x > 1; } }");
        assertEquals(SurvivorsPage.fingerprint(a), SurvivorsPage.fingerprint(c));
        assertTrue(!SurvivorsPage.fingerprint(a).equals(SurvivorsPage.fingerprint(b)));
        assertEquals(SurvivorsPage.fingerprint(a), SurvivorsPage.recordedFingerprint("x\n" + SurvivorsPage.FINGERPRINT
                + SurvivorsPage.fingerprint(a) + "\ny"));
    }
}
