package notes.figure16;

import harness.api.Role;
import harness.api.Timing;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.observe.NodeView;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The paper's Figure 16 (§9.3), rerun in the simulator: how long a cluster of five is without a
 * leader after its leader crashes, for several ranges of election timeouts. It runs on two
 * {@link Testbed testbeds}, which put the time a vote takes in different places: on the wire
 * (milestone 1, no disk) or on the disk (milestone 4, whose syncs take time).
 *
 * <p>As in the paper, each trial starts from a stable leader, crashes it at a random moment of its
 * heartbeat interval (just after a heartbeat, the followers wait a whole timeout; just before the
 * next, a heartbeat interval less), and measures the time until a new leader exists. Each setting
 * runs its trials one after another on one cluster, and the settings run in parallel, as many at a
 * time as there are processors. A setting's numbers depend only on the seed and the setting
 * itself, so they are the same whatever the other settings and however the threads are scheduled.
 *
 * <pre>{@code
 * Map<Setting, Outcome> outcomes = Experiment.run(Testbed.ON_THE_WIRE, Experiment.TOP, 1000, 1);
 * String svg = CdfChart.svg("Figure 16, top", outcomes, 1000);
 * }</pre>
 */
public final class Experiment {

    /** Election timeouts drawn uniformly from [{@code minMs}, {@code maxMs}] milliseconds. */
    public record Setting(long minMs, long maxMs) {

        public Setting {
            if (minMs <= 0 || maxMs < minMs) {
                throw new IllegalArgumentException("election timeouts need 0 < min <= max, not " + minMs + "–" + maxMs + " ms");
            }
        }

        /** "150–155 ms", as the paper's legend writes it. */
        public String label() {
            return minMs + "–" + maxMs + " ms";
        }
    }

    /**
     * Where the trials run: a milestone's code, a network, and how long a disk sync that writes
     * something takes ({@link Cluster.Builder#syncLatency}).
     */
    public record Testbed(String name, int milestone, Conditions network, Duration syncLatency) {

        /** The paper's broadcast time (Figure 16's caption): "roughly 15ms". */
        static final Duration PAPERS_BROADCAST_TIME = Duration.ofMillis(15);

        /** A local network, 0.1–0.4 ms one way: a round trip of 0.5 ms on average. */
        private static final Conditions LOCAL_NETWORK =
                Conditions.reliable().withLatency(Duration.ofNanos(100_000), Duration.ofNanos(400_000));

        /**
         * A broadcast is a request to every other server and their replies, and each receiver
         * persists what the request changed before it replies (§5.6 gives broadcast times from
         * "0.5ms to 20ms", depending on the storage, for that reason). The paper gives no figure for
         * its network or its disk, so this is our assumption: all of its 15 ms but a mean round
         * trip on the local network went into the receiver's sync, 14.5 ms.
         */
        static final Duration SYNC_LATENCY = PAPERS_BROADCAST_TIME.minus(LOCAL_NETWORK.minLatency().plus(LOCAL_NETWORK.maxLatency()));

        /**
         * The paper's broadcast time, all of it on the wire. A one-way latency drawn from 6–9 ms
         * makes a round trip 12–18 ms, 15 ms on average; the slowest of a leader's four round trips
         * takes 16 ms on average. Milestone 1 keeps nothing on disk. Nothing is lost: the
         * experiment is about timeouts, not about lost messages.
         */
        public static final Testbed ON_THE_WIRE = new Testbed("on the wire", 1,
                Conditions.reliable().withLatency(Duration.ofMillis(6), Duration.ofMillis(9)), Duration.ZERO);

        /**
         * The paper's broadcast time, nearly all of it on the disk: milestone 4, which syncs what
         * it wrote before it sends anything, on the {@link #LOCAL_NETWORK}, with syncs of {@link
         * #SYNC_LATENCY}. A vote then costs two syncs: the candidate's (its new term and its vote
         * for itself) before its requests leave, and the voter's before its reply leaves.
         */
        public static final Testbed ON_THE_DISK = new Testbed("on the disk", 4, LOCAL_NETWORK, SYNC_LATENCY);

        public Testbed {
            if (milestone < 1 || syncLatency.isNegative()) {
                throw new IllegalArgumentException("a testbed needs a milestone and a sync latency of zero or more: " + name);
            }
        }

        /** How far apart the servers of a new cluster boot: see {@link Experiment#BOOT_INTERVAL}. */
        Duration bootInterval() {
            return BOOT_INTERVAL.plus(syncLatency);
        }

        /** A network with no delay at all, only for bringing a crashed server back (see {@link Experiment#rejoin}). */
        Conditions instant() {
            return network.withLatency(Duration.ZERO, Duration.ZERO);
        }

        /** "milestone 4, 0.1–0.4 ms one way, syncs of 14.5 ms": what the testbed is, from its values. */
        public String details() {
            return "milestone " + milestone + ", " + ms(network.minLatency()) + "–" + ms(network.maxLatency()) + " ms one way, "
                    + (syncLatency.isZero() ? "no disk" : "syncs of " + ms(syncLatency) + " ms");
        }

        /** "0.1", "14.5", "6": a duration in milliseconds, without trailing zeros. */
        private static String ms(Duration d) {
            return BigDecimal.valueOf(d.toNanos(), 6).stripTrailingZeros().toPlainString();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The top graph: a little randomness in the timeouts is enough to avoid split votes. */
    public static final List<Setting> TOP = List.of(new Setting(150, 150), new Setting(150, 151), new Setting(150, 155),
            new Setting(150, 175), new Setting(150, 200), new Setting(150, 300));

    /** The bottom graph: shorter timeouts find a new leader sooner. */
    public static final List<Setting> BOTTOM = List.of(new Setting(12, 24), new Setting(25, 50), new Setting(50, 100),
            new Setting(100, 200), new Setting(150, 300));

    /** The paper's cluster size. */
    static final int SERVERS = 5;

    /** A trial with no leader this long after the crash gives up and counts as a failure. */
    public static final Duration GIVE_UP = Duration.ofSeconds(10);

    /**
     * A setting whose cluster does not elect a steady leader within {@link #GIVE_UP} has nothing to
     * crash, and it stops there: 10 s of elections without a leader, where a leader normally takes
     * milliseconds, say enough, and each such cluster costs seconds of the build (12–24 ms timeouts
     * with the time on the disk keep every server syncing).
     */
    static final int LEADERLESS_CLUSTERS = 1;

    /**
     * Real servers never boot at the same microsecond; simulated ones do. With identical timeouts
     * (150–150 ms) they would all stand for election at the same instant and split the vote forever,
     * before there is a first leader to crash. Booting them 10 ms apart, longer than a message
     * takes, lets the first to time out win that first election; on a testbed whose syncs take
     * time, a vote request leaves only after its candidate's sync, so they boot that much further
     * apart (see {@link Testbed#bootInterval()}).
     */
    private static final Duration BOOT_INTERVAL = Duration.ofMillis(10);

    /**
     * The paper's numbers of trials (Figure 16's caption): 1000 per setting, but only 100 without
     * randomness, where every trial runs until it gives up.
     */
    private static final int TRIALS = 1000;
    private static final Setting NO_RANDOMNESS = new Setting(150, 150);
    private static final int TRIALS_WITHOUT_RANDOMNESS = 100;
    private static final long SEED = 1;
    /**
     * Where the time axes end. The paper's top graph has a logarithmic axis up to 100 s; ours are
     * linear, so the top one ends where all but the narrowest settings have their leader, and its
     * legend counts the trials beyond.
     */
    private static final double TOP_X_MAX_MS = 2000;
    private static final double BOTTOM_X_MAX_MS = 600;

    private Experiment() {
    }

    /** What the notes show: every setting of both graphs, run on each testbed. */
    public record Results(Map<Setting, Outcome> onTheWire, Map<Setting, Outcome> onTheDisk) {

        public Results {
            onTheWire = Collections.unmodifiableMap(new LinkedHashMap<>(onTheWire));
            onTheDisk = Collections.unmodifiableMap(new LinkedHashMap<>(onTheDisk));
        }

        public Map<Setting, Outcome> of(Testbed testbed) {
            return testbed.equals(Testbed.ON_THE_WIRE) ? onTheWire : testbed.equals(Testbed.ON_THE_DISK) ? onTheDisk
                    : Map.of();
        }
    }

    /** Runs both graphs on both testbeds, writes the figures into {@code args[0]} and prints the numbers and the wall time. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Experiment <output folder>");
        }
        long start = System.nanoTime();
        Results results = writeFigure(Path.of(args[0]));
        System.out.println(Testbed.ON_THE_WIRE + ": " + Testbed.ON_THE_WIRE.details());
        System.out.print(table(results.onTheWire()));
        System.out.println(Testbed.ON_THE_DISK + ": " + Testbed.ON_THE_DISK.details());
        System.out.print(table(results.onTheDisk()));
        System.out.printf(Locale.ROOT, "wall time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * Runs every setting of both graphs (1000 trials each, 100 for 150–150 ms; seed 1) on both
     * testbeds and writes {@code figure16-top.svg} and {@code figure16-bottom.svg} (on the wire)
     * and {@code figure16-disk-top.svg} and {@code figure16-disk-bottom.svg} (on the disk) into
     * {@code dir}. 150–300 ms is in both graphs; it runs once and appears in both, as in the paper.
     */
    public static Results writeFigure(Path dir) throws IOException {
        Map<Setting, Integer> trials = new LinkedHashMap<>();
        Stream.concat(TOP.stream(), BOTTOM.stream())
                .forEach(s -> trials.put(s, s.equals(NO_RANDOMNESS) ? TRIALS_WITHOUT_RANDOMNESS : TRIALS));
        Map<Testbed, Map<Setting, Outcome>> outcomes = run(List.of(Testbed.ON_THE_WIRE, Testbed.ON_THE_DISK), trials, SEED);
        Results results = new Results(outcomes.get(Testbed.ON_THE_WIRE), outcomes.get(Testbed.ON_THE_DISK));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("figure16-top.svg"), CdfChart.svg("Randomness in the election timeouts (top graph)",
                select(results.onTheWire(), TOP), TOP_X_MAX_MS));
        Files.writeString(dir.resolve("figure16-bottom.svg"), CdfChart.svg("Shorter election timeouts (bottom graph)",
                select(results.onTheWire(), BOTTOM), BOTTOM_X_MAX_MS));
        Files.writeString(dir.resolve("figure16-disk-top.svg"), CdfChart.svg("Randomness in the timeouts, with the time on the disk",
                select(results.onTheDisk(), TOP), TOP_X_MAX_MS));
        Files.writeString(dir.resolve("figure16-disk-bottom.svg"), CdfChart.svg("Shorter timeouts, with the time on the disk",
                select(results.onTheDisk(), BOTTOM), BOTTOM_X_MAX_MS));
        return results;
    }

    /** Runs {@code trials} trials of each setting on {@code testbed}, the settings in parallel; the outcomes in the order of {@code settings}. */
    public static Map<Setting, Outcome> run(Testbed testbed, List<Setting> settings, int trials, long seed) {
        Map<Setting, Integer> trialsPerSetting = new LinkedHashMap<>();
        settings.forEach(s -> trialsPerSetting.put(s, trials));
        return run(List.of(testbed), trialsPerSetting, seed).get(testbed);
    }

    /**
     * Runs each setting's number of trials on each testbed; the outcomes in the map's order. The
     * runs go in parallel, as many at a time as there are processors, each setting on every
     * testbed before the next setting: the longest first, if the map puts them first.
     */
    public static Map<Testbed, Map<Setting, Outcome>> run(List<Testbed> testbeds, Map<Setting, Integer> trialsPerSetting, long seed) {
        trialsPerSetting.forEach((setting, trials) -> {
            if (trials < 1) {
                throw new IllegalArgumentException(setting.label() + " needs at least one trial, not " + trials);
            }
        });
        int runs = testbeds.size() * trialsPerSetting.size();
        ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, Math.min(runs, Runtime.getRuntime().availableProcessors())));
        try {
            Map<Setting, Map<Testbed, Future<Outcome>>> running = new LinkedHashMap<>();
            trialsPerSetting.forEach((setting, trials) -> {
                Map<Testbed, Future<Outcome>> onEach = new LinkedHashMap<>();
                testbeds.forEach(testbed -> onEach.put(testbed, threads.submit(() -> measure(testbed, setting, trials, seed))));
                running.put(setting, onEach);
            });
            Map<Testbed, Map<Setting, Outcome>> outcomes = new LinkedHashMap<>();
            testbeds.forEach(testbed -> outcomes.put(testbed, new LinkedHashMap<>()));
            running.forEach((setting, onEach) -> onEach.forEach((testbed, outcome) -> outcomes.get(testbed).put(setting, result(outcome))));
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    // ---- One setting ---------------------------------------------------------------------------

    /**
     * All trials of one setting on one cluster. A trial that gives up leaves its cluster without a
     * leader, perhaps for good (split votes can repeat forever), so the next trial gets a new one.
     * So does a cluster that has no steady leader to crash within {@link #GIVE_UP}; after {@link
     * #LEADERLESS_CLUSTERS} of those the setting stops, with the trials it ran.
     */
    private static Outcome measure(Testbed testbed, Setting setting, int trials, long seed) {
        SplittableRandom random = randomFor(setting, seed);
        Cluster cluster = newCluster(testbed, setting, random.nextLong());
        List<Double> times = new ArrayList<>();
        int failures = 0;
        int leaderless = 0;
        while (times.size() + failures < trials && leaderless < LEADERLESS_CLUSTERS) {
            if (!settle(cluster, testbed, setting)) {
                leaderless++;
                cluster = newCluster(testbed, setting, random.nextLong());
                continue;
            }
            OptionalDouble time = trial(cluster, random);
            if (time.isPresent()) {
                times.add(time.getAsDouble());
            } else {
                failures++;
                cluster = newCluster(testbed, setting, random.nextLong());
            }
        }
        return new Outcome(times, failures, leaderless);
    }

    /** The setting's own random source: the cluster's seed and the moments of the crashes come from it. */
    private static SplittableRandom randomFor(Setting setting, long seed) {
        return new SplittableRandom(seed ^ (setting.minMs() << 32) ^ setting.maxMs());
    }

    /** Five servers of the testbed's milestone with the setting's timeouts, booted {@link Testbed#bootInterval()} apart. */
    private static Cluster newCluster(Testbed testbed, Setting setting, long seed) {
        Cluster cluster = Cluster.builder().milestone(testbed.milestone()).nodes(SERVERS).seed(seed).timing(timing(setting))
                .network(testbed.network()).syncLatency(testbed.syncLatency()).simulated();
        List<Integer> later = cluster.others(1);
        later.forEach(cluster::crash); // at time 0, before they have done anything
        for (int id : later) {
            cluster.runFor(testbed.bootInterval());
            cluster.restart(id);
        }
        return cluster;
    }

    /**
     * The harness's rule for the heartbeat interval: a third of the shortest timeout. The paper's
     * was half, so its crashes came on average a twelfth of the shortest timeout later after the
     * last heartbeat, and its times are that much shorter: 12.5 ms at 150 ms, 1 ms at 12 ms.
     *
     * <p>Even at 12–24 ms (heartbeats every 4 ms) a steady leader's heartbeats reach a follower at
     * most 7 ms apart, so no follower times out. Right after an election it is otherwise: a follower
     * restarts its timer when it votes, and the winner's first heartbeat can reach it 18 ms later
     * (the vote's reply and the heartbeat, up to 9 ms each), so some stand for election again. These
     * are the needless elections the paper warns of for timeouts this short.
     */
    static Timing timing(Setting setting) {
        return Timing.electionTimeout(setting.minMs(), setting.maxMs());
    }

    // ---- One trial -----------------------------------------------------------------------------

    /**
     * From a stable leader ({@link #settle}), waits a uniformly random part of a heartbeat interval,
     * crashes the leader and runs until another leader can lead (one that reaches a majority; the
     * crashed one cannot). Returns the time that took in milliseconds, or nothing if it gave up.
     */
    private static OptionalDouble trial(Cluster cluster, SplittableRandom random) {
        long heartbeatMicros = micros(cluster.timing().heartbeatInterval());
        cluster.runFor(Duration.ofNanos(random.nextLong(heartbeatMicros) * 1000));
        int leader = cluster.leader().orElseThrow();
        cluster.crash(leader);
        long crashedAt = micros(cluster.now());
        if (!cluster.runUntil(c -> c.leader().isPresent(), GIVE_UP)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((micros(cluster.now()) - crashedAt) / 1000.0);
    }

    /**
     * Brings the cluster to where a trial starts: every server up and following one leader for a
     * whole longest election timeout, so that each follower's timer was last reset by a heartbeat
     * (not by the vote it gave in the last election) and no election is still under way. Says
     * false if there was no steady leader within {@link #GIVE_UP}.
     */
    private static boolean settle(Cluster cluster, Testbed testbed, Setting setting) {
        long term;
        do {
            if (!cluster.runUntil(Experiment::steady, GIVE_UP)) {
                return false;
            }
            for (int id : cluster.ids()) {
                if (!cluster.isUp(id)) {
                    rejoin(cluster, testbed, id);
                }
            }
            term = cluster.maxTerm();
            cluster.runFor(Duration.ofMillis(setting.maxMs()));
        } while (!steady(cluster) || cluster.maxTerm() != term);
        return true;
    }

    /** A leader that can lead, and every running server following it in its term. */
    private static boolean steady(Cluster cluster) {
        Optional<Integer> leader = cluster.leader();
        if (leader.isEmpty()) {
            return false;
        }
        long term = cluster.view(leader.get()).term();
        return cluster.views().stream().filter(NodeView::up)
                .allMatch(v -> v.term() == term && (v.id() == leader.get() || v.role() == Role.FOLLOWER));
    }

    /**
     * Restarts the server crashed by the last trial. Milestone 1 keeps nothing on disk (milestone 4
     * will), so the restarted server has forgotten its votes: were its first election timeout to
     * fire before it heard from the leader, it would vote a second time in an old term, which the
     * harness's safety checker rightly stops. With 12–24 ms timeouts a heartbeat can take that long
     * (4 ms until it is sent, 9 ms on the wire). Over an instant network the leader's next heartbeat
     * reaches it within one heartbeat interval, below any timeout; the network then goes back to
     * normal before the cluster settles. Milestone 4 remembers its votes and would not need this,
     * but both testbeds bring a server back the same way, so that the trials differ only in the
     * testbed.
     */
    private static void rejoin(Cluster cluster, Testbed testbed, int id) {
        cluster.setConditions(testbed.instant());
        cluster.restart(id);
        await(cluster, Experiment::steady, "node" + id + " following the leader");
        cluster.setConditions(testbed.network());
    }

    private static void await(Cluster cluster, Predicate<Cluster> condition, String what) {
        if (!cluster.runUntil(condition, GIVE_UP)) {
            throw new IllegalStateException("no " + what + " within " + GIVE_UP.toSeconds() + " s\n" + cluster.report());
        }
    }

    // ---- Printing ------------------------------------------------------------------------------

    /** One line per setting: median, mean and maximum time without a leader, and the trials that gave up. */
    static String table(Map<Setting, Outcome> outcomes) {
        StringBuilder s = new StringBuilder(row("setting", "median", "mean", "max", "failures"));
        outcomes.forEach((setting, o) -> s.append(row(setting.label(), ms(o.median()), ms(o.mean()), ms(o.max()),
                o.failures() + "/" + o.trials())));
        return s.toString();
    }

    private static String row(String setting, String median, String mean, String max, String failures) {
        return String.format(Locale.ROOT, "%-12s %10s %10s %10s %10s%n", setting, median, mean, max, failures);
    }

    /** "287.0 ms", or "> 10 s" for a statistic that includes a trial that gave up. */
    private static String ms(double value) {
        return Double.isInfinite(value) ? "> " + GIVE_UP.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f ms", value);
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private static Outcome result(Future<Outcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the experiment ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a setting of the experiment failed: " + e.getCause(), e.getCause());
        }
    }

    private static Map<Setting, Outcome> select(Map<Setting, Outcome> outcomes, List<Setting> settings) {
        Map<Setting, Outcome> selected = new LinkedHashMap<>();
        settings.forEach(s -> selected.put(s, outcomes.get(s)));
        return selected;
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }
}
