package notes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * "What changed since the previous milestone": a unified diff of two milestone modules' main
 * sources, made at build time, with the notes' tag markers removed so the diff shows only code.
 */
final class Changes {

    /** An include tag marker line, such as {@code // tag::candidate[]}: notes plumbing, not code. */
    private static final Pattern TAG_MARKER = Pattern.compile("^\\s*// (tag|end)::[\\w-]+\\[]\\s*$");

    private Changes() {
    }

    /** The first milestone changes nothing: it is all new, so list what it consists of. */
    static String firstMilestone(Path root, Path module) {
        StringBuilder t = new StringBuilder("This is the first milestone: all of its code is new.\n\n"
                + "[cols=\"5,1\",options=\"header\"]\n|===\n| File | Lines\n");
        for (Path file : sources(module)) {
            t.append("| `").append(root.relativize(file)).append("` | ").append(code(file).size()).append('\n');
        }
        return t.append("|===\n").toString();
    }

    /** The diff from {@code previous} to {@code next}, as an AsciiDoc listing. */
    static String between(Path root, Path previous, Path next) {
        try {
            Path work = Files.createTempDirectory("notes-diff");
            copyCode(previous, work.resolve(previous.getFileName().toString()));
            copyCode(next, work.resolve(next.getFileName().toString()));
            String diff = diff(work, previous.getFileName().toString(), next.getFileName().toString());
            deleteTree(work);
            // A longer delimiter than usual, so no line of the diff can close the listing early.
            return "[source,diff]\n--------------\n" + diff + "--------------\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> sources(Path module) {
        try (Stream<Path> files = Files.walk(module.resolve("src/main"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** {@code diff -ruN}: every system the course supports has it (GNU diffutils, BSD diff). */
    private static String diff(Path dir, String from, String to) throws IOException {
        Process p = new ProcessBuilder("diff", "-ruN", from, to).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() > 1) { // 0: same, 1: different, 2: trouble
                throw new IllegalStateException("diff failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while diffing", e);
        }
        return out.isEmpty() ? "(no differences)\n" : out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
