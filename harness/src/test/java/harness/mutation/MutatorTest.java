package harness.mutation;

import harness.mutation.Mutant.Operator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MutatorTest {

    private static final String SOURCE = """
            package raft;

            import java.util.List;

            final class Sample {
                private final List<Long> terms = new java.util.ArrayList<>();
                private long commitIndex;

                boolean caughtUp(long match, long index) {
                    String why = "a < b && c"; // a comparison in a string: no mutant
                    return match >= index && !terms.isEmpty();
                }

                void advance(long leaderCommit) {
                    if (leaderCommit > commitIndex) {
                        commitIndex = Math.min(leaderCommit, terms.size() + 1);
                    }
                    terms.add(commitIndex - 1);
                    commitIndex++;
                    log("advanced to " + commitIndex);
                }

                private void log(String text) {
                }
            }
            """;

    private final List<Mutant> mutants = Mutator.mutants("raft/Sample.java", SOURCE);

    @Test
    void findsEachKindOfChangeAtItsPlaceAndNothingInGenericsOrText() {
        assertEquals(List.of(
                "caughtUp AND_OR return match >= index || !terms.isEmpty();",
                "caughtUp BOUNDARY return match > index && !terms.isEmpty();",
                "caughtUp NEGATE return match < index && !terms.isEmpty();",
                "caughtUp DROP_NOT return match >= index && terms.isEmpty();",
                "advance BOUNDARY if (leaderCommit >= commitIndex) {",
                "advance NEGATE if (leaderCommit <= commitIndex) {",
                "advance DROP_ASSIGNMENT ;",
                "advance MATH commitIndex = Math.min(leaderCommit, terms.size() - 1);",
                "advance OFF_BY_ONE commitIndex = Math.min(leaderCommit, terms.size());",
                "advance DROP_CALL ;",
                "advance MATH terms.add(commitIndex + 1);",
                "advance OFF_BY_ONE terms.add(commitIndex);",
                "advance INCREMENT commitIndex--;",
                "advance DROP_CALL ;"), mutants.stream().map(m -> m.method() + " " + m.operator() + " " + m.lineAfter()).toList());
    }

    @Test
    void aMutantChangesOnlyItsOwnTokens() {
        Mutant negate = mutants.get(5);
        String mutated = negate.apply(SOURCE);
        assertTrue(mutated.contains("if (leaderCommit <= commitIndex) {"));
        assertEquals(SOURCE, mutated.replace("leaderCommit <= commitIndex", "leaderCommit > commitIndex"));
        assertEquals(15, negate.line());
        assertEquals("Sample.java:15", negate.where());
    }

    @Test
    void keysCarryNoLineNumberSoExplanationsSurviveEditsAbove() {
        List<Mutant> shifted = Mutator.mutants("raft/Sample.java", SOURCE.replace("import java.util.List;", "import java.util.List;\n\n"));
        assertEquals(mutants.stream().map(Mutant::key).toList(), shifted.stream().map(Mutant::key).toList());
        assertEquals(mutants.get(5).line() + 2, shifted.get(5).line());
        assertEquals("Sample.java advance NEGATE \">\" → \"<=\"", mutants.get(5).key());
    }

    @Test
    void theSameChangeTwiceInOneMethodIsNumbered() {
        List<Mutant> drops = mutants.stream().filter(m -> m.operator() == Operator.DROP_CALL).toList();
        assertEquals(2, drops.size());
        assertFalse(drops.get(0).key().contains("#"));
        assertEquals(List.of("T.java f INCREMENT \"++\" → \"--\"", "T.java f INCREMENT \"++\" → \"--\" #2"),
                Mutator.mutants("raft/T.java", "class T { void f(int a) { a++; a++; } }").stream().map(Mutant::key).toList());
    }

    @Test
    void explanationsHoldForTheMilestonesTheyName() {
        Explanations e = Explanations.parse("""
                # a comment
                equivalent | 1 | Sample.java advance NEGATE ">" → "<=" | harmless in milestone 1
                gap | 2-3,5 | Sample.java advance NEGATE ">" → "<=" | left alone
                """);
        Mutant m = mutants.get(5);
        assertEquals(Explanations.Verdict.equivalent, e.of(m, 1).verdict());
        assertEquals(Explanations.Verdict.gap, e.of(m, 3).verdict());
        assertNull(e.of(m, 4));
        assertTrue(assertThrows(IllegalStateException.class, () -> Explanations.parse("maybe | 1 | k | why")).getMessage()
                .contains("equivalent, slower or gap"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Explanations.parse("gap | one | k | why")).getMessage()
                .contains("1, 2-5 or 3,5"));
    }

    @Test
    void theShippedExplanationsParse() {
        assertFalse(Explanations.shipped().byKey().isEmpty());
    }
}
