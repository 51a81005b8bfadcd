package harness.net;

import harness.api.RaftImplementation;
import harness.cluster.Implementations;
import harness.storage.FileVolume;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code raft-node}: one server of the key-value store as a process of its own (see {@link TcpNode}). */
@Command(name = "raft-node", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Runs one Raft server of the key-value store as a process, over TCP, storing in files.",
                "Node N listens on 127.0.0.1:" + Addresses.BASE_PORT + "+N unless told otherwise. Stop it with Ctrl-C (or kill -9:"
                        + " it loses nothing it acknowledged).",
                "Example, three nodes on this machine:  raft-node --id 1 --peers 2,3   (and --id 2 --peers 1,3, --id 3 --peers 1,2)"},
        exitCodeOnInvalidInput = RaftNodeMain.USAGE, exitCodeOnExecutionException = 1)
public final class RaftNodeMain implements Callable<Integer> {

    /**
     * How the course starts a node's JVM (here, and as {@code node_jvm} in {@code ./course}): the
     * serial collector. A node's heap is small and its collections short, and on this course's
     * two-core machine G1's concurrent threads compete with three nodes for the cores: the serial
     * collector took the cluster benchmark from 1,010-1,040 puts per second at 1 in flight to
     * 1,100-1,160, and at 16 from 5,500-5,800 to 6,500-7,600 (two runs each).
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC");


    /** Wrong usage, as the course's command-line spec asks (2 is the client's RPC timeout). */
    static final int USAGE = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--id", required = true, paramLabel = "N", description = "this server's id, 1 to 99")
    String id;

    @Option(names = "--peers", required = true, paramLabel = "IDS", description = "the other servers' ids, such as 2,3"
            + " (\"none\" for a cluster of one)")
    String peers;

    @Option(names = "--peer", paramLabel = "ID=HOST:PORT", description = "where a server listens, if not on 127.0.0.1:"
            + Addresses.BASE_PORT + "+ID (repeatable)")
    List<String> peerAddresses = new ArrayList<>();

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "where this server listens (default 127.0.0.1:"
            + Addresses.BASE_PORT + "+ID; it binds to loopback unless told otherwise)")
    String listen;

    @Option(names = "--data", paramLabel = "DIR", description = "where this server keeps its term, vote and log"
            + " (default: target/cluster/nodeID in the course's folder)")
    Path data;

    @Option(names = "--milestone", paramLabel = "N", description = "run milestone N's built code (default: the highest built"
            + " with a key-value store)")
    Integer milestone;

    @Option(names = "--seed", paramLabel = "S", description = "seed for the election timeouts (default: random): node N"
            + " draws from S×100+N, so the same --seed for every node fixes which times out first")
    Long seed;

    @Option(names = "--trace", description = "print every message sent and received")
    boolean trace;

    @Option(names = "--log-file", paramLabel = "HOW", description = "how the log file is written, to compare the two:"
            + " preallocated (the default: over zeros written ahead of it) or grown (made longer by each append)")
    FileVolume.LogFiles logFile = FileVolume.LogFiles.PREALLOCATED;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RaftNodeMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int self = parse(() -> Addresses.parseId(id, "--id"));
        Addresses addresses = new Addresses();
        for (String p : peerAddresses) {
            parse(() -> {
                addresses.add(p);
                return null;
            });
        }
        List<Integer> others = parse(() -> peerIds(peers, self));
        InetSocketAddress bind = listen == null ? addresses.of(self) : parse(() -> hostPort(listen));
        RaftImplementation implementation = parse(() -> implementation(milestone));
        Path dir = data != null ? data : Implementations.courseRoot().resolve("target/cluster/node" + self);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        TcpNode node;
        try {
            node = new TcpNode(self, others, addresses, bind, implementation, dir, logFile,
                    seed != null ? seed : System.nanoTime(), trace, out);
        } catch (TcpNode.StartFailure e) {
            System.err.println("raft-node: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.log("stopping (signal): its state is on disk");
            node.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private <T> T parse(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static List<Integer> peerIds(String text, int self) {
        List<Integer> ids = new ArrayList<>();
        if (!text.strip().equalsIgnoreCase("none")) {
            for (String part : text.split(",")) {
                int peer = Addresses.parseId(part, "--peers " + text);
                if (peer == self) {
                    throw new IllegalArgumentException("--peers " + text + " names this server, node" + self + ", itself");
                }
                if (ids.contains(peer)) {
                    throw new IllegalArgumentException("--peers " + text + " names node" + peer + " twice");
                }
                ids.add(peer);
            }
        }
        return ids;
    }

    static InetSocketAddress hostPort(String text) {
        int colon = text.lastIndexOf(':');
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (colon > 0 && port >= 0 && port <= 65535) {
                return InetSocketAddress.createUnresolved(text.substring(0, colon), port);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--listen takes HOST:PORT, such as 127.0.0.1:7001, not \"" + text + "\"");
    }

    /**
     * Milestone {@code n}'s code; without {@code n}, the milestone on the class path if it has a
     * key-value store, else the highest built milestone that has one.
     */
    static RaftImplementation implementation(Integer n) {
        if (n != null) {
            RaftImplementation chosen = Implementations.milestone(n);
            if (chosen.newStateMachine() == null) {
                throw new IllegalArgumentException("milestone " + n + " has no key-value store to serve (it starts at milestone 5):"
                        + " run --milestone 5 or later");
            }
            return chosen;
        }
        Optional<RaftImplementation> here = Implementations.onClassPath(); // as in a milestone's own tests
        if (here.isPresent() && here.get().newStateMachine() != null) {
            return here.get();
        }
        for (int m = 8; m >= 5; m--) {
            if (Implementations.referenceModule(Implementations.courseRoot(), m).isPresent()) {
                return Implementations.milestone(m);
            }
        }
        throw new IllegalStateException("no milestone with a key-value store (5 or later) is in " + Implementations.courseRoot());
    }
}
