package harness.bench;

import harness.check.Linearizability;
import harness.check.LinearizabilityResult;
import harness.history.Call;
import harness.history.RandomHistory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long the linearizability checker takes on histories of the size a milestone 5 test makes
 * and far beyond: 1,000 to 100,000 calls from 10 and 50 clients over 10 keys, each client running
 * one call at a time (see {@link RandomHistory}), 1% of them with an unknown outcome or still
 * pending. The histories are linearizable by construction, which is the expensive case: the
 * checker must find an order for every call, where a failure usually ends the search early. A
 * benchmark, not a test: it asserts nothing, and its figures depend on the machine.
 */
public final class CheckerBenchmark {

    private static final int KEYS = 10;
    private static final double UNCERTAIN = 0.01;
    private static final long SEED = 1;

    /** One measured check. */
    public record Run(int operations, int clients, int keys, long uncertain, LinearizabilityResult.Verdict verdict, Duration elapsed) {
    }

    private CheckerBenchmark() {
    }

    /** Generates a history of {@code operations} calls from {@code clients} clients and checks it within {@code budget}. */
    public static Run run(int operations, int clients, Duration budget) {
        List<Call> history = new RandomHistory(operations, clients, KEYS, UNCERTAIN).generate(SEED);
        LinearizabilityResult result = Linearizability.check(history, budget);
        return new Run(operations, clients, KEYS, history.stream().filter(Call::isUncertain).count(), result.verdict(), result.elapsed());
    }

    public static void run(PrintStream out, Duration budget) {
        out.println("Checker benchmark: random linearizable histories over " + KEYS + " keys, " + Math.round(UNCERTAIN * 100)
                + "% of calls uncertain (unknown or pending), seed " + SEED + "; a budget of " + budget.toSeconds() + " s per check.");
        out.println("Warming up the JIT...");
        run(10_000, 10, budget);
        List<Run> runs = new ArrayList<>();
        for (int operations : new int[] {1_000, 10_000, 100_000}) {
            for (int clients : new int[] {10, 50}) {
                out.printf(Locale.ROOT, "  checking %,d calls from %d clients...%n", operations, clients);
                Run run = run(operations, clients, budget);
                out.printf(Locale.ROOT, "  ...%s in %,d ms%n", run.verdict().name().toLowerCase(Locale.ROOT), run.elapsed().toMillis());
                runs.add(run);
            }
        }
        out.printf(Locale.ROOT, "%n%10s %8s %6s %10s %18s %10s%n", "calls", "clients", "keys", "uncertain", "verdict", "ms");
        for (Run r : runs) {
            out.printf(Locale.ROOT, "%,10d %8d %6d %10d %18s %,10d%n", r.operations(), r.clients(), r.keys(), r.uncertain(),
                    r.verdict().name().toLowerCase(Locale.ROOT), r.elapsed().toMillis());
        }
    }

    /** {@code java ... harness.bench.CheckerBenchmark [budget in seconds per check, default 120]}. */
    public static void main(String[] args) {
        run(System.out, Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 120));
    }
}
