package notes;

import harness.storage.Folders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * "What changed since the previous milestone": a unified diff of two milestone modules' main
 * sources, made at build time, with the notes' tag markers removed so the diff shows only code.
 *
 * <p>The diff comes in three parts, in the order a reader wants them: {@code Server.java}, where
 * the rules are, on its own; the milestone's other files (the log, the messages, the registration
 * with the harness); and last, folded away in the HTML, the bug zoo's classes. File headers carry
 * no timestamps: they would be those of the build's temporary copies, and would change the notes
 * at every build. The PDF gets its own copy of each listing with long lines broken, each
 * continuation under the same {@code +}, {@code -} or blank as the line it continues, so a line
 * the page wraps does not lose its mark; the HTML keeps every line whole and scrolls instead.
 */
final class Changes {

    /** An include tag marker line, such as {@code // tag::candidate[]}: notes plumbing, not code. */
    private static final Pattern TAG_MARKER = Pattern.compile("^\\s*// (tag|end)::[\\w-]+\\[]\\s*$");

    /** The file of the rules, shown first and on its own. */
    static final String SERVER = "java/raft/Server.java";
    /** The folder of the bug zoo's variants, shown last and apart. */
    private static final String BUG_ZOO = "java/raft/bugzoo/";

    /**
     * The widest diff line the PDF shows whole, in characters: the theme's code font (9.5 pt, each
     * character half as wide) across an A4 page's text block less the listing's padding is about
     * 100; two spare.
     */
    static final int PDF_WIDTH = 98;
    /** The same inside the bug zoo's block, whose own padding takes about five characters more. */
    static final int PDF_WIDTH_IN_BLOCK = 92;
    /** How much further than the line it continues a broken line's continuation is indented. */
    private static final int CONTINUATION_INDENT = 6;

    private Changes() {
    }

    /** The first milestone changes nothing: it is all new, so list what it consists of. */
    static String firstMilestone(Path root, Path module) {
        StringBuilder t = new StringBuilder("This is the first milestone: all of its code is new.\n\n"
                + "[cols=\"5,1\",options=\"header\"]\n|===\n| File | Lines\n");
        Path main = module.resolve("src/main");
        List<Path> files = sources(module);
        List<String> names = inReadingOrder(files.stream().map(f -> slashes(main.relativize(f))).toList());
        for (String name : names) {
            Path file = main.resolve(name);
            t.append("| `").append(slashes(root.relativize(file))).append("` | ").append(code(file).size()).append('\n');
        }
        return t.append("|===\n").toString();
    }

    /** The diff from {@code previous} to {@code next}, as AsciiDoc: listings, with a line before each. */
    static String between(Path root, Path previous, Path next) {
        try {
            Path work = Files.createTempDirectory("notes-diff");
            try {
                String from = previous.getFileName().toString();
                String to = next.getFileName().toString();
                copyCode(previous, work.resolve(from));
                copyCode(next, work.resolve(to));
                return asciidoc(work, from, to);
            } finally {
                Folders.deleteTree(work);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String asciidoc(Path work, String from, String to) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(files(work.resolve(from)));
        names.addAll(files(work.resolve(to)));
        List<FileDiff> server = new ArrayList<>();
        List<FileDiff> others = new ArrayList<>();
        List<FileDiff> zoo = new ArrayList<>();
        for (String name : names) {
            FileDiff d = FileDiff.of(work, from, to, name);
            if (d == null) {
                continue; // unchanged
            }
            (name.equals(SERVER) ? server : name.startsWith(BUG_ZOO) ? zoo : others).add(d);
        }
        if (server.isEmpty() && others.isEmpty() && zoo.isEmpty()) {
            return "(no differences)\n";
        }
        StringBuilder a = new StringBuilder();
        a.append("ifdef::backend-pdf[]\n")
                .append("Lines too long for the page are broken: the rest continues on the next line, indented further,"
                        + " under the same `+`, `-` or blank.\n\n")
                .append("endif::[]\n");
        if (server.isEmpty()) {
            a.append("`Server.java` has not changed.\n\n");
        } else {
            a.append("`Server.java`, the rules:\n\n").append(listing(server, PDF_WIDTH));
        }
        if (!others.isEmpty()) {
            a.append("\nThe other files of the milestone (").append(summary(others)).append("):\n\n").append(listing(others, PDF_WIDTH));
        }
        if (!zoo.isEmpty()) {
            a.append("\n.The bug zoo, `raft/bugzoo/` (").append(summary(zoo)).append(")\n")
                    .append("[%collapsible,caption=\"\"]\n====\n").append(listing(zoo, PDF_WIDTH_IN_BLOCK)).append("====\n");
        }
        return a.toString();
    }

    /** "`Log.java` new; `Message.java`, `Milestone.java` changed". */
    private static String summary(List<FileDiff> diffs) {
        List<String> parts = new ArrayList<>();
        for (FileDiff.Kind kind : FileDiff.Kind.values()) {
            List<String> these = diffs.stream().filter(d -> d.kind() == kind).map(d -> "`" + d.shortName() + "`").toList();
            if (!these.isEmpty()) {
                parts.add(String.join(", ", these) + " " + kind.word);
            }
        }
        return String.join("; ", parts);
    }

    /**
     * One listing of several files' diffs, twice: for the PDF with lines longer than {@code
     * pdfWidth} broken, for every other backend whole, without wrapping. A longer delimiter than
     * usual, so no line of the diff can close the listing early.
     */
    private static String listing(List<FileDiff> diffs, int pdfWidth) {
        String whole = diffs.stream().map(FileDiff::text).collect(Collectors.joining());
        String broken = whole.lines().flatMap(l -> wrap(l, pdfWidth).stream()).map(l -> l + "\n").collect(Collectors.joining());
        return "ifdef::backend-pdf[]\n[source,diff]\n--------------\n" + broken + "--------------\nendif::[]\n"
                + "ifndef::backend-pdf[]\n[source,diff,options=\"nowrap\"]\n--------------\n" + whole + "--------------\nendif::[]\n";
    }

    /**
     * A diff line broken into lines of at most {@code width} characters, at spaces where it can:
     * every continuation starts with the line's own mark ({@code +}, {@code -} or blank) and is
     * indented further than the line's code. Headers ({@code ---}, {@code +++}, {@code @@}) and
     * short lines are left whole.
     */
    static List<String> wrap(String line, int width) {
        if (line.length() <= width || line.startsWith("---") || line.startsWith("+++") || line.startsWith("@@") || line.isEmpty()) {
            return List.of(line);
        }
        char mark = line.charAt(0);
        String code = line.substring(1);
        int indent = code.length() - code.stripLeading().length();
        String prefix = mark + " ".repeat(Math.min(indent + CONTINUATION_INDENT, width / 2));
        List<String> out = new ArrayList<>();
        String rest = line;
        int minBreak = 1 + indent + 1; // never break inside the indentation
        while (rest.length() > width) {
            int at = rest.lastIndexOf(' ', width);
            if (at < minBreak) {
                at = width; // one long word: cut it
                out.add(rest.substring(0, at));
                rest = prefix + rest.substring(at);
            } else {
                out.add(rest.substring(0, at).stripTrailing());
                rest = prefix + rest.substring(at + 1).stripLeading();
            }
            minBreak = prefix.length() + 1;
        }
        out.add(rest);
        return out;
    }

    /** One file's diff, or its absence. */
    private record FileDiff(String name, Kind kind, String text) {

        enum Kind {
            NEW("new"), CHANGED("changed"), REMOVED("removed");

            final String word;

            Kind(String word) {
                this.word = word;
            }
        }

        /** {@code diff -uN} of one file, labelled with its module and path and no timestamp; null if unchanged. */
        static FileDiff of(Path work, String from, String to, String name) throws IOException {
            Path a = work.resolve(from).resolve(name);
            Path b = work.resolve(to).resolve(name);
            String text = diff(work, from + "/" + name, to + "/" + name);
            if (text.isEmpty()) {
                return null;
            }
            Kind kind = !Files.exists(a) ? Kind.NEW : !Files.exists(b) ? Kind.REMOVED : Kind.CHANGED;
            return new FileDiff(name, kind, text);
        }

        String shortName() {
            return name.substring(name.lastIndexOf('/') + 1);
        }
    }

    /** Server.java, then the other files, then the bug zoo: the order of the listings. */
    static List<String> inReadingOrder(List<String> names) {
        return names.stream()
                .sorted(Comparator.comparingInt((String n) -> n.equals(SERVER) ? 0 : n.startsWith(BUG_ZOO) ? 2 : 1)
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    private static List<Path> sources(Path module) {
        try (Stream<Path> files = Files.walk(module.resolve("src/main"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files under {@code dir}, as paths relative to it with forward slashes. */
    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> slashes(dir.relativize(f))).toList();
        }
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }

    /** A file's lines without tag markers. */
    private static List<String> code(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !TAG_MARKER.matcher(l).matches()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyCode(Path module, Path to) throws IOException {
        Path main = module.resolve("src/main");
        for (Path file : sources(module)) {
            Path target = to.resolve(main.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.write(target, code(file), StandardCharsets.UTF_8);
        }
    }

    /**
     * {@code diff -uN -L from -L to}: every system the course supports has it (GNU diffutils, BSD
     * diff). The labels replace the header's file names and timestamps; an absent file is empty.
     */
    private static String diff(Path dir, String from, String to) throws IOException {
        Process p = new ProcessBuilder("diff", "-uN", "-L", from, "-L", to, from, to)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() > 1) { // 0: same, 1: different, 2: trouble
                throw new IllegalStateException("diff failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while diffing", e);
        }
        return out;
    }
}
