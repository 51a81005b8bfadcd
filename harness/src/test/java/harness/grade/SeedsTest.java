package harness.grade;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedsTest {

    private String savedOne;
    private String savedMany;
    private String savedSecret;
    private String savedFrom;

    @BeforeEach
    void save() {
        savedOne = System.getProperty(Seeds.ONE);
        savedMany = System.getProperty(Seeds.MANY);
        savedSecret = System.getProperty(Seeds.SECRET);
        savedFrom = System.getProperty(Seeds.FROM);
        System.clearProperty(Seeds.FROM);
        System.clearProperty(Seeds.ONE);
        System.clearProperty(Seeds.MANY);
        System.clearProperty(Seeds.SECRET);
    }

    @AfterEach
    void restore() {
        restore(Seeds.ONE, savedOne);
        restore(Seeds.MANY, savedMany);
        restore(Seeds.SECRET, savedSecret);
        restore(Seeds.FROM, savedFrom);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void aSoakWorkerRunsItsSliceOfSeeds() {
        System.setProperty(Seeds.MANY, "3");
        System.setProperty(Seeds.FROM, "4436");
        assertEquals(List.of(4436L, 4437L, 4438L), Seeds.forScenario(5));
    }

    @Test
    void thePropertyNames() {
        assertEquals("raft.seed", Seeds.ONE);
        assertEquals("raft.seeds", Seeds.MANY);
    }

    @Test
    void withoutPropertiesAScenarioRunsItsDefaultCountFromSeedOne() {
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), Seeds.forScenario(5));
        assertEquals(List.of(1L), Seeds.forScenario(1));
    }

    @Test
    void raftSeedReplaysOneSeed() {
        System.setProperty(Seeds.ONE, "42");
        assertEquals(List.of(42L), Seeds.forScenario(5));
        System.setProperty(Seeds.ONE, "  -7 ");
        assertEquals(List.of(-7L), Seeds.forScenario(5), "any long, surrounding blanks ignored");
    }

    @Test
    void raftSeedsRunsThatManySeeds() {
        System.setProperty(Seeds.MANY, "3");
        assertEquals(List.of(1L, 2L, 3L), Seeds.forScenario(10));
    }

    @Test
    void raftSeedWinsOverRaftSeeds() {
        System.setProperty(Seeds.MANY, "100");
        System.setProperty(Seeds.ONE, "9");
        assertEquals(List.of(9L), Seeds.forScenario(5));
    }

    @Test
    void blankPropertiesAreIgnored() {
        System.setProperty(Seeds.ONE, "   ");
        System.setProperty(Seeds.MANY, "");
        assertEquals(List.of(1L, 2L), Seeds.forScenario(2));
    }

    @Test
    void aSeedThatIsNotANumberIsAClearError() {
        System.setProperty(Seeds.ONE, "abc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seeds.forScenario(5));
        assertEquals("-Draft.seed takes a whole number, not \"abc\"", e.getMessage());
        assertInstanceOf(NumberFormatException.class, e.getCause());

        System.setProperty(Seeds.ONE, "1.5");
        assertEquals("-Draft.seed takes a whole number, not \"1.5\"",
                assertThrows(IllegalArgumentException.class, () -> Seeds.forScenario(5)).getMessage());
    }

    @Test
    void aSeedCountThatIsNotANumberIsAClearError() {
        System.setProperty(Seeds.MANY, "lots");
        assertEquals("-Draft.seeds takes a whole number, not \"lots\"",
                assertThrows(IllegalArgumentException.class, () -> Seeds.forScenario(5)).getMessage());
    }

    @Test
    void aSeedCountBelowOneIsAClearError() {
        System.setProperty(Seeds.MANY, "0");
        assertEquals("-Draft.seeds must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Seeds.forScenario(5)).getMessage());
        System.setProperty(Seeds.MANY, "-3");
        assertEquals("-Draft.seeds must be at least 1, got -3",
                assertThrows(IllegalArgumentException.class, () -> Seeds.forScenario(5)).getMessage());
    }

    @Test
    void hiddenSeedsAreTenDigitsDerivedFromTheSecretAsManyAsOtherwise() {
        System.setProperty(Seeds.SECRET, "spring term");
        List<Long> hidden = Seeds.forScenario(5);
        assertEquals(5, hidden.size());
        assertEquals(5, hidden.stream().distinct().count());
        hidden.forEach(seed -> assertEquals(10, Long.toString(seed).length(), "ten digits: " + seed));
        assertEquals(hidden, Seeds.forScenario(5), "the same secret gives the same seeds: a failure replays");
        assertEquals(Seeds.hidden("spring term", 1), hidden.get(0));

        System.setProperty(Seeds.MANY, "8");
        assertEquals(hidden, Seeds.forScenario(5).subList(0, 5), "--seeds K grades K hidden seeds, the first ones the same");
        System.setProperty(Seeds.SECRET, "autumn term");
        assertTrue(Seeds.forScenario(5).stream().noneMatch(hidden::contains), "another secret, other seeds");
        System.setProperty(Seeds.ONE, "42");
        assertEquals(List.of(42L), Seeds.forScenario(5), "a replay of one seed wins over the secret");
    }
}
