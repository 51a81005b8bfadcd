package notes;

import harness.api.RaftImplementation;
import harness.check.LinearizabilityResult;
import harness.cluster.Cluster;
import harness.cluster.Implementations;
import harness.display.TimelineSvg;
import notes.figure16.Experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes everything in the notes that comes from the code rather than from the prose, so it
 * cannot drift: for each milestone its rubric (from the graded suites' own annotations), its
 * rules, its bug zoo, what changed since the previous milestone (a diff of the two modules), and
 * a timeline of a real election; from milestone 5, a stale read served by a leader that reads
 * on its own ({@link StaleRead}), and the linearizability checker's verdict on it and picture of
 * it; and the reproduction of the paper's Figure 16.
 *
 * <p>Run by the docs module's build before Asciidoctor: {@code Generate <output folder> <course folder>}.
 */
public final class Generate {

    private static final Pattern MILESTONE_MODULE = Pattern.compile("milestone-(\\d+)-.+");

    private Generate() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Generate <output folder> <course folder>");
        }
        Path out = Path.of(args[0]);
        Path root = Path.of(args[1]);
        List<Path> modules = milestoneModules(root);
        for (int i = 0; i < modules.size(); i++) {
            int n = milestoneNumber(modules.get(i));
            Path dir = Files.createDirectories(out.resolve("milestone-" + n));
            RaftImplementation implementation = Implementations.milestone(n);
            Files.writeString(dir.resolve("rubric.adoc"), Tables.rubric(n));
            Files.writeString(dir.resolve("rules.adoc"), Tables.rules(n, implementation));
            Files.writeString(dir.resolve("bug-zoo.adoc"), Tables.bugZoo(n, implementation));
            Files.writeString(dir.resolve("changes.adoc"), i == 0
                    ? Changes.firstMilestone(root, modules.get(i))
                    : Changes.between(root, modules.get(i - 1), modules.get(i)));
            Files.writeString(dir.resolve("election.svg"), electionTimeline(n));
            if (implementation.bugZoo().stream().anyMatch(b -> b.name().equals(StaleRead.BUG))) {
                Cluster correct = StaleRead.run(n, null);
                Cluster stale = StaleRead.run(n, StaleRead.BUG);
                Files.writeString(dir.resolve("stale-read.adoc"), StaleRead.adoc(n, correct, stale));
                Files.writeString(dir.resolve("stale-read.svg"), StaleRead.svg(stale));
                LinearizabilityResult staleCheck = StaleRead.check(stale);
                Files.writeString(dir.resolve("stale-read-check.adoc"), StaleRead.checkAdoc(n, StaleRead.check(correct), staleCheck));
                Files.writeString(dir.resolve("stale-read-check.svg"), StaleRead.checkSvg(staleCheck));
            }
        }
        Files.writeString(out.resolve("figure16.adoc"), Figure16Page.adoc(Experiment.writeFigure(out)));
    }

    /** The milestone modules of the course, in milestone order. */
    static List<Path> milestoneModules(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isDirectory(d) && MILESTONE_MODULE.matcher(d.getFileName().toString()).matches())
                    .sorted((a, b) -> Integer.compare(milestoneNumber(a), milestoneNumber(b)))
                    .toList();
        }
    }

    static int milestoneNumber(Path module) {
        Matcher m = MILESTONE_MODULE.matcher(module.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(module + " is not a milestone module");
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Five servers elect a leader, lose it to a crash, elect another, and take the first back:
     * seed 7, so the picture is the same at every build.
     */
    static String electionTimeline(int milestone) {
        Cluster cluster = Cluster.builder().milestone(milestone).nodes(5).seed(7).simulated();
        int first = cluster.awaitLeader(Duration.ofSeconds(2));
        cluster.runFor(Duration.ofMillis(300));
        cluster.crash(first);
        cluster.awaitLeader(Duration.ofSeconds(2));
        cluster.runFor(Duration.ofMillis(300));
        cluster.restart(first);
        cluster.runFor(Duration.ofMillis(400));
        return TimelineSvg.svg(cluster.ids(), cluster.trace().history(), cluster.now().toNanos() / 1000);
    }
}
