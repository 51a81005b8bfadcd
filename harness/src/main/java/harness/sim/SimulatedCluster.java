package harness.sim;

import harness.cluster.Cluster;
import harness.cluster.Host;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A cluster in the simulator: every server input, message and timer is an event on one virtual
 * clock, so runs are fast (seconds of simulated time in milliseconds) and a seed reproduces a run
 * event for event. Messages travel as JSON bytes, exactly as they would between processes.
 */
public final class SimulatedCluster extends Cluster {

    private final Simulation sim;

    public SimulatedCluster(Builder builder) {
        super(builder);
        this.sim = new Simulation(seed);
        for (int id : ids) {
            add(new SimHost(id));
        }
        hosts().forEach(Host::boot); // every server boots at time 0, before anything else can happen
        startClients((delay, task) -> sim.after(delay, task)::cancel, sim.random());
    }

    @Override
    protected <T> T onClientThread(Supplier<T> action) {
        return action.get(); // one thread for everything
    }

    /** The simulation underneath: its clock and its count of events run. */
    public Simulation simulation() {
        return sim;
    }

    @Override
    protected long nowMicros() {
        return sim.now();
    }

    @Override
    public void runFor(Duration duration) {
        sim.run(sim.now() + duration.toNanos() / 1000, () -> false);
    }

    @Override
    public boolean runUntil(Predicate<Cluster> condition, Duration within) {
        return condition.test(this) || sim.run(sim.now() + within.toNanos() / 1000, () -> condition.test(this));
    }

    @Override
    protected <T> T onServerThread(Host host, Supplier<T> action) {
        return action.get(); // the simulation has one thread, and it is this one
    }

    @Override
    protected RandomGenerator networkRandom() {
        return sim.random();
    }

    private final class SimHost extends Host {
        SimHost(int id) {
            super(SimulatedCluster.this, id);
        }

        @Override
        protected Scheduled schedule(long delayMicros, Runnable task) {
            return sim.after(delayMicros, task)::cancel;
        }

        @Override
        public RandomGenerator random() {
            return sim.random();
        }
    }
}
