package harness.net;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real cluster's golden path: three {@code raft-node} processes with the same fixed seed
 * (node1 then times out first, at 150 ms, the others at 278 and 296), on empty data directories,
 * and a scripted series of {@code raft-client} commands, each a process of its own. The transcript
 * (commands, outputs, exit codes) is the same every run; {@code GoldenPathCheck} holds it to
 * {@code golden-path.txt}, and {@code ./course cluster golden} prints it.
 */
public final class GoldenPath {

    /** The cluster's seed: node N draws its election timeouts from 433×100+N. */
    public static final long SEED = 433;

    /** The client's commands, in order: three puts, the put COURSE.md shows, a read, and a follower's refusal. */
    static final List<List<String>> COMMANDS = List.of(
            List.of("put", "a", "1"),
            List.of("put", "b", "2"),
            List.of("put", "c", "3"),
            List.of("put", "x", "1"),
            List.of("get", "x"),
            List.of("put", "x", "2", "--target", "2"),
            List.of("cas", "x", "1", "5"),
            List.of("get", "x", "--target", "1"));

    private GoldenPath() {
    }

    public static void main(String[] args) throws Exception {
        int basePort = args.length > 0 ? Integer.parseInt(args[0]) : Addresses.BASE_PORT;
        Path data = Files.createTempDirectory("golden-path-");
        try {
            System.out.print(run(data, basePort));
        } finally {
            harness.storage.Folders.deleteTree(data);
        }
    }

    /** Runs the golden path with nodes on {@code basePort}+1..3 and data under {@code data}; returns the transcript. */
    public static String run(Path data, int basePort) throws IOException, InterruptedException {
        StringBuilder transcript = new StringBuilder();
        List<String> where = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            where.addAll(List.of("--peer", id + "=127.0.0.1:" + (basePort + id)));
        }
        try (LocalCluster cluster = new LocalCluster(data, 3, basePort, SEED, false)) {
            for (int id = 1; id <= 3; id++) {
                transcript.append("$ raft-node --id ").append(id).append(" --peers ").append(id == 1 ? "2,3" : id == 2 ? "1,3" : "1,2")
                        .append(" --seed ").append(SEED).append(" &\n");
                cluster.start(id);
            }
            JsonNode leader = cluster.awaitLeader(Duration.ofSeconds(20));
            transcript.append(leader == null ? "no leader within 20 s\n"
                    : "node" + leader.path("id").asInt() + " is leader in term " + leader.path("term").asLong() + "\n");
            for (List<String> args : COMMANDS) {
                transcript.append("$ raft-client ").append(String.join(" ", args)).append('\n');
                List<String> command = LocalCluster.java(RaftClientMain.class);
                command.addAll(args);
                command.addAll(where);
                Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!client.waitFor(30, TimeUnit.SECONDS)) {
                    client.destroyForcibly();
                }
                transcript.append(output).append("(exit ").append(client.exitValue()).append(")\n");
            }
        }
        return transcript.toString();
    }
}
