package harness.realtime;

import harness.api.Entry;
import harness.api.Proposal;
import harness.cluster.Cluster;
import harness.cluster.Implementations;
import harness.cluster.Subject;
import harness.observe.NodeView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server process made to be killed: one Raft server, alone in its cluster, in real time, with
 * its term, vote and log in real files under {@code DIR/node1/}. A crash test starts it, kills it
 * with SIGKILL at some point, starts it again on the same directory and compares what it
 * recovered with what it had acknowledged ({@code RealCrashCheck} does exactly that).
 *
 * <p>What it prints on standard output, one line at a time, each handed to the pipe whole:
 * <pre>
 * recovered entry &lt;index&gt; &lt;term&gt; &lt;command&gt;        one line per entry the server booted with
 * recovered &lt;n&gt; entries, last &lt;index&gt; &lt;term&gt; &lt;command&gt;    (or "recovered 0 entries")
 * leader term &lt;term&gt;
 * ack &lt;index&gt; &lt;term&gt; &lt;command&gt;                    one line per command committed and applied
 * </pre>
 * An ack is what a client would be told, so it must survive any crash that follows it. It names
 * the entry's term as well as its index: in Raft an index and a term identify an entry, so a
 * command that was lost and then proposed again at the same index, in a later term, does not pass
 * for the one that was acknowledged. Commands are {@code cmd-1}, {@code cmd-2}, …, the numbering
 * continuing from the last command of the recovered log.
 *
 * <p>Exit codes: 0 after {@code --recover-only} or {@code --acks}, 1 if the server failed, 2 for
 * wrong use. Otherwise it proposes until it is killed.
 */
@Command(name = "crash-target", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Runs one Raft server (milestone 4 or later) alone, storing in files under DIR/node1/, and proposes"
                + " commands to it as fast as it takes them, printing \"ack <index> <term> <command>\" once each is"
                + " committed and applied. Made to be killed: started again on the same DIR, it first prints the log it"
                + " recovered (\"recovered entry <index> <term> <command>\" lines, then \"recovered <n> entries, ...\")."})
public final class CrashTarget implements Callable<Integer> {

    private static final Pattern NUMBERED = Pattern.compile("cmd-(\\d+)");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the directory the server stores in (created if missing)")
    Path directory;

    @Option(names = "--milestone", paramLabel = "N",
            description = "run milestone N's built jar instead of the implementation on the class path")
    Integer milestone;

    @Option(names = "--recover-only", description = "print what the server recovered and exit, proposing nothing")
    boolean recoverOnly;

    @Option(names = "--acks", paramLabel = "K", description = "exit after K acknowledgements (default: never, wait to be killed)")
    Long acks;

    @Option(names = "--lead-within", paramLabel = "MS", description = "fail if the server is not leader within MS milliseconds"
            + " (default ${DEFAULT-VALUE})")
    long leadWithinMillis = 10_000;

    /** Standard output without Java's line-by-line flushing: each line leaves in a single write when flushed. */
    private final PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            false, StandardCharsets.UTF_8);

    public static void main(String[] args) {
        System.exit(new CommandLine(new CrashTarget()).execute(args));
    }

    @Override
    public Integer call() {
        if (acks != null && acks < 0) {
            throw wrongUse("--acks must be 0 or more, not " + acks);
        }
        if (leadWithinMillis <= 0) {
            throw wrongUse("--lead-within must be positive, not " + leadWithinMillis);
        }
        Subject subject = subject();
        if (subject.implementation().milestone() < 4) {
            throw wrongUse(subject + " keeps nothing on stable storage (persistence is milestone 4): there is nothing"
                    + " a crash could lose");
        }
        Cluster.Builder builder = Cluster.builder().nodes(1).seed(System.nanoTime()).subject(subject).storeIn(directory);
        try (RealTimeCluster cluster = builder.realTime()) {
            List<Entry> recovered = recover(cluster);
            if (recoverOnly) {
                return 0;
            }
            cluster.awaitLeader(Duration.ofMillis(leadWithinMillis));
            out.println("leader term " + cluster.view(1).term());
            out.flush();
            long number = nextNumber(recovered);
            for (long done = 0; acks == null || done < acks; done++, number++) {
                propose(cluster, "cmd-" + number);
            }
            return 0;
        } catch (RuntimeException | Error e) {
            System.err.println("crash-target: the server failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    /** The implementation on the class path, or milestone N's; either with the bug-zoo variant -Draft.bug names. */
    private Subject subject() {
        try {
            if (milestone == null) {
                return Implementations.underTest();
            }
            Subject built = new Subject(Implementations.milestone(milestone));
            String bug = System.getProperty("raft.bug", "");
            return bug.isBlank() ? built : built.withBug(bug.strip());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw wrongUse(e.getMessage());
        }
    }

    /** Prints the log the server booted with, once its boot has run; a boot that failed is rethrown. */
    private List<Entry> recover(RealTimeCluster cluster) {
        NodeView booted = cluster.view(1); // queued behind the boot on the server's thread
        cluster.runFor(Duration.ZERO); // rethrows a failed boot, such as damaged files
        if (!booted.up()) {
            throw new IllegalStateException("node1 did not come up on " + directory.toAbsolutePath());
        }
        List<Entry> log = booted.log();
        long index = booted.logStart();
        for (Entry e : log) {
            out.println("recovered entry " + index++ + " " + e.term() + " " + e.command());
        }
        if (log.isEmpty()) {
            out.println("recovered 0 entries");
        } else {
            Entry last = log.get(log.size() - 1);
            out.println("recovered " + log.size() + (log.size() == 1 ? " entry" : " entries") + ", last "
                    + booted.lastLogIndex() + " " + last.term() + " " + last.command());
        }
        out.flush();
        return log;
    }

    /** One command, from proposal to acknowledgement: accepted, committed, applied, then acked. */
    private void propose(RealTimeCluster cluster, String command) {
        Proposal answer = cluster.propose(1, command);
        if (!(answer instanceof Proposal.Accepted accepted)) {
            throw new IllegalStateException("node1, alone in its cluster, did not take \"" + command + "\": " + answer);
        }
        long index = accepted.index();
        if (!cluster.runUntil(c -> c.view(1).lastApplied() >= index, Duration.ofSeconds(5))) {
            throw new IllegalStateException("node1 took \"" + command + "\" at index " + index + " but did not apply it"
                    + " within 5 s:\n" + cluster.report());
        }
        Entry entry = cluster.view(1).entryAt(index);
        if (entry == null || entry.term() != accepted.term() || !entry.command().equals(command)) {
            throw new IllegalStateException("node1 took \"" + command + "\" at index " + index + " in term " + accepted.term()
                    + ", but applied " + entry + " there");
        }
        out.println("ack " + index + " " + accepted.term() + " " + command);
        out.flush();
    }

    /** The number after the last "cmd-N" of the recovered log (1 for an empty log). */
    private static long nextNumber(List<Entry> recovered) {
        for (int i = recovered.size() - 1; i >= 0; i--) {
            Matcher m = NUMBERED.matcher(recovered.get(i).command());
            if (m.matches()) {
                return Long.parseLong(m.group(1)) + 1;
            }
        }
        return recovered.size() + 1;
    }

    private CommandLine.ParameterException wrongUse(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
