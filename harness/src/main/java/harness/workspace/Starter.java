package harness.workspace;

import harness.storage.Folders;
import harness.cluster.Implementations;
import harness.course.Syllabus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Makes a learner's workspace for milestone N ({@code ./course start N}): milestone N−1's code to
 * build on, from the reference module or from the learner's own N−1 workspace, as a Maven module
 * of its own with a README that says what to read, which rules to implement and how to grade.
 * It never overwrites a workspace, and it builds the new one aside and moves it into place only
 * when complete, so a failure leaves nothing half made.
 */
public final class Starter {

    /** The lines that mark code for the notes' listings: {@code // tag::commit[]}, {@code // end::commit[]}. */
    private static final Pattern NOTES_TAG = Pattern.compile("^\\s*//\\s*(tag|end)::[\\w-]+\\[]\\s*$");
    /** The reference Server's sentence about its bug zoo, which a workspace does not have. */
    private static final Pattern BUG_ZOO_NOTE = Pattern.compile(
            " Some are \\{@code protected} only so that the bug zoo\\n \\* \\(\\{@code raft\\.bugzoo}\\) can break one rule at a"
                    + " time in a subclass\\.");
    /** A method's declaration in {@code raft.Milestone}: its name, and what is between its parentheses. */
    private static final Pattern METHOD = Pattern.compile("^\\s*public\\s+[\\w<>?,. ]+\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern MILESTONE_NUMBER = Pattern.compile("(int\\s+milestone\\s*\\(\\s*\\)\\s*\\{\\s*return\\s+)(\\d+)(\\s*;)");

    private final Path courseRoot;
    private final Path workspaces;

    /** Makes workspaces in the course's own folder for them, {@code workspace/}. */
    public Starter(Path courseRoot) {
        this(courseRoot, courseRoot.resolve(Workspace.FOLDER));
    }

    /** Makes workspaces in {@code workspaces} (the learner-path check uses a temporary folder). */
    public Starter(Path courseRoot, Path workspaces) {
        this.courseRoot = courseRoot.toAbsolutePath().normalize();
        this.workspaces = workspaces.toAbsolutePath().normalize();
    }

    private Workspace workspace(int n) {
        return Workspace.at(workspaces.resolve("milestone-" + n), n, courseRoot);
    }

    /**
     * Makes the workspace for milestone {@code n} from milestone n−1's reference code, or with
     * {@code fromMine} from the learner's own n−1 workspace; fails with a message that says what
     * to do if it cannot.
     */
    public Started start(int n, boolean fromMine) {
        Syllabus.Milestone milestone = Syllabus.milestone(n);
        if (n == 1) {
            throw new WorkspaceException("milestone 1 is where the course begins, so there is no earlier milestone to start it"
                    + " from: read milestone-1-election's code and the notes' chapter on it, then start milestone 2 with"
                    + " ./course start 2");
        }
        if (Implementations.referenceModule(courseRoot, n).isEmpty()) {
            throw new WorkspaceException(milestone.describe() + " is planned but not in the course yet: it has no graded suite"
                    + " to grade a workspace with. The milestones you can start are 2 to " + latest() + ".");
        }
        Workspace target = workspace(n);
        if (Files.exists(target.dir())) {
            throw new WorkspaceException(target.name() + " already exists, and ./course start never overwrites a workspace:"
                    + " it holds your work. To start milestone " + n + " over, move it away first (mv " + target.name() + " "
                    + target.name() + ".old) and run ./course start " + n + (fromMine ? " --from-mine" : "") + " again.");
        }
        Path aside = target.dir().resolveSibling("." + target.dir().getFileName() + ".new");
        Folders.deleteTree(aside);
        try {
            Files.createDirectories(workspaces);
            Path raft = aside.resolve("src/main/java/raft");
            Files.createDirectories(raft);
            if (fromMine) {
                copyMine(n, raft);
            } else {
                copyReference(n, raft);
                Files.writeString(raft.resolve("Milestone.java"), milestoneGlue(n));
            }
            Path services = aside.resolve("src/main/resources/META-INF/services");
            Files.createDirectories(services);
            if (!Files.exists(services.resolve("harness.api.RaftImplementation"))) {
                Files.writeString(services.resolve("harness.api.RaftImplementation"), "raft.Milestone\n");
            }
            Files.writeString(aside.resolve("pom.xml"), template("pom.xml.template", n));
            Files.writeString(aside.resolve("README.md"), new Guide(courseRoot, n, fromMine).readme());
            Files.move(aside, target.dir());
            writeWorkspacesPom();
        } catch (IOException e) {
            Folders.deleteTree(aside);
            throw new UncheckedIOException("could not make " + target.name() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Folders.deleteTree(aside);
            throw e;
        }
        return new Started(target, new Guide(courseRoot, n, fromMine).summary(target));
    }

    /** A workspace just made, and what to tell the learner about it. */
    public record Started(Workspace workspace, String summary) {
    }

    /** Milestone n−1's reference {@code raft} package, without its bug zoo and the notes' tag lines. */
    private void copyReference(int n, Path raft) throws IOException {
        Path module = Implementations.referenceModule(courseRoot, n - 1).orElseThrow();
        Path from = module.resolve("src/main/java/raft");
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.equals("Milestone.java")) {
                    continue; // the workspace's own, written from the template
                }
                Files.writeString(raft.resolve(name), forLearner(Files.readString(file)));
            }
        }
    }

    /**
     * The learner's own n−1 workspace, every file of it, with its Milestone now saying n and
     * offering what milestone n adds to it (see {@link #withGlueAddedBy}).
     */
    private void copyMine(int n, Path raft) throws IOException {
        Workspace previous = workspace(n - 1);
        if (!previous.exists()) {
            throw new WorkspaceException("--from-mine starts milestone " + n + " from your workspace for milestone " + (n - 1)
                    + ", but there is none (" + previous.name() + "): start milestone " + n + " from the reference code with"
                    + " ./course start " + n + ", or do milestone " + (n - 1) + " first with ./course start " + (n - 1));
        }
        Path src = previous.dir().resolve("src/main");
        Path dest = raft.getParent().getParent(); // src/main
        try (Stream<Path> files = Files.walk(src)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path to = dest.resolve(src.relativize(file).toString());
                Files.createDirectories(to.getParent());
                Files.copy(file, to);
            }
        }
        Path glue = raft.resolve("Milestone.java");
        if (Files.exists(glue)) {
            String code = Files.readString(glue);
            Matcher m = MILESTONE_NUMBER.matcher(code);
            if (!m.find()) {
                throw new WorkspaceException(previous.name() + "/src/main/java/raft/Milestone.java has no `int milestone() { return "
                        + (n - 1) + "; }` for ./course start to change to " + n + ": put it back, or make the new workspace"
                        + " from the reference code with ./course start " + n);
            }
            code = m.replaceFirst("$1" + n + "$3").replace("workspace/milestone-" + (n - 1), "workspace/milestone-" + n);
            Files.writeString(glue, withGlueAddedBy(n, code));
        }
    }

    /** Reference code as a learner gets it: no lines that exist only for the notes, no note about the bug zoo. */
    static String forLearner(String code) {
        String untagged = code.lines().filter(line -> !NOTES_TAG.matcher(line).matches())
                .collect(Collectors.joining("\n", "", "\n"));
        return BUG_ZOO_NOTE.matcher(untagged).replaceAll("");
    }

    /**
     * The class through which the harness finds a workspace's code, {@code raft.Milestone}, saying
     * milestone {@code n}, for code that completes milestone n−1: what {@code ./course start n}
     * writes. From milestone 5 it also offers the key-value store and the client, through the
     * harness's defaults until the learner makes them return theirs.
     */
    public static String milestoneGlue(int n) {
        return milestoneGlue(n, n - 1);
    }

    /**
     * {@code raft.Milestone} for workspace {@code n} holding code that completes milestone {@code
     * code}, whose classes are named as in the reference code: from milestone 5 on, code that
     * completes it offers its {@code KeyValueStore} and {@code Client}.
     */
    public static String milestoneGlue(int n, int code) {
        if (code != n && code != n - 1) {
            throw new IllegalArgumentException("workspace " + n + " holds code of milestone " + (n - 1) + " or " + n + ", not " + code);
        }
        return keepBlocks(template("Milestone.java.template", n, null), Map.of("milestone", n, "code", code));
    }

    /** A template's "//@if C" ... "//@else" ... "//@end" blocks resolved and its "//@" lines dropped. */
    static String keepBlocks(String template, Map<String, Integer> values) {
        List<String> lines = List.of(template.split("\n", -1));
        boolean[] kept = kept(lines, values);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (kept[i]) {
                out.append(lines.get(i)).append('\n');
            }
        }
        return out.substring(0, Math.max(0, out.length() - 1)); // the split's last piece followed no newline
    }

    /** For each line of a template, whether it is kept with these values; the "//@" lines never are. */
    private static boolean[] kept(List<String> lines, Map<String, Integer> values) {
        boolean[] kept = new boolean[lines.size()];
        Deque<Boolean> keeping = new ArrayDeque<>(); // one per open block: whether its current branch is kept
        for (int i = 0; i < lines.size(); i++) {
            String directive = lines.get(i).strip();
            if (directive.startsWith("//@if ")) {
                keeping.push(holds(directive.substring("//@if ".length()), values));
            } else if (directive.equals("//@else")) {
                if (keeping.isEmpty()) {
                    throw new IllegalStateException("a template's //@else outside any //@if block");
                }
                keeping.push(!keeping.pop());
            } else if (directive.equals("//@end")) {
                if (keeping.isEmpty()) {
                    throw new IllegalStateException("a template's //@end closes no //@if block");
                }
                keeping.pop();
            } else {
                kept[i] = !directive.startsWith("//@") && !keeping.contains(false);
            }
        }
        if (!keeping.isEmpty()) {
            throw new IllegalStateException("a template's //@if block has no //@end");
        }
        return kept;
    }

    /**
     * The lines milestone {@code n} adds to {@code raft.Milestone} in a fresh workspace: those of
     * {@link #milestoneGlue(int) milestoneGlue(n)} that workspace n−1 holding the same code lacks,
     * such as milestone 5's {@code newStateMachine} and {@code createClient} and their imports.
     */
    static List<String> glueAddedBy(int n) {
        List<String> lines = List.of(template("Milestone.java.template", n, null).split("\n", -1));
        boolean[] now = kept(lines, Map.of("milestone", n, "code", n - 1));
        boolean[] before = kept(lines, Map.of("milestone", n - 1, "code", n - 1));
        return IntStream.range(0, lines.size()).filter(i -> now[i] && !before[i]).mapToObj(lines::get).toList();
    }

    /** The methods milestone {@code n} adds to {@code raft.Milestone}, as "newStateMachine()" and "createClient(...)". */
    static List<String> methodsAddedBy(int n) {
        return glueAddedBy(n).stream().map(METHOD::matcher).filter(Matcher::find)
                .map(m -> m.group(1) + (m.group(2).isBlank() ? "()" : "(...)")).toList();
    }

    /**
     * A learner's own {@code raft.Milestone} (its source, {@code code}) with what milestone {@code
     * n} adds to it: the new methods, returning the harness's defaults as in a fresh workspace, before
     * the class's closing brace, and their imports. Unchanged if it already has one of them, or if
     * milestone n adds none.
     */
    static String withGlueAddedBy(int n, String code) {
        List<String> added = glueAddedBy(n);
        List<String> names = methodsAddedBy(n).stream().map(m -> m.substring(0, m.indexOf('('))).toList();
        if (names.isEmpty() || names.stream().anyMatch(name -> Pattern.compile("\\b" + name + "\\s*\\(").matcher(code).find())) {
            return code;
        }
        List<String> lines = new ArrayList<>(List.of(code.split("\n", -1)));
        int close = lastIndexOf(lines, line -> line.strip().equals("}"));
        if (close < 0) {
            return code; // not a class this can read: the learner adds them, as the README says
        }
        lines.addAll(close, added.stream().filter(line -> !line.startsWith("import ")).toList());
        List<String> imports = added.stream().filter(line -> line.startsWith("import ") && !lines.contains(line)).toList();
        int lastImport = lastIndexOf(lines, line -> line.startsWith("import "));
        lines.addAll(lastImport >= 0 ? lastImport + 1 : lastIndexOf(lines, line -> line.startsWith("package ")) + 1, imports);
        return String.join("\n", lines);
    }

    private static int lastIndexOf(List<String> lines, java.util.function.Predicate<String> test) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (test.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Whether "milestone >= 5 && code < 5" holds for these values. */
    private static boolean holds(String condition, Map<String, Integer> values) {
        for (String part : condition.split("&&")) {
            Matcher m = Pattern.compile("(\\w+)\\s*(>=|<=|==|!=|<|>)\\s*(\\d+)").matcher(part.strip());
            if (!m.matches() || !values.containsKey(m.group(1))) {
                throw new IllegalStateException("a template's condition \"" + part.strip() + "\" compares none of " + values.keySet());
            }
            int a = values.get(m.group(1));
            int b = Integer.parseInt(m.group(3));
            boolean ok = switch (m.group(2)) {
                case ">=" -> a >= b;
                case "<=" -> a <= b;
                case "==" -> a == b;
                case "!=" -> a != b;
                case "<" -> a < b;
                default -> a > b;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Lists every workspace in workspace/pom.xml, the module the root pom's profile "workspace" adds. */
    private void writeWorkspacesPom() throws IOException {
        String modules;
        try (Stream<Path> dirs = Files.list(workspaces)) {
            modules = dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                    .map(d -> d.getFileName().toString())
                    .filter(name -> name.matches("milestone-\\d+"))
                    .sorted()
                    .map(name -> "    <module>" + name + "</module>")
                    .collect(Collectors.joining("\n"));
        }
        Files.writeString(workspaces.resolve("pom.xml"), template("workspaces-pom.xml.template", 0).replace("${MODULES}", modules));
    }

    private String template(String name, int n) {
        return template(name, n, courseVersion());
    }

    /** A template of harness/workspace/ for milestone {@code n}; {@code version} fills the poms' ${VERSION}. */
    private static String template(String name, int n, String version) {
        try (InputStream in = Starter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the harness jar lacks its template harness/workspace/" + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${N}", String.valueOf(n))
                    .replace("${SUITES}", IntStream.rangeClosed(1, n).mapToObj(i -> "milestone-" + i).collect(Collectors.joining(" | ")));
            return version == null ? text : text.replace("${VERSION}", version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version in the root pom, which a workspace's pom names as its parent's. */
    private String courseVersion() {
        try {
            Matcher m = Pattern.compile("<artifactId>raft-course</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(Files.readString(courseRoot.resolve("pom.xml")));
            if (!m.find()) {
                throw new IllegalStateException(courseRoot.resolve("pom.xml") + " names no version for raft-course");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The highest milestone the course has reference code (and a suite) for. */
    private int latest() {
        return IntStream.rangeClosed(1, Syllabus.MILESTONES).filter(n -> Implementations.referenceModule(courseRoot, n).isPresent())
                .max().orElse(0);
    }
}
