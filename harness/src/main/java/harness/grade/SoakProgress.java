package harness.grade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a soak has finished, on disk, so that running the same soak again continues where it
 * stopped. A line per finished chunk ("done", the chunk, its runs, failures and milliseconds),
 * preceded by a line per failure of that chunk, the lot written at once; so a stop at any moment
 * (Ctrl-C, a kill) leaves whole chunks behind, and at worst a torn last line, which is ignored:
 * that chunk runs again. The first line says which code and which soak the file is about; a file
 * about another is started over.
 */
final class SoakProgress {

    /** A scenario's totals over the chunks done. */
    static final class Totals {
        long runs;
        long failures;
        long millis;
    }

    private final Path file;
    private final Set<Soak.Chunk> done = new HashSet<>();
    private final Map<String, Totals> totals = new LinkedHashMap<>();
    private final Map<String, Soak.Failure> failures = new LinkedHashMap<>();
    private boolean closed;

    private SoakProgress(Path file) {
        this.file = file;
    }

    /**
     * The progress recorded in {@code file} for the soak {@code header} describes, or a new one
     * if there is none, it is about another soak or code, or {@code fresh} says to start over.
     */
    static SoakProgress open(Path file, String header, boolean fresh) {
        SoakProgress progress = new SoakProgress(file);
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            if (fresh || lines.isEmpty() || !lines.get(0).equals(header)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, header + "\n", StandardCharsets.UTF_8);
            } else {
                progress.load(lines.subList(1, lines.size()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or start the soak's progress file " + file, e);
        }
        return progress;
    }

    /** Failures count only once their chunk is done: a chunk cut short runs again, and finds them again. */
    private void load(List<String> lines) {
        List<Soak.Failure> failed = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("fail") && f.length == 5) {
                failed.add(Soak.Failure.parse(f));
            } else if (f[0].equals("done") && f.length == 7) {
                Soak.Chunk chunk = new Soak.Chunk(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]));
                add(chunk, Long.parseLong(f[4]), Long.parseLong(f[6]));
            } // anything else is a line torn by a stop: ignored
        }
        failed.stream().filter(x -> done.stream().anyMatch(c -> c.holds(x.scenario(), x.seed()))).forEach(this::count);
    }

    private void add(Soak.Chunk chunk, long runs, long millis) {
        if (done.add(chunk)) {
            Totals t = totals(chunk.scenario());
            t.runs += runs;
            t.millis += millis;
        }
    }

    private void count(Soak.Failure failure) {
        if (failures.putIfAbsent(failure.scenario() + "\t" + failure.seed(), failure) == null) {
            totals(failure.scenario()).failures++;
        }
    }

    Totals totals(String scenario) {
        return totals.computeIfAbsent(scenario, s -> new Totals());
    }

    boolean isDone(Soak.Chunk chunk) {
        return done.contains(chunk);
    }

    /** Runs of the chunks done. */
    long runs() {
        return totals.values().stream().mapToLong(t -> t.runs).sum();
    }

    List<Soak.Failure> failures() {
        return List.copyOf(failures.values());
    }

    Path file() {
        return file;
    }

    /** Records a finished chunk and its failures in one write; nothing once the soak was stopped. */
    synchronized void record(Soak.Chunk chunk, List<Soak.Failure> failed, long runs, long millis) {
        if (closed) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        failed.forEach(x -> lines.append(x.format()).append('\n'));
        lines.append(String.join("\t", "done", chunk.format(), String.valueOf(runs), String.valueOf(failed.size()),
                String.valueOf(millis))).append('\n');
        try {
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not record a finished chunk in " + file, e);
        }
        add(chunk, runs, millis);
        failed.forEach(this::count);
    }

    /** The soak stops: no record is written after this returns, so none is torn by the JVM exiting. */
    synchronized void close() {
        closed = true;
    }
}
