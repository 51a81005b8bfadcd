package harness.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import harness.api.ClientConfig;
import harness.api.Operation;
import harness.api.Outcome;
import harness.api.RaftImplementation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code raft-client}: one operation on the key-value store of a real cluster, its outcome on
 * standard output and in the exit code (the course's command-line spec): 0 done, 2 no answer in
 * time, 3 the server asked (--target) is not the leader, 4 the write's entry was replaced by
 * another leader's before it committed, 64 wrong usage.
 */
@Command(name = "raft-client", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Runs one operation on the key-value store of a real cluster (see raft-node).",
                "  raft-client put x 1          prints OK leader=1 index=5",
                "  raft-client get x            prints the value ((absent) if there is none)",
                "  raft-client delete x | append x abc | cas x OLD NEW (prints true or false)",
                "  raft-client status           every node's role, term, commit index, last applied and log length",
                "Exit codes: 0 done, 2 no answer in time, 3 not the leader (with --target), 4 the entry was replaced"
                        + " by another leader's, 64 wrong usage."},
        exitCodeOnInvalidInput = RaftNodeMain.USAGE, exitCodeOnExecutionException = 1)
public final class RaftClientMain implements java.util.concurrent.Callable<Integer> {

    static final int TIMEOUT = 2;
    static final int NOT_LEADER = 3;
    static final int REPLACED = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "put, get, delete, append, cas or status")
    String command;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "the key, and the value(s) the command takes")
    List<String> args = new ArrayList<>();

    @Option(names = "--target", paramLabel = "N", description = "ask node N only, and print its answer even if it is"
            + " not the leader (exit 3), instead of finding the leader")
    String target;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up after this long (default ${DEFAULT-VALUE})")
    double timeoutSeconds = 5;

    @Option(names = "--nodes", paramLabel = "IDS", description = "the cluster's servers (default ${DEFAULT-VALUE})")
    String nodes = "1,2,3";

    @Option(names = "--peer", paramLabel = "ID=HOST:PORT", description = "where a server listens, if not on 127.0.0.1:"
            + Addresses.BASE_PORT + "+ID (repeatable)")
    List<String> peerAddresses = new ArrayList<>();

    @Option(names = "--milestone", paramLabel = "N", description = "the milestone whose client to run (default: the"
            + " highest built with a key-value store)")
    Integer milestone;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    public static void main(String[] args) {
        System.exit(new CommandLine(new RaftClientMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Addresses addresses = new Addresses();
        List<Integer> servers;
        Duration timeout;
        try {
            peerAddresses.forEach(addresses::add);
            servers = serverIds(nodes);
            if (!(timeoutSeconds > 0) || timeoutSeconds > 3600) {
                throw new IllegalArgumentException("--timeout is a number of seconds above 0, such as 5 or 0.5, not " + timeoutSeconds);
            }
            timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (command.equals("status")) {
            usage(args.isEmpty(), "status takes no arguments");
            return status(servers, addresses, timeout);
        }
        Operation operation = operation();
        RaftImplementation implementation;
        try {
            implementation = RaftNodeMain.implementation(milestone);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        int id = ThreadLocalRandom.current().nextInt(ClientConfig.FIRST_ID + 1000, 1_000_000_000);
        if (target != null) {
            int node;
            try {
                node = Addresses.parseId(target, "--target");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            return targeted(id, node, addresses, implementation, operation, timeout);
        }
        return throughClient(id, servers, addresses, implementation, operation, timeout);
    }

    /** The milestone's client finds the leader, follows hints, and decides what is safe to send again. */
    private int throughClient(int id, List<Integer> servers, Addresses addresses, RaftImplementation implementation, Operation op,
                              Duration timeout) throws InterruptedException {
        Long[] replacedAt = {null};
        try (TcpClient client = new TcpClient(id, servers, addresses, implementation, timeout, e -> {
            if (e.type().equals("EntryReplaced")) {
                replacedAt[0] = e.fields().path("index").asLong();
            }
        })) {
            Outcome outcome = client.perform(op, timeout.plusSeconds(1));
            if (outcome != null && outcome.isOk()) {
                printOk(op, outcome.value(), outcome.leader(), outcome.index());
                return 0;
            }
            if (replacedAt[0] != null) {
                return replaced(replacedAt[0]);
            }
            return timedOut(timeout, outcome == null ? "the client did not finish" : outcome.note());
        }
    }

    /** One request to one server, and its answer as it is: the leader's result, or "not the leader". */
    private int targeted(int id, int node, Addresses addresses, RaftImplementation implementation, Operation op, Duration timeout)
            throws InterruptedException {
        CompletableFuture<Envelope> answer = new CompletableFuture<>();
        try (TcpClient client = new TcpClient(id, List.of(node), addresses, implementation, timeout, e -> {
            if (e.fields().path("request_id").asLong() == 1) {
                answer.complete(e);
            }
        })) {
            ObjectNode request = Envelope.JSON.createObjectNode();
            request.put("request_id", 1);
            request.put(op.kind().writes() ? "command" : "query", op.toJson());
            client.sendFrame(node, Envelope.wrap(op.kind().writes() ? "ClientRequest" : "ReadRequest", id, request));
            Envelope e;
            try {
                e = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException ex) {
                return timedOut(timeout, "node" + node + " did not answer");
            }
            JsonNode f = e.fields();
            switch (e.type()) {
                case "ClientReply" -> {
                    printOk(op, f.path("result").isNull() ? null : f.path("result").asText(), f.path("leader").asInt(),
                            f.path("index").asLong());
                    return 0;
                }
                case "NotLeader" -> {
                    ObjectNode error = Envelope.JSON.createObjectNode();
                    error.put("error", "not_leader");
                    if (f.path("leader").isNull() || f.path("leader").isMissingNode()) {
                        error.putNull("leader");
                    } else {
                        error.put("leader", "node" + f.path("leader").asInt());
                    }
                    out.println(error);
                    return NOT_LEADER;
                }
                case "EntryReplaced" -> {
                    return replaced(f.path("index").asLong());
                }
                default -> {
                    return timedOut(timeout, "node" + node + " answered with a " + e.type());
                }
            }
        }
    }

    private void printOk(Operation op, String value, int leader, long index) {
        switch (op.kind()) {
            case GET -> out.println(value == null ? "(absent)" : value);
            case CAS -> out.println(value);
            default -> out.println("OK leader=" + leader + " index=" + index);
        }
    }

    private int replaced(long index) {
        out.println("{\"error\":\"log_inconsistency\",\"index\":" + index + ",\"message\":\"the entry was replaced by another"
                + " leader's before it committed: the write did not take effect\"}");
        return REPLACED;
    }

    private int timedOut(Duration timeout, String why) {
        ObjectNode error = Envelope.JSON.createObjectNode();
        error.put("error", "timeout");
        error.put("after_ms", timeout.toMillis());
        error.put("message", "no answer in time (" + why + "); a write may still take effect");
        out.println(error);
        return TIMEOUT;
    }

    private Operation operation() {
        String key = args.isEmpty() ? null : args.get(0);
        int values = args.size() - 1;
        try {
            return switch (command) {
                case "put" -> {
                    usage(values == 1, "put takes a key and a value: raft-client put x 1");
                    yield Operation.put(key, args.get(1));
                }
                case "get" -> {
                    usage(values == 0, "get takes a key: raft-client get x");
                    yield Operation.get(key);
                }
                case "delete" -> {
                    usage(values == 0, "delete takes a key: raft-client delete x");
                    yield Operation.delete(key);
                }
                case "append" -> {
                    usage(values == 1, "append takes a key and a value: raft-client append x abc");
                    yield Operation.append(key, args.get(1));
                }
                case "cas" -> {
                    usage(values == 2, "cas takes a key, the expected value and the new one: raft-client cas x 1 2");
                    yield Operation.cas(key, args.get(1), args.get(2));
                }
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown command \"" + command
                        + "\": raft-client runs put, get, delete, append, cas or status");
            };
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void usage(boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    static List<Integer> serverIds(String text) {
        List<Integer> ids = new ArrayList<>();
        for (String part : text.split(",")) {
            int id = Addresses.parseId(part, "--nodes " + text);
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Asks every server for its state, directly and all at once, and prints a table; unreachable ones say so. */
    private int status(List<Integer> servers, Addresses addresses, Duration timeout) {
        Duration within = timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : Duration.ofSeconds(2);
        Map<Integer, CompletableFuture<JsonNode>> replies = new java.util.LinkedHashMap<>();
        for (int s : servers) {
            replies.put(s, CompletableFuture.supplyAsync(() -> {
                try {
                    return Probe.status(addresses, s, within);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }));
        }
        out.printf("%-7s %-22s %-10s %6s %8s %8s %8s%n", "node", "address", "role", "term", "commit", "applied", "log");
        int answered = 0;
        for (int s : servers) {
            JsonNode r = replies.get(s).join();
            if (r == null) {
                out.printf("%-7s %-22s %s%n", "node" + s, Addresses.format(addresses.of(s)), "(no answer: down or unreachable)");
            } else {
                answered++;
                out.printf("%-7s %-22s %-10s %6d %8d %8d %8d%n", "node" + s, r.path("address").asText(), r.path("role").asText(),
                        r.path("term").asLong(), r.path("commit_index").asLong(), r.path("last_applied").asLong(),
                        r.path("log_length").asLong());
            }
        }
        return answered == 0 ? TIMEOUT : 0;
    }
}
