package notes;

import notes.figure16.Experiment;
import notes.figure16.Experiment.Results;
import notes.figure16.Experiment.Setting;
import notes.figure16.Experiment.Testbed;
import notes.figure16.Outcome;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The notes' section on the paper's Figure 16: our graphs on both testbeds, our numbers beside
 * those the paper states, why they differ, and whether our guess at the cause held. The numbers
 * and the verdict are filled in from the run, so the text says what this build measured.
 */
final class Figure16Page {

    private static final Setting NO_RANDOMNESS = new Setting(150, 150);
    private static final Setting NARROW = new Setting(150, 155);
    private static final Setting SPREAD_25 = new Setting(150, 175);
    private static final Setting SPREAD_50 = new Setting(150, 200);
    private static final Setting PAPERS_EXAMPLE = new Setting(150, 300);
    private static final Setting SHORT = new Setting(12, 24);

    /** The paper's median for 150–155 ms (§9.3), the number the guess set out to explain. */
    private static final double PAPERS_NARROW_MEDIAN_MS = 287;

    private Figure16Page() {
    }

    static String adoc(Results results) {
        Map<Setting, Outcome> wire = results.onTheWire();
        Map<Setting, Outcome> disk = results.onTheDisk();
        return """
                The paper's Figure 16 (§9.3) measures how long a cluster of five servers is without a \
                leader after the leader crashes, for several ranges of election timeouts. We reran it in \
                the simulator on milestone 1's code: five servers; a network with a one-way latency of \
                6–9 ms, so that a request to all servers and their replies take about 15 ms, the paper's \
                broadcast time; the leader crashed at a random moment of its heartbeat interval; 1000 trials \
                per setting (100 without randomness, as in the paper), seed 1. The notes' build runs it.

                image::{generated}/figure16-top.svg[Time without a leader for timeouts from 150–150 to 150–300 ms,opts=inline]

                image::{generated}/figure16-bottom.svg[Time without a leader for timeouts from 12–24 to 150–300 ms,opts=inline]

                The top graph makes the paper's point: with no randomness at all (150–150 ms) the servers \
                split the vote forever; with 25 ms of randomness (150–175 ms) the median is already %s, and \
                with 150–300 ms no trial took longer than %s. The bottom graph shows that shorter timeouts \
                find a new leader sooner — down to a point, below which they only cause more elections.

                *Where ours differ.* Our elections are slower than the paper's: for 150–155 ms our median \
                is %s against the paper's 287 ms; for 150–200 ms our worst case over 1000 trials is %s \
                against 513 ms; and for 12–24 ms our mean is %s and our maximum %s against 35 ms and \
                152 ms. The cause is latency measured against the spread of the timeouts. A RequestVote \
                takes 6–9 ms to arrive here, more than the 5 ms between the shortest and longest timeout \
                of 150–155 ms, so by the time the first candidate's request reaches the others they have \
                usually timed out too, and the vote splits; each split costs another round of about \
                150 ms. At 12–24 ms the timeout is hardly longer than a round trip, so followers often \
                time out again before the new leader's first heartbeat reaches them — the reason the \
                paper (§5.6) asks for timeouts an order of magnitude longer than the broadcast time. \
                Our guess was that the paper's vote requests arrived sooner than ours, on a fast network, \
                and that most of its 15 ms broadcast time went into each receiver's disk write before it \
                replied (Figure 2: persistent state is stored before answering).

                *Testing the guess.* So we ran every setting again with the 15 ms on the disk: \
                milestone 4's code, which syncs whatever it wrote before it sends anything, on a network \
                of %s ms one way, on simulated disks whose syncs take %s ms (`Cluster.builder().syncLatency`), \
                so that a round trip and the receiver's sync make the paper's 15 ms on average. The paper states \
                neither its network's latency nor its disk's; both numbers are our assumption. Same \
                trials, same seed.

                image::{generated}/figure16-disk-top.svg[The top graph again with the time on the disk,opts=inline]

                image::{generated}/figure16-disk-bottom.svg[The bottom graph again with the time on the disk,opts=inline]

                %s

                .Time without a leader after the leader crashes: both runs, and the figures the paper states (§9.3)
                [cols="18,11,12,15,15,15,16,17,27",options="header"]
                |===
                | Election timeout | Run | Trials | Fastest | Median | Mean | Slowest | No leader after 10 s | The paper reports
                """.formatted(ms(wire.get(SPREAD_25).median()), ms(wire.get(PAPERS_EXAMPLE).max()),
                ms(wire.get(NARROW).median()), ms(wire.get(SPREAD_50).max()), ms(wire.get(SHORT).mean()), ms(wire.get(SHORT).max()),
                millis(Testbed.ON_THE_DISK.network().minLatency().toNanos()) + "–" + millis(Testbed.ON_THE_DISK.network().maxLatency().toNanos()),
                millis(Testbed.ON_THE_DISK.syncLatency().toNanos()),
                verdict(results))
                + rows(results) + """
                |===

                Smaller differences: our servers draw whole milliseconds, so 150–151 ms has only two \
                values; and our logs are empty (milestone 1 has none, and milestone 4 was given no \
                commands), so every candidate can win, which makes ours faster. And our leaders send heartbeats every third of the shortest timeout, the paper's every half, \
                so its shortest possible time without a leader was about half of the shortest timeout, \
                ours two thirds of it and a vote: our fastest trial at 150–300 ms took %s.
                """.formatted(ms(wire.get(PAPERS_EXAMPLE).min()));
    }

    /**
     * Whether putting the broadcast time on the disk brought our 150–155 ms median closer to the
     * paper's, and what the run shows either way.
     */
    static String verdict(Results results) {
        Outcome wire = results.onTheWire().get(NARROW);
        Outcome disk = results.onTheDisk().get(NARROW);
        String common = """
                for 150–155 ms the median is %s with the time on the disk, %s on the wire and 287 ms in the paper; \
                for 150–175 ms it is %s against %s; for 150–200 ms the worst case is %s against %s (the paper's: \
                513 ms).""".formatted(ms(disk.median()), ms(wire.median()),
                ms(results.onTheDisk().get(SPREAD_25).median()), ms(results.onTheWire().get(SPREAD_25).median()),
                ms(results.onTheDisk().get(SPREAD_50).max()), ms(results.onTheWire().get(SPREAD_50).max()));
        if (closerToThePaper(disk.median(), wire.median())) {
            return "*The guess holds.* With the broadcast time on the disk our elections come closer to the paper's: "
                    + common + " " + shortTimeoutsOnTheDisk(results.onTheDisk().get(SHORT));
        }
        long syncNanos = Testbed.ON_THE_DISK.syncLatency().toNanos();
        return "*The guess does not hold.* With the broadcast time on the disk our elections are slower, not faster: "
                + common + " " + """
                The time a vote request takes to reach the others after its candidate's timeout still decides it, and \
                on the disk that time is longer: a candidate syncs before its requests leave, so they arrive at least \
                %s ms after its timeout, against 6–9 ms on the wire, and the other followers have that much longer to \
                time out too and split the vote.""".formatted(millis(syncNanos + Testbed.ON_THE_DISK.network().minLatency().toNanos()))
                + " " + shortTimeoutsOnTheDisk(results.onTheDisk().get(SHORT)) + " " + """
                So the disk does not explain the difference: wherever the time of a vote goes, the other servers have \
                that long to time out and split the vote. With the simulator's exact timers, the paper's median of \
                287 ms would need vote requests that arrive sooner after a timeout than on either of our testbeds. \
                The paper says no more about its setup. One possibility we have not tested: on real machines timers \
                and message delays vary, which spreads the moments servers time out wider than the 5 ms configured.""";
    }

    /** What 12–24 ms timeouts did with the time on the disk, and why if they elected no one. */
    private static String shortTimeoutsOnTheDisk(Outcome outcome) {
        if (outcome.trials() > 0) {
            return "At 12–24 ms the mean is %s and the maximum %s, against the paper's 35 ms and 152 ms."
                    .formatted(ms(outcome.mean()), ms(outcome.max()));
        }
        long twoSyncs = 2 * Testbed.ON_THE_DISK.syncLatency().toNanos();
        String why = twoSyncs < SHORT.maxMs() * 1_000_000 ? "" : """
                 A vote costs two syncs, the candidate's (its new term and its vote for itself) before its requests \
                leave and the voter's before its reply leaves: at least %s ms, longer than any of these timeouts, so \
                every candidate starts another election before its votes come back.""".formatted(millis(twoSyncs));
        String clusters = outcome.leaderless() == 1 ? "its cluster was given"
                : "each of its %d clusters was given".formatted(outcome.leaderless());
        return """
                At 12–24 ms no leader was elected at all, not even a first one to crash, in the %d s %s, where the \
                paper had a new leader after 35 ms on average.""".formatted(Experiment.GIVE_UP.toSeconds(), clusters) + why;
    }

    /** Is {@code candidate} nearer the paper's median than {@code current}, as a ratio? */
    static boolean closerToThePaper(double candidateMs, double currentMs) {
        return Math.abs(Math.log(candidateMs / PAPERS_NARROW_MEDIAN_MS)) < Math.abs(Math.log(currentMs / PAPERS_NARROW_MEDIAN_MS));
    }

    /** Two rows per setting, one per testbed; the setting and the paper's figures span both. */
    private static String rows(Results results) {
        StringBuilder t = new StringBuilder();
        for (Setting setting : results.onTheWire().keySet()) {
            List<Testbed> testbeds = List.of(Testbed.ON_THE_WIRE, Testbed.ON_THE_DISK);
            for (int i = 0; i < testbeds.size(); i++) {
                Testbed testbed = testbeds.get(i);
                Outcome o = results.of(testbed).get(setting);
                if (i == 0) {
                    t.append(".2+| ").append(setting.label()).append(' ');
                }
                t.append("| ").append(testbed.name())
                        .append(" | ").append(o.trials())
                        .append(" | ").append(ms(o.min()))
                        .append(" | ").append(ms(o.median()))
                        .append(" | ").append(ms(o.mean()))
                        .append(" | ").append(ms(o.max()))
                        .append(" | ").append(noLeader(o));
                if (i == 0) {
                    t.append(" .2+| ").append(paper(setting));
                }
                t.append('\n');
            }
        }
        return t.toString();
    }

    /** Trials that gave up; and, if any, the clusters that never had a leader to crash. */
    private static String noLeader(Outcome o) {
        if (o.leaderless() == 0) {
            return String.valueOf(o.failures());
        }
        String leaderless = o.leaderless() == 1 ? "a cluster with no first leader" : o.leaderless() + " clusters with no first leader";
        return o.trials() == 0 ? leaderless : o.failures() + ", and " + leaderless;
    }

    /** The figures the paper states for this setting in §9.3, in its own numbers. */
    static String paper(Setting setting) {
        if (setting.equals(NO_RANDOMNESS)) {
            return "consistently longer than 10 seconds";
        }
        if (setting.equals(NARROW)) {
            return "median 287 ms";
        }
        if (setting.equals(SPREAD_50)) {
            return "worst case 513 ms over 1000 trials";
        }
        if (setting.equals(SHORT)) {
            return "mean 35 ms, longest trial 152 ms";
        }
        return "";
    }

    /** "287 ms", "over 10 s" for a statistic that includes a trial with no leader, "–" with no trials. */
    private static String ms(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return Double.isInfinite(value) ? "over " + Experiment.GIVE_UP.toSeconds() + "\u00a0s" : String.format(Locale.ROOT, "%.0f ms", value);
    }

    /** "14.5", "0.1", "29": nanoseconds as milliseconds, without trailing zeros. */
    private static String millis(long nanos) {
        return new java.math.BigDecimal(nanos).movePointLeft(6).stripTrailingZeros().toPlainString();
    }
}
