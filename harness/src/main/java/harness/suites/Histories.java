package harness.suites;

import harness.api.ClientConfig;
import harness.api.Rule;
import harness.grade.SetUpFailed;
import harness.check.Linearizability;
import harness.check.LinearizabilityResult;
import harness.cluster.Cluster;
import harness.display.HistorySvg;
import harness.history.Call;
import harness.observe.Time;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What suite 5 asks of the histories its clients made: that every one is linearizable (checked
 * by {@link Linearizability}), and, when one is not, a picture of it on disk and the calls that
 * cannot be placed in the failure message.
 */
final class Histories {

    /** How long the checker may take per history: far more than the suite's histories need. */
    static final Duration CHECK_BUDGET = Duration.ofSeconds(20);

    /** Where pictures of failing histories go: the milestone's target/ under ./course, else the working directory's. */
    static final Path PICTURES = Path.of(System.getProperty("raft.scratch", "target"), "histories");

    private static final AtomicInteger PICTURES_WRITTEN = new AtomicInteger();

    private Histories() {
    }

    /** Runs until no client has an operation under way; says whether that happened within {@code within}. */
    static boolean settle(Cluster cluster, Duration within) {
        return cluster.runUntil(c -> !c.history().anyPending(), within);
    }

    /**
     * Fails naming {@code rule} unless the cluster's history is linearizable; the message explains
     * the call that cannot be placed and names the file that pictures the history.
     */
    static void requireLinearizable(Cluster cluster, Rule rule, String situation) {
        List<Call> calls = cluster.history().calls();
        LinearizabilityResult result = Linearizability.check(calls, CHECK_BUDGET);
        switch (result.verdict()) {
            case LINEARIZABLE -> {
            }
            case UNDECIDED -> throw new SetUpFailed("the linearizability checker could not decide on a history of " + calls.size()
                    + " calls within " + Time.format(CHECK_BUDGET) + " (" + situation + "): the scenario's limit, not a rule");
            case NOT_LINEARIZABLE -> throw SuiteSupport.violation(rule, "the clients' history " + situation + " is not linearizable. "
                    + result.explain() + "\n  The history's picture: " + picture(cluster, result) + "\n  Calls on that key:\n"
                    + listing(result.callsOnKey()));
        }
    }

    /** Like {@link SuiteSupport#check}, and the failure also names the file that pictures the clients' history. */
    static void check(Cluster cluster, boolean condition, Rule rule, String whatHappened) {
        if (!condition) {
            LinearizabilityResult result = Linearizability.check(cluster.history().calls(), CHECK_BUDGET);
            throw SuiteSupport.violation(rule, whatHappened + "\n  The history's picture: " + picture(cluster, result));
        }
    }

    /** Writes the picture of a checked history, and returns where. */
    private static String picture(Cluster cluster, LinearizabilityResult result) {
        try {
            Files.createDirectories(PICTURES);
            Path file = PICTURES.resolve("history-" + PICTURES_WRITTEN.incrementAndGet() + "-seed" + cluster.seed() + ".html");
            Files.writeString(file, HistorySvg.page(result), StandardCharsets.UTF_8);
            return file.toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the history's picture under " + PICTURES.toAbsolutePath(), e);
        }
    }

    /** The calls, one per line, at most the last 30. */
    static String listing(List<Call> calls) {
        List<Call> shown = calls.size() <= 30 ? calls : calls.subList(calls.size() - 30, calls.size());
        String lines = shown.stream().map(c -> "    " + c).collect(Collectors.joining("\n"));
        return calls.size() > shown.size() ? "    (" + (calls.size() - shown.size()) + " earlier calls left out)\n" + lines : lines;
    }

    /** The calls of client {@code k}. */
    static List<Call> callsOf(Cluster cluster, int k) {
        int id = ClientConfig.FIRST_ID + k - 1;
        return cluster.history().calls().stream().filter(c -> c.client() == id).toList();
    }
}
