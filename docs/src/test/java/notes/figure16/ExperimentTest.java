package notes.figure16;

import notes.figure16.Experiment.Setting;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Figure 16's experiment in small: few trials, so that it runs in seconds. */
class ExperimentTest {

    private static final Setting NO_RANDOMNESS = new Setting(150, 150);
    private static final Setting A_LITTLE = new Setting(150, 155);
    private static final Setting SHORT = new Setting(12, 24);

    @Test
    void theSameSeedGivesTheSameOutcomesAndTheSamePicture() {
        List<Setting> settings = List.of(SHORT, A_LITTLE);
        Map<Setting, Outcome> first = Experiment.run(settings, 30, 42);
        Map<Setting, Outcome> second = Experiment.run(settings, 30, 42);

        assertEquals(first, second);
        assertEquals(CdfChart.svg("t", first, 600), CdfChart.svg("t", second, 600));
        assertNotEquals(first, Experiment.run(settings, 30, 43), "another seed, other crashes and other timeouts");
    }

    @Test
    void aSettingsOutcomeDoesNotDependOnTheSettingsRunAlongside() {
        Outcome alone = Experiment.run(List.of(A_LITTLE), 30, 42).get(A_LITTLE);
        Outcome withOthers = Experiment.run(List.of(SHORT, new Setting(25, 50), A_LITTLE), 30, 42).get(A_LITTLE);

        assertEquals(alone, withOthers);
    }

    /**
     * The fastest possible recovery. The leader's last heartbeat went out at most one heartbeat
     * interval before the crash and reached each follower no sooner than the smallest latency
     * later, restarting its timer (in a steady cluster no follower times out between two
     * heartbeats, so this is the reset that counts). So no one stands for election until a
     * smallest timeout after that; the winner then needs a vote request and a reply from two
     * others, two more smallest latencies. Altogether: more than min - heartbeat + 3 latencies.
     */
    @Test
    void everyTrialElectsALeaderButNoSoonerThanTheTimersAllow() {
        List<Setting> settings = List.of(SHORT, new Setting(25, 50), new Setting(50, 100), new Setting(150, 200), new Setting(150, 300));
        Experiment.run(settings, 50, 7).forEach((setting, outcome) -> {
            assertEquals(50, outcome.trials(), setting.label());
            assertEquals(0, outcome.failures(), setting.label() + ": trials gave up");
            double bound = setting.minMs() - Experiment.timing(setting).heartbeatInterval().toMillis()
                    + 3 * Experiment.NETWORK.minLatency().toMillis();
            assertTrue(outcome.times().get(0) > bound, setting.label() + ": " + outcome.times().get(0) + " ms is below " + bound + " ms");
        });
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
        Map<Setting, Outcome> outcomes = Experiment.run(settings, 20, 3);

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
