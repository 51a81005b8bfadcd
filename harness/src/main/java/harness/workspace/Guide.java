package harness.workspace;

import harness.api.Rule;
import harness.course.Syllabus;
import harness.grade.Graded;
import harness.grade.Grader;
import org.junit.jupiter.api.DisplayName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a learner starting milestone N needs to know, written into the workspace's README and
 * printed by {@code ./course start}: what to read, the rules suite N grades (taken from the
 * suite's own {@link Graded} annotations, so it cannot drift from the grading), and the commands.
 */
final class Guide {

    private final Path courseRoot;
    private final int n;
    private final boolean fromMine;
    private final Syllabus.Milestone milestone;

    Guide(Path courseRoot, int n, boolean fromMine) {
        this.courseRoot = courseRoot;
        this.n = n;
        this.fromMine = fromMine;
        this.milestone = Syllabus.milestone(n);
    }

    /** The workspace's README.md. */
    String readme() {
        Syllabus.Milestone previous = Syllabus.milestone(n - 1);
        StringBuilder s = new StringBuilder();
        s.append("# Your milestone ").append(n).append(": ").append(milestone.title()).append(" (").append(milestone.sections()).append(")\n\n");
        s.append("`./course start ").append(n).append(fromMine ? " --from-mine" : "").append("` made this workspace from ")
                .append(fromMine ? "your own milestone " + (n - 1) + " (`workspace/milestone-" + (n - 1) + "`)"
                        : "milestone " + (n - 1) + "'s reference code (`" + previous.module() + "`)")
                .append(". The `raft` package in `src/main/java/raft/` is yours now: milestone ").append(n).append(" adds ")
                .append(milestone.adds()).append(". Shape `Server` as you like; only `Milestone.java` (how the harness")
                .append(" creates your servers) must keep working.\n\n");
        List<String> added = Starter.methodsAddedBy(n);
        if (!added.isEmpty()) {
            s.append("## New in `Milestone.java`\n\n");
            s.append("Milestone ").append(n).append(" adds ").append(inWords(added, "`")).append(" to `src/main/java/raft/Milestone.java`,")
                    .append(" through which the harness creates your code (the contract is `harness.api.RaftImplementation`).")
                    .append(" They return the harness's defaults, which offer nothing of yours: make them return your own classes,")
                    .append(" as their comments say. Until then every scenario that needs them fails and says what is missing.\n\n");
        }
        s.append("## Read\n\n");
        for (String line : reading()) {
            s.append("- ").append(line).append('\n');
        }
        s.append("\n## The rules suite ").append(n).append(" grades\n\n");
        s.append("Every failure names one of these; ").append(n == 2 ? "suite 1 keeps" : "suites 1 to " + (n - 1) + " keep")
                .append(" grading what you already have.\n\n");
        for (Rule rule : rules()) {
            s.append("- `").append(rule.label()).append("` ").append(rule.statement()).append(".\n");
        }
        s.append("\n## Grade, watch, experiment\n\n```\n");
        for (String line : commands()) {
            s.append(line).append('\n');
        }
        s.append("```\n\n");
        s.append("Scenarios of suite ").append(n).append(" (").append(scenarios().size()).append(", ")
                .append(scenarios().stream().mapToInt(m -> m.getAnnotation(Graded.class).points()).sum()).append(" points):\n\n");
        for (Method m : scenarios()) {
            Graded g = m.getAnnotation(Graded.class);
            s.append("- `").append(m.getDeclaringClass().getSimpleName()).append('.').append(m.getName()).append("` (")
                    .append(g.points()).append(" points) ").append(title(m)).append('\n');
        }
        s.append("\nThe reference solution is `").append(milestone.module()).append("/`: try it yourself first.\n");
        return s.toString();
    }

    /** What {@code ./course start} prints: the same, shorter. */
    String summary(Workspace made) {
        StringBuilder s = new StringBuilder();
        s.append("Made ").append(made.name()).append("/ for milestone ").append(n).append(": ").append(milestone.title())
                .append(" (").append(milestone.sections()).append("), from ")
                .append(fromMine ? "your own milestone " + (n - 1) : "milestone " + (n - 1) + "'s reference code").append(".\n");
        s.append("Your code is in ").append(made.name()).append("/src/main/java/raft/; milestone ").append(n).append(" adds ")
                .append(milestone.adds()).append(".\n");
        List<String> added = Starter.methodsAddedBy(n);
        if (!added.isEmpty()) {
            s.append("Milestone.java now has ").append(inWords(added, "")).append(", returning the harness's defaults:")
                    .append(" make them return your own classes, as their comments say.\n");
        }
        s.append("\nRead:\n");
        reading().forEach(line -> s.append("  ").append(line.replace("`", "")).append('\n'));
        s.append("\nThe rules suite ").append(n).append(" grades:\n");
        rules().forEach(rule -> s.append("  ").append(rule.label()).append('\n'));
        s.append("\nThen:\n");
        commands().forEach(line -> s.append("  ").append(line).append('\n'));
        s.append("\nAll of this is in ").append(made.name()).append("/README.md.\n");
        return s.toString();
    }

    private List<String> reading() {
        Path chapter = courseRoot.resolve("docs/src/docs/asciidoc/_milestone-" + n + ".adoc");
        Optional<Path> notebook = notebook();
        return Stream.of(
                        "The paper's " + milestone.sections().replace(", thesis ", " and the thesis's ") + ".",
                        "The notes' chapter on milestone " + n + ": `" + courseRoot.relativize(chapter) + "`, or rendered by"
                                + " `./course notes` at `docs/target/generated-docs/index.html#" + milestone.chapterAnchor() + "`.",
                        notebook.map(p -> "The notebook `" + courseRoot.relativize(p) + "` (`./course notebooks`); with"
                                + " `Cluster.builder().workspace(" + n + ")` instead of `.milestone(" + n + ")` it runs your code.").orElse(null))
                .filter(line -> line != null)
                .toList();
    }

    private List<String> commands() {
        String first = scenarios().isEmpty() ? "Suite.scenario" : scenarios().get(0).getDeclaringClass().getSimpleName() + "."
                + scenarios().get(0).getName();
        return List.of(
                "./course grade " + n + " --mine                  # suites 1-" + n + " on your code: failures, then the grade table",
                "./course grade " + n + " --mine --test " + first + " --seed 3   # replay one run",
                "./course demo " + n + " --mine --trace           # your servers' story, every message",
                "./course jshell " + n + " --mine                 # your code at a JShell prompt");
    }

    private Optional<Path> notebook() {
        try (Stream<Path> files = Files.list(courseRoot.resolve("notebooks"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(String.format("%02d-", n))
                    && p.getFileName().toString().endsWith(".ipynb")).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The graded scenarios of suite n alone, in suite order. */
    private List<Method> scenarios() {
        return Grader.scenariosOf(n);
    }

    /** The rules suite n grades, in the order its scenarios first name them. */
    private Set<Rule> rules() {
        Set<Rule> rules = new LinkedHashSet<>();
        scenarios().forEach(m -> rules.add(m.getAnnotation(Graded.class).rule()));
        return rules;
    }

    /** "`a()` and `b(...)`", each name between {@code quote}s. */
    private static String inWords(List<String> names, String quote) {
        List<String> quoted = names.stream().map(name -> quote + name + quote).toList();
        return quoted.size() == 1 ? quoted.get(0)
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " and " + quoted.get(quoted.size() - 1);
    }

    private static String title(Method m) {
        DisplayName name = m.getAnnotation(DisplayName.class);
        return name != null ? name.value() : m.getName();
    }
}
