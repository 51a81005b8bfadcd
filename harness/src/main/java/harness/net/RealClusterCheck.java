package harness.net;

import com.fasterxml.jackson.databind.JsonNode;
import harness.api.ClientConfig;
import harness.api.Operation;
import harness.api.Outcome;
import harness.api.RaftImplementation;
import harness.check.Linearizability;
import harness.check.LinearizabilityResult;
import harness.history.Call;
import harness.history.History;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real cluster under faults, black-box: three {@code raft-node} processes on loopback, each
 * with its own data directory; four clients (the milestone's own client code, over TCP) write and
 * read three keys without pause; meanwhile a node, the leader one time in three, is killed with
 * SIGKILL and restarted on its directory, and now and then one is paused with SIGSTOP past an
 * election timeout and resumed. At the end every node is up, each key is read once more, and the
 * whole history, timed by the wall clock, must be linearizable: no acknowledged write lost, no
 * stale read.
 *
 * <p>Not a graded scenario (the operating system decides when a kill lands, so no seed replays a
 * run); milestone modules from 5 on select it with the tag {@code real-cluster}. {@code
 * -Draft.cluster.rounds=R} runs R kill rounds instead of 20, for a long soak. A failure keeps the
 * nodes' directories and logs and says where.
 */
@Tag("real-cluster")
@DisplayName("The real cluster: three processes over TCP under kill -9 and SIGSTOP, the clients' history linearizable")
public class RealClusterCheck {

    private static final int NODES = 3;
    private static final int CLIENTS = 4;
    private static final List<String> KEYS = List.of("a", "b", "c");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

    private final long seed = System.nanoTime();
    private final SplittableRandom random = new SplittableRandom(seed);
    private LocalCluster cluster;
    private final List<String> events = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private Path directory;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a backstop for a long soak; the default run takes about half a minute
    @DisplayName("20 rounds of kill -9 (the leader one time in three) and SIGSTOP under four clients; every node back, the history linearizable")
    void killsAndPausesUnderLoad() throws Exception {
        run(Integer.getInteger("raft.cluster.rounds", 20));
    }

    /**
     * {@code ./course cluster soak [--rounds R]}: the same check with R rounds (default 100),
     * printing its progress; Ctrl-C stops it and ends the node processes it started.
     */
    public static void main(String[] args) throws Exception {
        int rounds = 100;
        if (args.length == 2 && args[0].equals("--rounds") && args[1].matches("[1-9][0-9]{0,5}")) {
            rounds = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: ./course cluster soak [--rounds R]   (R from 1 to 999999; default 100)");
            System.exit(RaftNodeMain.USAGE);
        }
        RealClusterCheck check = new RealClusterCheck();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (check.cluster != null) {
                    check.cluster.close();
                }
            } catch (InterruptedException ignored) {
                // exiting
            }
        }));
        try {
            check.run(rounds);
        } catch (AssertionError e) {
            System.err.println("real cluster: FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run(int rounds) throws Exception {
        directory = Files.createTempDirectory("real-cluster-");
        cluster = new LocalCluster(directory, NODES, 0, null, Boolean.getBoolean("raft.cluster.trace"));
        RaftImplementation implementation = RaftNodeMain.implementation(null);
        Addresses addresses = cluster.addresses();
        History history = new History();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        boolean passed = false;
        try {
            cluster.startAll();
            awaitLeader(Duration.ofSeconds(10));
            for (int k = 0; k < CLIENTS; k++) {
                int clientId = ClientConfig.FIRST_ID + k;
                SplittableRandom ops = random.split();
                Thread t = new Thread(() -> drive(clientId, implementation, addresses, history, running, ops), "client" + (k + 1));
                t.start();
                clients.add(t);
            }
            for (int round = 1; round <= rounds; round++) {
                fault(round);
                System.out.printf("real cluster: round %d of %d done, %d calls so far%n", round, rounds, history.size());
            }
            for (int id = 1; id <= NODES; id++) {
                if (!cluster.alive(id)) {
                    cluster.start(id);
                }
            }
            Thread.sleep(1000);
            running.set(false);
            for (Thread t : clients) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            awaitLeader(Duration.ofSeconds(10));
            finalReads(implementation, addresses, history);
            List<Call> calls = history.calls();
            long ok = calls.stream().filter(Call::isOk).count();
            assertTrue(ok >= 50, "only " + ok + " of " + calls.size() + " calls completed ok in " + rounds + " rounds: the"
                    + " cluster hardly served its clients" + where());
            LinearizabilityResult result = Linearizability.check(history, Duration.ofSeconds(60));
            if (result.verdict() != LinearizabilityResult.Verdict.LINEARIZABLE) {
                Path page = directory.resolve("history.html");
                Files.writeString(page, harness.display.HistorySvg.page(result));
                Path listing = directory.resolve("calls-on-key.txt");
                Files.write(listing, result.callsOnKey().stream().map(Call::toString).toList());
                fail("the history of " + calls.size() + " calls is " + result.verdict() + ". " + result.explain()
                        + "\nIts picture: " + page + "; the calls on that key: " + listing + where());
            }
            System.out.printf("real cluster: %d rounds, %d calls (%d ok), linearizable; seed %d%n", rounds, calls.size(), ok, seed);
            passed = true;
        } finally {
            running.set(false);
            cluster.close();
            if (passed) {
                harness.storage.Folders.deleteTree(directory);
            }
        }
    }

    /** One client's loop: random operations, one at a time, each recorded with wall-clock times. */
    private void drive(int clientId, RaftImplementation implementation, Addresses addresses, History history, AtomicBoolean running,
                       SplittableRandom ops) {
        List<Integer> servers = List.of(1, 2, 3);
        try (TcpClient client = new TcpClient(clientId, servers, addresses, implementation, CALL_TIMEOUT, e -> { })) {
            int n = 0;
            while (running.get()) {
                String key = KEYS.get(ops.nextInt(KEYS.size()));
                Operation op = switch (ops.nextInt(4)) {
                    case 0 -> Operation.get(key);
                    case 1 -> Operation.put(key, "c" + clientId + "-" + n);
                    case 2 -> Operation.append(key, "+" + (clientId - ClientConfig.FIRST_ID + 1) + "." + n);
                    default -> Operation.cas(key, "c" + clientId + "-" + (n - 1), "c" + clientId + "-" + n);
                };
                n++;
                perform(client, clientId, op, history);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void perform(TcpClient client, int clientId, Operation op, History history) throws InterruptedException {
        int call = history.invoke(clientId, op, micros());
        Outcome outcome = client.perform(op, CALL_TIMEOUT.plusSeconds(1));
        history.complete(call, micros(), outcome != null ? outcome : Outcome.unknown("the client did not finish in time"));
    }

    private void finalReads(RaftImplementation implementation, Addresses addresses, History history) throws InterruptedException {
        try (TcpClient client = new TcpClient(ClientConfig.FIRST_ID + CLIENTS, List.of(1, 2, 3), addresses, implementation,
                Duration.ofSeconds(5), e -> { })) {
            for (String key : KEYS) {
                int call = history.invoke(ClientConfig.FIRST_ID + CLIENTS, Operation.get(key), micros());
                Outcome outcome = client.perform(Operation.get(key), Duration.ofSeconds(6));
                history.complete(call, micros(), outcome != null ? outcome : Outcome.unknown("no answer"));
                if (outcome == null || !outcome.isOk()) {
                    fail("with every node back up, get " + key + " ended " + outcome + where());
                }
            }
        }
    }

    /** A round: kill -9 one node (the leader one time in three) and restart it, or pause one past an election timeout. */
    private void fault(int round) throws Exception {
        JsonNode status = cluster.leader();
        Integer leader = status == null ? null : status.path("id").asInt();
        int victim = leader != null && random.nextInt(3) == 0 ? leader : 1 + random.nextInt(NODES);
        String who = "node" + victim + (Integer.valueOf(victim).equals(leader) ? " (the leader)" : "");
        if (round % 5 == 0) {
            cluster.signal("STOP", victim);
            note("round " + round + ": SIGSTOP " + who);
            Thread.sleep(400 + random.nextInt(400));
            cluster.signal("CONT", victim);
            note("round " + round + ": SIGCONT node" + victim);
        } else {
            Thread.sleep(random.nextInt(300));
            cluster.kill(victim);
            note("round " + round + ": kill -9 " + who);
            Thread.sleep(200 + random.nextInt(500));
            cluster.start(victim);
            note("round " + round + ": restarted node" + victim);
        }
        Thread.sleep(300 + random.nextInt(500));
    }

    private void awaitLeader(Duration within) throws InterruptedException {
        if (cluster.awaitLeader(within) == null) {
            fail("no leader within " + within.toSeconds() + " s" + where());
        }
    }

    private long micros() {
        return (System.nanoTime() - startNanos) / 1000;
    }

    private void note(String event) {
        events.add(String.format("%8.3f s  %s", micros() / 1e6, event));
    }

    private String where() {
        return "\nseed " + seed + "; the faults:\n  " + String.join("\n  ", events) + "\nthe nodes' data and logs (node1.log ...) are"
                + " kept in " + directory;
    }
}
