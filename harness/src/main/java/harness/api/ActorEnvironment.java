package harness.api;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What every actor of a run may do, server or client: send messages, wait with named timers,
 * read the runtime's clock, draw random numbers and leave notes in the trace. An actor calls
 * nothing else: no threads, no clock, no {@code new Random()}, no sockets. The runtime that hosts
 * it (the simulator, or real threads with a wall clock) implements this, so the same code runs
 * under both and one seed fixes a whole simulated run.
 */
public interface ActorEnvironment {

    /**
     * Sends a message to {@code to}: another server, or, for a server answering a client's
     * request, that client. It may be delayed, duplicated, reordered or lost.
     */
    void send(int to, RaftMessage message);

    /**
     * Runs {@code action} after {@code delay}, unless the timer is cancelled or restarted first.
     * Starting a timer under a name that is already pending replaces the pending one.
     */
    void startTimer(String name, Duration delay, Runnable action);

    /** Cancels the pending timer of that name, if any. */
    void cancelTimer(String name);

    /** The runtime's clock: time since the runtime started (virtual time in the simulator). */
    Duration now();

    /** The only source of randomness the actor may use (seeded by the runtime). */
    RandomGenerator random();

    /** A debugging note, recorded in the run's trace with the time and the actor's name. */
    void log(String message);
}
