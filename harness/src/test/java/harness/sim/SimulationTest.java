package harness.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationTest {

    @Test
    void eventsRunInTimeOrderAndTheClockJumpsToEach() {
        Simulation sim = new Simulation(1);
        List<String> log = new ArrayList<>();
        sim.after(30, () -> log.add("c@" + sim.now()));
        sim.after(10, () -> log.add("a@" + sim.now()));
        sim.after(20, () -> log.add("b@" + sim.now()));

        assertFalse(sim.run(100, () -> false));

        assertEquals(List.of("a@10", "b@20", "c@30"), log);
        assertEquals(3, sim.executed());
    }

    @Test
    void tiesRunInTheOrderTheyWereScheduled() {
        Simulation sim = new Simulation(1);
        List<Integer> log = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            sim.after(5, () -> log.add(n));
        }
        sim.run(5, () -> false);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) expected.add(i);
        assertEquals(expected, log);
    }

    @Test
    void eventsScheduledByEventsAreRelativeToTheirTimeAndTiesFollowSchedulingOrder() {
        Simulation sim = new Simulation(1);
        List<String> log = new ArrayList<>();
        sim.after(10, () -> {
            log.add("first@" + sim.now());
            sim.after(0, () -> log.add("zero-delay@" + sim.now()));
            sim.after(5, () -> log.add("nested@" + sim.now()));
        });
        sim.after(10, () -> log.add("second@" + sim.now())); // scheduled before zero-delay: runs first
        sim.after(15, () -> log.add("late@" + sim.now()));   // scheduled before nested: runs first at 15
        sim.run(1_000, () -> false);
        assertEquals(List.of("first@10", "second@10", "zero-delay@10", "late@15", "nested@15"), log);
    }

    @Test
    void aCancelledEventNeverRunsAndIsNotCounted() {
        Simulation sim = new Simulation(1);
        AtomicInteger ran = new AtomicInteger();
        Simulation.Event e = sim.after(10, ran::incrementAndGet);
        sim.after(20, () -> { });
        e.cancel();
        sim.run(100, () -> false);
        assertEquals(0, ran.get());
        assertEquals(1, sim.executed());
    }

    @Test
    void anEventCanCancelALaterOne() {
        Simulation sim = new Simulation(1);
        List<String> log = new ArrayList<>();
        Simulation.Event later = sim.after(20, () -> log.add("later"));
        sim.after(10, () -> { log.add("canceller"); later.cancel(); });
        sim.run(100, () -> false);
        assertEquals(List.of("canceller"), log);
    }

    @Test
    void runWithoutStopLeavesTheClockAtUntilAndKeepsLaterEvents() {
        Simulation sim = new Simulation(1);
        AtomicInteger ran = new AtomicInteger();
        sim.after(50, ran::incrementAndGet);
        sim.after(150, ran::incrementAndGet);

        assertFalse(sim.run(100, () -> false));
        assertEquals(100, sim.now());
        assertEquals(1, ran.get());

        assertFalse(sim.run(150, () -> false)); // an event exactly at until runs
        assertEquals(150, sim.now());
        assertEquals(2, ran.get());
    }

    @Test
    void runWithAnEmptyQueueStillAdvancesTheClock() {
        Simulation sim = new Simulation(1);
        assertFalse(sim.run(250, () -> false));
        assertEquals(250, sim.now());
        assertFalse(sim.run(100, () -> false), "a run until the past does nothing");
        assertEquals(250, sim.now(), "the clock never goes back");
    }

    @Test
    void runReturnsTrueWhenStoppedAndLeavesTheClockAtTheStoppingEvent() {
        Simulation sim = new Simulation(1);
        AtomicInteger ran = new AtomicInteger();
        sim.after(10, ran::incrementAndGet);
        sim.after(20, ran::incrementAndGet);
        sim.after(30, ran::incrementAndGet);

        assertTrue(sim.run(1_000, () -> ran.get() == 2));
        assertEquals(20, sim.now());
        assertEquals(2, ran.get());

        assertFalse(sim.run(1_000, () -> false), "the rest still runs afterwards");
        assertEquals(3, ran.get());
        assertEquals(1_000, sim.now());
    }

    @Test
    void stopIsAskedOnlyAfterEventsThatRan() {
        Simulation sim = new Simulation(1);
        AtomicInteger asked = new AtomicInteger();
        sim.after(10, () -> { }).cancel();
        sim.after(20, () -> { });
        sim.run(100, () -> { asked.incrementAndGet(); return false; });
        assertEquals(1, asked.get());
    }

    @Test
    void aNegativeDelayIsRejected() {
        Simulation sim = new Simulation(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.after(-1, () -> { }));
        assertTrue(e.getMessage().contains("past"), e.getMessage());
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameRandomNumbers() {
        Simulation a = new Simulation(42);
        Simulation b = new Simulation(42);
        Simulation c = new Simulation(43);
        long[] fromA = new long[10];
        long[] fromB = new long[10];
        long[] fromC = new long[10];
        for (int i = 0; i < 10; i++) {
            fromA[i] = a.random().nextLong(0, 1_000_000);
            fromB[i] = b.random().nextLong(0, 1_000_000);
            fromC[i] = c.random().nextLong(0, 1_000_000);
        }
        assertEquals(java.util.Arrays.toString(fromA), java.util.Arrays.toString(fromB));
        assertNotEquals(java.util.Arrays.toString(fromA), java.util.Arrays.toString(fromC));
    }
}
