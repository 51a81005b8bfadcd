package harness.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConditionsTest {

    private static String rejection(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void probabilitiesOutsideZeroToOneAreRejectedByName() {
        Conditions c = Conditions.reliable();
        assertEquals("the drop rate is a probability between 0 and 1, got 1.5", rejection(() -> c.withDropRate(1.5)));
        assertEquals("the drop rate is a probability between 0 and 1, got -0.1", rejection(() -> c.withDropRate(-0.1)));
        assertEquals("the duplicate rate is a probability between 0 and 1, got 2.0", rejection(() -> c.withDuplicateRate(2)));
        assertEquals("the reorder rate is a probability between 0 and 1, got -1.0",
                rejection(() -> c.withReordering(-1, Duration.ofMillis(10))));
        assertEquals("the drop rate is a probability between 0 and 1, got NaN", rejection(() -> c.withDropRate(Double.NaN)));
    }

    @Test
    void theBoundsZeroAndOneAreProbabilities() {
        Conditions c = Conditions.reliable().withDropRate(0).withDropRate(1).withDuplicateRate(1).withReordering(1, Duration.ZERO);
        assertEquals(1.0, c.dropRate());
        assertEquals(1.0, c.duplicateRate());
        assertEquals(1.0, c.reorderRate());
    }

    @Test
    void latencyMustSatisfyZeroAtMostMinAtMostMax() {
        Conditions c = Conditions.reliable();
        assertEquals("latency must satisfy 0 <= min <= max, got 5–1 ms",
                rejection(() -> c.withLatency(Duration.ofMillis(5), Duration.ofMillis(1))));
        assertEquals("latency must satisfy 0 <= min <= max, got -1–1 ms",
                rejection(() -> c.withLatency(Duration.ofMillis(-1), Duration.ofMillis(1))));
        assertEquals(Duration.ZERO, c.withLatency(Duration.ZERO, Duration.ZERO).maxLatency());
    }

    @Test
    void aNegativeReorderDelayIsRejected() {
        assertEquals("the reorder delay cannot be negative",
                rejection(() -> Conditions.reliable().withReordering(0.5, Duration.ofMillis(-1))));
    }

    @Test
    void presetsAndDescriptions() {
        assertEquals("latency 1–5 ms", Conditions.reliable().toString());
        Conditions u = Conditions.unreliable();
        assertEquals(0.10, u.dropRate());
        assertEquals(0.05, u.duplicateRate());
        assertEquals(0.10, u.reorderRate());
        assertEquals(Duration.ofMillis(100), u.reorderDelay());
        assertEquals("latency 1–5 ms, 10% lost, 5% duplicated, 10% held back up to 100 ms", u.toString());
    }
}
