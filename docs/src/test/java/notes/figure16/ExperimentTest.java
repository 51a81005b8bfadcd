package notes.figure16;

import notes.figure16.Experiment.Setting;
import notes.figure16.Experiment.Testbed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Figure 16's experiment in small: few trials, so that it runs in seconds. */
class ExperimentTest {

    private static final Testbed WIRE = Testbed.ON_THE_WIRE;
    private static final Testbed DISK = Testbed.ON_THE_DISK;

    private static final Setting NO_RANDOMNESS = new Setting(150, 150);
    private static final Setting A_LITTLE = new Setting(150, 155);
    private static final Setting SHORT = new Setting(12, 24);

    @Test
    void theSameSeedGivesTheSameOutcomesAndTheSamePicture() {
        List<Setting> settings = List.of(SHORT, A_LITTLE);
        Map<Setting, Outcome> first = Experiment.run(WIRE, settings, 30, 42);
        Map<Setting, Outcome> second = Experiment.run(WIRE, settings, 30, 42);

        assertEquals(first, second);
        assertEquals(CdfChart.svg("t", first, 600), CdfChart.svg("t", second, 600));
        assertNotEquals(first, Experiment.run(WIRE, settings, 30, 43), "another seed, other crashes and other timeouts");
    }

    @Test
    void onTheDiskTooTheSameSeedGivesTheSameOutcomes() {
        List<Setting> settings = List.of(A_LITTLE, new Setting(50, 100));

        assertEquals(Experiment.run(DISK, settings, 20, 42), Experiment.run(DISK, settings, 20, 42));
    }

    @Test
    void aSettingsOutcomeDoesNotDependOnTheSettingsOrTestbedsRunAlongside() {
        Outcome alone = Experiment.run(WIRE, List.of(A_LITTLE), 30, 42).get(A_LITTLE);
        Outcome withOthers = Experiment.run(WIRE, List.of(SHORT, new Setting(25, 50), A_LITTLE), 30, 42).get(A_LITTLE);
        Setting quick = new Setting(50, 100);
        Map<Setting, Integer> trials = new LinkedHashMap<>();
        trials.put(quick, 30);
        trials.put(A_LITTLE, 30);
        Map<Testbed, Map<Setting, Outcome>> onBoth = Experiment.run(List.of(WIRE, DISK), trials, 42);

        assertEquals(alone, withOthers);
        assertEquals(alone, onBoth.get(WIRE).get(A_LITTLE));
        assertEquals(Experiment.run(DISK, List.of(quick), 30, 42).get(quick), onBoth.get(DISK).get(quick));
    }

    /**
     * The fastest possible recovery. The leader's last heartbeat went out at most one heartbeat
     * interval before the crash and reached each follower no sooner than the smallest latency
     * later, restarting its timer (in a steady cluster no follower times out between two
     * heartbeats, so this is the reset that counts; a heartbeat changes nothing on disk, so it
     * costs no sync). So no one stands for election until a smallest timeout after that; the
     * winner then needs a vote request and a reply from two others, two more smallest latencies,
     * and on the disk two syncs: its own before its requests leave, a voter's before the reply
     * leaves. Altogether: more than min - heartbeat + 3 latencies + 2 syncs.
     */
    @Test
    void everyTrialElectsALeaderButNoSoonerThanTheTimersAndTheDiskAllow() {
        List<Setting> settings = List.of(SHORT, new Setting(25, 50), new Setting(50, 100), new Setting(150, 200), new Setting(150, 300));
        assertFastestTrialsRespectTheBound(WIRE, Experiment.run(WIRE, settings, 50, 7));
        assertFastestTrialsRespectTheBound(DISK, Experiment.run(DISK, settings.subList(1, settings.size()), 50, 7));
    }

    private static void assertFastestTrialsRespectTheBound(Testbed testbed, Map<Setting, Outcome> outcomes) {
        outcomes.forEach((setting, outcome) -> {
            String what = testbed + ", " + setting.label();
            assertEquals(50, outcome.trials(), what);
            assertEquals(0, outcome.failures(), what + ": trials gave up");
            double bound = setting.minMs() - Experiment.timing(setting).heartbeatInterval().toMillis()
                    + 3 * millis(testbed.network().minLatency()) + 2 * millis(testbed.syncLatency());
            assertTrue(outcome.min() > bound, what + ": " + outcome.min() + " ms is below " + bound + " ms");
        });
    }

    /**
     * With the time on the disk a vote costs two syncs, 29 ms: longer than any timeout of 12–24 ms,
     * so every candidate starts its next election before its votes come back, and the cluster
     * never has a leader to crash. The setting stops after that cluster, with no trial run.
     */
    @Test
    void timeoutsShorterThanAVoteNeverElectALeader() {
        assertTrue(2 * millis(DISK.syncLatency()) > SHORT.maxMs());
        Outcome outcome = Experiment.run(DISK, List.of(SHORT), 50, 7).get(SHORT);

        assertEquals(0, outcome.trials());
        assertEquals(Experiment.LEADERLESS_CLUSTERS, outcome.leaderless());
    }

    /**
     * The guess the notes test, in small: moving the 15 ms from the wire to the disk does not make
     * elections with 5 ms of randomness faster. A candidate's requests leave only after its own
     * sync, so the others have longer to time out and split the vote.
     */
    @Test
    void onTheDiskElectionsWithLittleRandomnessAreSlowerThanOnTheWire() {
        double wire = Experiment.run(WIRE, List.of(A_LITTLE), 30, 42).get(A_LITTLE).median();
        double disk = Experiment.run(DISK, List.of(A_LITTLE), 30, 42).get(A_LITTLE).median();

        assertTrue(disk > wire, "150–155 ms: median " + disk + " ms on the disk, " + wire + " ms on the wire");
    }

    /** Both testbeds have the paper's broadcast time: a mean round trip and, on the disk, one sync make 15 ms. */
    @Test
    void bothTestbedsHaveThePapersBroadcastTime() {
        for (Testbed testbed : List.of(WIRE, DISK)) {
            double meanRoundTrip = millis(testbed.network().minLatency()) + millis(testbed.network().maxLatency());
            assertEquals(15.0, meanRoundTrip + millis(testbed.syncLatency()), 1e-9, testbed.toString());
        }
        assertEquals("milestone 1, 6–9 ms one way, no disk", WIRE.details());
        assertEquals("milestone 4, 0.1–0.4 ms one way, syncs of 14.5 ms", DISK.details());
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    /**
     * The paper's main point (§9.3): without randomness, split votes make elections slow. In the
     * simulator the timers are exact, so they never end: the four followers hear the last
     * heartbeat at most 3 ms apart (the latency's spread), all time out before any vote request
     * (6 ms or more on the wire) reaches them, and do so again every 150 ms.
     */
    @Test
    void withoutRandomnessTheVotesSplitForeverAndAnyRandomnessElectsFaster() {
        List<Setting> settings = List.of(NO_RANDOMNESS, A_LITTLE, new Setting(150, 175), new Setting(150, 200), new Setting(150, 300));
        Map<Setting, Outcome> outcomes = Experiment.run(WIRE, settings, 20, 3);

        Outcome none = outcomes.get(NO_RANDOMNESS);
        assertEquals(none.trials(), none.failures(), "150–150 ms elected a leader");
        for (Setting setting : settings.subList(1, settings.size())) {
            double median = outcomes.get(setting).median();
            assertTrue(median < none.median() && Double.isFinite(median), setting.label() + ": median " + median + " ms");
        }
        assertTrue(outcomes.get(A_LITTLE).median() > outcomes.get(new Setting(150, 200)).median(),
                "10 times the randomness should avoid more split votes than 5 ms does");
    }
}
