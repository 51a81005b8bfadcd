package harness.sim;

import harness.api.RaftMessage;
import harness.cluster.Cluster;
import harness.cluster.Conditions;
import harness.observe.TraceEvent;
import harness.testing.Messages.Ping;
import harness.testing.Messages.Pong;
import harness.testing.Recorder;
import harness.testing.Syncer;
import harness.testing.Syncer.Input;
import harness.testing.TestImplementation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A disk sync that takes time ({@code Cluster.builder().syncLatency}): its server is busy until it
 * completes, and what it sends after the sync leaves only then. Without one, nothing changes.
 */
class SyncLatencyTest {

    private static final Duration ONE_MS = Duration.ofMillis(1);
    /** Every message takes exactly 1 ms, so the times below can be worked out by hand. */
    private static final Conditions ONE_MS_WIRE = Conditions.reliable().withLatency(ONE_MS, ONE_MS);

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    private static Input at(long ms, String what) {
        return new Input(ms(ms), what);
    }

    private static SimulatedCluster twoSyncers(TestImplementation implementation, Duration syncLatency) {
        return Cluster.builder().nodes(2).seed(1).implementation(implementation).network(ONE_MS_WIRE).syncLatency(syncLatency).simulated();
    }

    private static Syncer server(TestImplementation implementation, int id, int incarnation) {
        return (Syncer) implementation.created(id).get(incarnation - 1);
    }

    /** Answers every Ping with a Pong at once, writing nothing. */
    private abstract static class Answering implements Syncer.Script {
        @Override
        public void receive(Syncer server, int from, RaftMessage message) {
            if (message instanceof Ping ping) {
                server.env().send(from, new Pong(0, ping.seq()));
            }
        }
    }

    @Test
    void withoutASyncLatencyTheRunIsExactlyTheOneBeforeSyncsCouldTakeTime() {
        for (Cluster.Builder builder : List.of(Cluster.builder(), Cluster.builder().syncLatency(Duration.ZERO))) {
            SimulatedCluster c = builder.nodes(4).seed(7).implementation(Syncer.implementation(Syncer.BUSY))
                    .network(Conditions.unreliable()).simulated();
            c.runFor(Duration.ofSeconds(1));

            // Recorded with the harness as it was before sync latencies existed.
            assertEquals("d1c693b8d72ecfaa", c.trace().fingerprint());
            assertEquals(5878, c.trace().size());
            assertEquals(318, c.diskCounters(1).fileSyncs(), "the servers did write and sync");
        }
    }

    @Test
    void withASyncLatencyTheSameSeedStillGivesTheSameRun() {
        String[] fingerprints = new String[3];
        Duration[] latencies = {ms(3), ms(3), ms(4)};
        for (int i = 0; i < 3; i++) {
            SimulatedCluster c = Cluster.builder().nodes(4).seed(7).implementation(Syncer.implementation(Syncer.BUSY))
                    .network(Conditions.unreliable()).syncLatency(latencies[i]).simulated();
            c.runFor(Duration.ofSeconds(1));
            fingerprints[i] = c.trace().fingerprint();
        }
        assertEquals(fingerprints[0], fingerprints[1]);
        assertNotEquals(fingerprints[0], fingerprints[2], "another latency, another run");
        assertNotEquals("d1c693b8d72ecfaa", fingerprints[0], "syncs that take time change the run");
    }

    /**
     * node1 sends a Ping, writes and syncs at 5 ms, then sends another: the first leaves at once,
     * the second when the 10 ms sync completes, at 15 ms. node2's answer to the first arrives at
     * 7 ms and a timer of node1's is due at 12 ms; both wait until 15 ms, in that order. A timer
     * started after the sync counts from its end, and the clock the server reads has moved on.
     */
    @Test
    void aSyncThatWritesKeepsItsServerBusyAndHoldsBackWhatItSendsAfterIt() {
        Duration[] clockAfterSync = new Duration[2];
        TestImplementation implementation = Syncer.implementation(new Answering() {
            @Override
            public void start(Syncer s) {
                if (s.id() != 1) {
                    return;
                }
                s.startTimer("due", 12, () -> { });
                s.startTimer("go", 5, () -> {
                    s.sendToAll(1);
                    s.write();
                    s.sync();
                    clockAfterSync[0] = s.env().now();
                    s.sync(); // nothing more to write: this one is free
                    clockAfterSync[1] = s.env().now();
                    s.sendToAll(2);
                    s.startTimer("tick", 1, () -> { });
                });
            }
        });
        SimulatedCluster c = twoSyncers(implementation, ms(10));
        c.runFor(ms(30));

        assertEquals(List.of(at(0, "start"), at(6, "Ping from node1"), at(16, "Ping from node1")), server(implementation, 2, 1).inputs());
        assertEquals(List.of(at(0, "start"), at(5, "timer go"), at(15, "Pong from node2"), at(15, "timer due"), at(16, "timer tick"),
                at(17, "Pong from node2")), server(implementation, 1, 1).inputs());
        assertEquals(ms(15), clockAfterSync[0]);
        assertEquals(ms(15), clockAfterSync[1]);
    }

    @Test
    void withoutALatencyTheSameScriptTakesNoTimeForItsSync() {
        TestImplementation implementation = Syncer.implementation(new Answering() {
            @Override
            public void start(Syncer s) {
                if (s.id() == 1) {
                    s.startTimer("go", 5, () -> {
                        s.write();
                        s.sync();
                        s.sendToAll(1);
                    });
                }
            }
        });
        SimulatedCluster c = twoSyncers(implementation, Duration.ZERO);
        c.runFor(ms(30));

        assertEquals(List.of(at(0, "start"), at(5, "timer go"), at(7, "Pong from node2")), server(implementation, 1, 1).inputs());
    }

    /**
     * node1 is busy syncing from 5 to 15 ms when a Ping arrives at 7 ms; it crashes at 8 ms, so
     * the Ping is lost with the rest of its memory, and so is the Ping it sent after the sync,
     * which had not left yet. What the sync wrote is durable. The server restarted at 9 ms is not
     * busy: it takes the next Ping as it arrives.
     */
    @Test
    void aCrashEndsTheSyncAndLosesWhatWasWaiting() {
        TestImplementation implementation = Syncer.implementation(new Answering() {
            @Override
            public void start(Syncer s) {
                if (s.id() == 1 && s.env().now().isZero()) {
                    s.startTimer("write", 5, () -> {
                        s.write();
                        s.sync();
                        s.sendToAll(3);
                    });
                } else if (s.id() == 2) {
                    s.startTimer("ping", 6, () -> s.sendToAll(1));
                    s.startTimer("ping again", 10, () -> s.sendToAll(2));
                }
            }
        });
        SimulatedCluster c = twoSyncers(implementation, ms(10));
        Recorder recorder = Recorder.on(c);
        c.runFor(ms(8));
        c.crash(1);
        c.runFor(ONE_MS);
        c.restart(1);
        c.runFor(ms(20));

        assertEquals(List.of(at(0, "start"), at(5, "timer write")), server(implementation, 1, 1).inputs());
        assertEquals(List.of(at(9, "start"), at(11, "Ping from node2")), server(implementation, 1, 2).inputs());
        assertEquals(List.of(at(0, "start"), at(6, "timer ping"), at(10, "timer ping again"), at(12, "Pong from node1")),
                server(implementation, 2, 1).inputs());
        List<String> lost = recorder.of(TraceEvent.Lost.class).stream().map(TraceEvent.Lost::describe).toList();
        assertEquals(List.of("node2 ✗ node1  Ping #1 lost: node1 crashed before sending it",
                "node1 ✗ node2  Ping #2 lost: node1 crashed before taking it"), lost);
        assertEquals(1, c.durable(1).term(), "the sync under way at the crash had made its write durable");
    }

    /** A client's proposal is taken at once, but what the server sends then waits behind its sync. */
    @Test
    void aProposalDuringASyncSendsOnlyWhenTheSyncCompletes() {
        TestImplementation implementation = Syncer.implementation(new Answering() {
            @Override
            public void start(Syncer s) {
                if (s.id() == 1) {
                    s.startTimer("write", 5, () -> {
                        s.write();
                        s.sync();
                    });
                }
            }
        });
        SimulatedCluster c = twoSyncers(implementation, ms(10));
        c.runFor(ms(8));
        c.propose(1, "x");
        c.runFor(ms(20));

        assertEquals(List.of(at(0, "start"), at(5, "timer write"), at(15, "propose x"), at(17, "Pong from node2")),
                server(implementation, 1, 1).inputs());
        assertEquals(List.of(at(0, "start"), at(16, "Ping from node1")), server(implementation, 2, 1).inputs());
    }

    @Test
    void aSyncLatencyIsForTheSimulatorAndNeverNegative() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Cluster.builder().syncLatency(Duration.ofMillis(-1)));
        assertTrue(negative.getMessage().contains("negative"), negative.getMessage());
        IllegalStateException realTime = assertThrows(IllegalStateException.class,
                () -> Cluster.builder().implementation(Syncer.implementation(Syncer.BUSY)).syncLatency(ONE_MS).realTime());
        assertTrue(realTime.getMessage().contains("simulator"), realTime.getMessage());
    }
}
