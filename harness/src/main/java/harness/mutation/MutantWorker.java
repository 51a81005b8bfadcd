package harness.mutation;

import harness.api.RaftImplementation;
import harness.cluster.Implementations;
import harness.cluster.Subject;
import harness.grade.GradedExtension;
import harness.grade.Grader;
import harness.workspace.Compilation;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker process of {@code ./course mutants}: it reads one job per line on its standard input
 * (a mutated copy of a milestone's sources, and the scenarios in the order to try them), compiles
 * it, runs the scenarios until the first one fails, and answers one line on its standard output.
 * A mutant that never finishes is the parent's to stop: it kills the whole process. Everything
 * else the scenarios print goes to standard error, kept apart from the answers.
 */
public final class MutantWorker {

    private MutantWorker() {
    }

    /**
     * A job: compile {@code sources} (with {@code resources}) into {@code classes}, then grade it on
     * {@code scenarios}; a failure report's replay command starts with {@code replay}.
     */
    record Job(int milestone, Path sources, Path resources, Path classes, List<String> scenarios, String replay) {
        String line() {
            return milestone + "\t" + sources + "\t" + resources + "\t" + classes + "\t" + String.join(",", scenarios) + "\t" + replay;
        }

        static Job parse(String line) {
            String[] f = line.split("\t", -1);
            return new Job(Integer.parseInt(f[0]), Path.of(f[1]), Path.of(f[2]), Path.of(f[3]), List.of(f[4].split(",")), f[5]);
        }

        /** Where the full report of the failure that killed the mutant is written. */
        Path failureFile() {
            return classes.resolveSibling(classes.getFileName() + "-failure.txt");
        }
    }

    public enum Status { KILLED, SURVIVED, STILLBORN, TIMED_OUT }

    /** The answer: what became of the mutant, the scenario that killed it, and how long each scenario it ran took. */
    public record Answer(Status status, String killer, String firstLine, Map<String, Long> millis) {
        String line() {
            List<String> times = new ArrayList<>();
            millis.forEach((scenario, ms) -> times.add(scenario + "=" + ms));
            return status + "\t" + killer + "\t" + firstLine.replaceAll("\\s+", " ") + "\t" + String.join(",", times);
        }

        static Answer parse(String line) {
            String[] f = line.split("\t", -1);
            Map<String, Long> millis = new LinkedHashMap<>();
            for (String t : f[3].isEmpty() ? new String[0] : f[3].split(",")) {
                int eq = t.lastIndexOf('=');
                millis.put(t.substring(0, eq), Long.parseLong(t.substring(eq + 1)));
            }
            return new Answer(Status.valueOf(f[0]), f[1], f[2], millis);
        }
    }

    public static void main(String[] args) throws IOException {
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        BufferedReader jobs = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Map<Integer, Map<String, Method>> scenarios = new LinkedHashMap<>();
        for (String line; (line = jobs.readLine()) != null; ) {
            Job job = Job.parse(line);
            Map<String, Method> byName = scenarios.computeIfAbsent(job.milestone(), MutantWorker::scenariosByName);
            answers.println(run(job, byName).line());
        }
    }

    private static Map<String, Method> scenariosByName(int milestone) {
        Map<String, Method> byName = new LinkedHashMap<>();
        for (Method m : Grader.scenariosUpTo(milestone)) {
            byName.put(name(m), m);
        }
        return byName;
    }

    /** A scenario's name as the command line takes it: {@code Suite.method}. */
    static String name(Method scenario) {
        return scenario.getDeclaringClass().getSimpleName() + "." + scenario.getName();
    }

    static Answer run(Job job, Map<String, Method> scenarios) throws IOException {
        Map<String, Long> millis = new LinkedHashMap<>();
        System.setProperty(GradedExtension.GRADE_COMMAND, job.replay());
        try {
            Compilation.compile(job.sources(), job.resources(), job.classes(), job.sources());
        } catch (Compilation.Failed e) {
            return new Answer(Status.STILLBORN, "-", e.getMessage().lines().skip(1).findFirst().orElse(""), millis);
        }
        try (URLClassLoader loader = new URLClassLoader("mutant", new URL[] {job.classes().toUri().toURL()},
                MutantWorker.class.getClassLoader())) {
            RaftImplementation implementation = Implementations.loadOwn(loader)
                    .orElseThrow(() -> new IllegalStateException(job.classes() + " registers no Raft implementation"));
            if (implementation.getClass().getClassLoader() != loader) {
                throw new IllegalStateException("the worker's class path holds a milestone's own classes, which the class loader"
                        + " finds before the mutant's: run the workers with the harness alone on the class path");
            }
            List<String> failures = new ArrayList<>();
            String[] killer = {"-"};
            Implementations.runWith(new Subject(implementation), () -> {
                for (String name : job.scenarios()) {
                    Method scenario = scenarios.get(name);
                    if (scenario == null) {
                        throw new IllegalArgumentException("no graded scenario " + name + " in suites 1–" + job.milestone());
                    }
                    long start = System.nanoTime();
                    failures.addAll(Grader.failures(scenario, job.milestone()));
                    millis.put(name, (System.nanoTime() - start) / 1_000_000);
                    if (!failures.isEmpty()) {
                        killer[0] = name;
                        return;
                    }
                }
            });
            if (failures.isEmpty()) {
                return new Answer(Status.SURVIVED, "-", "", millis);
            }
            Files.writeString(job.failureFile(), failures.get(0) + (failures.size() == 1 ? ""
                    : "\n(and " + (failures.size() - 1) + " more failed runs of this scenario)\n"));
            return new Answer(Status.KILLED, killer[0], String.join(" — ", failures.get(0).lines().limit(2).toList()), millis);
        }
    }
}
