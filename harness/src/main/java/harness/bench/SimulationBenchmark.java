package harness.bench;

import harness.api.RaftImplementation;
import harness.cluster.Cluster;
import harness.cluster.Implementations;
import harness.sim.SimulatedCluster;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * How fast the simulator runs a milestone's code: a 5-server cluster whose leader crashes every
 * second of simulated time and comes back a second later, for {@code simulatedSeconds}, with the
 * safety checks on. Prints simulated events per wall-clock second and simulated seconds per
 * wall-clock second, over warm-up and measured rounds. A benchmark, not a test: it asserts nothing.
 */
public final class SimulationBenchmark {

    /** One measured round. */
    public record Round(long events, double simulatedSeconds, double wallSeconds, long messages, long elections) {
        double eventsPerSecond() {
            return events / wallSeconds;
        }

        double speedUp() {
            return simulatedSeconds / wallSeconds;
        }
    }

    private SimulationBenchmark() {
    }

    /** Runs one round with the given seed. */
    public static Round round(RaftImplementation implementation, long seed, int simulatedSeconds) {
        SimulatedCluster cluster = Cluster.builder().nodes(5).seed(seed).implementation(implementation).simulated();
        long start = System.nanoTime();
        long elections = 0;
        while (cluster.now().compareTo(Duration.ofSeconds(simulatedSeconds)) < 0) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(10));
            elections++;
            cluster.runFor(Duration.ofSeconds(1));
            cluster.crash(leader);
            cluster.runFor(Duration.ofSeconds(1));
            cluster.restart(leader);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new Round(cluster.simulation().executed(), cluster.now().toNanos() / 1e9, wall,
                cluster.stats().totalSent(), elections);
    }

    public static void run(RaftImplementation implementation, int rounds, int simulatedSeconds, PrintStream out) {
        out.println("Simulator benchmark: " + implementation.name() + ", 5 servers, the leader crashes after 1 s and"
                + " restarts 1 s later, " + simulatedSeconds + " simulated seconds per round, safety checks on.");
        out.println("Warming up the JIT (3 rounds)...");
        for (int i = 0; i < 3; i++) {
            round(implementation, 1000 + i, simulatedSeconds);
        }
        out.printf(Locale.ROOT, "%n%5s %12s %10s %10s %10s %14s %14s%n", "round", "events", "sim s", "wall s", "messages", "events/wall s", "sim s/wall s");
        double events = 0, simulated = 0, wall = 0;
        for (int i = 1; i <= rounds; i++) {
            Round r = round(implementation, i, simulatedSeconds);
            out.printf(Locale.ROOT, "%5d %12d %10.1f %10.3f %10d %14.0f %14.0f%n", i, r.events(), r.simulatedSeconds(), r.wallSeconds(),
                    r.messages(), r.eventsPerSecond(), r.speedUp());
            events += r.events();
            simulated += r.simulatedSeconds();
            wall += r.wallSeconds();
        }
        out.printf(Locale.ROOT, "%5s %12.0f %10.1f %10.3f %10s %14.0f %14.0f%n", "all", events, simulated, wall, "", events / wall, simulated / wall);
    }

    /** {@code java ... harness.bench.SimulationBenchmark [rounds] [simulated seconds per round]}. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        run(Implementations.underTest().implementation(), rounds, seconds, System.out);
    }
}
