package notebooks;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** What {@code ./course notebooks} and {@code ./course kernel-starts} run after building. */
@Command(name = "notebook-tool", mixinStandardHelpOptions = true,
        subcommands = {NotebookTool.Register.class, NotebookTool.KernelStarts.class})
public final class NotebookTool {

    @Option(names = "--root", required = true, description = "the course's folder")
    Path root;

    public static void main(String[] args) {
        System.exit(new CommandLine(new NotebookTool()).execute(args));
    }

    /** Writes the "Java (Raft course)" kernel spec into a Jupyter kernels folder. */
    @Command(name = "register", description = "Write the kernel spec into KERNELS_DIR/raft-course.")
    static final class Register implements Callable<Integer> {
        @CommandLine.ParentCommand
        NotebookTool tool;

        @Parameters(paramLabel = "KERNELS_DIR")
        Path kernels;

        @Override
        public Integer call() {
            Path dir = KernelSpec.forCourse(tool.root).writeTo(kernels);
            System.out.println("Registered the \"" + KernelSpec.DISPLAY_NAME + "\" kernel in " + dir);
            return 0;
        }
    }

    /**
     * Starts the kernel many times, each time running a one-cell notebook, and counts the starts
     * that failed: the measure of the start-up repair (and, with --unrepaired, of the race).
     */
    @Command(name = "kernel-starts", description = "Start the kernel N times and count the starts that failed.")
    static final class KernelStarts implements Callable<Integer> {
        @CommandLine.ParentCommand
        NotebookTool tool;

        @Parameters(paramLabel = "N", defaultValue = "50")
        int starts;

        @Option(names = "--unrepaired", description = "use the kernel jar alone, without the course's repair")
        boolean unrepaired;

        @Option(names = "--startup-timeout", defaultValue = "30", description = "seconds a start may take (default ${DEFAULT-VALUE})")
        int startupTimeout;

        @Override
        public Integer call() throws IOException {
            Path work = tool.root.resolve("notebooks/target/kernel-starts");
            Jupyter jupyter = new Jupyter(work);
            KernelSpec spec = KernelSpec.forCourse(tool.root);
            jupyter.install(unrepaired ? spec.unrepaired() : spec);
            Path notebook = oneCellNotebook(work);
            List<Duration> times = new ArrayList<>();
            int failed = 0;
            for (int i = 1; i <= starts; i++) {
                Jupyter.Execution run = jupyter.execute(notebook, work.resolve("out"), Duration.ofSeconds(startupTimeout));
                if (run.succeeded()) {
                    times.add(run.elapsed());
                } else {
                    failed++;
                    System.out.println("start " + i + " failed: " + lastLine(run.log()));
                }
            }
            times.sort(null);
            System.out.printf(Locale.ROOT, "%-22s %8s %8s %12s %12s%n", "kernel", "starts", "failed", "median (s)", "slowest (s)");
            System.out.printf(Locale.ROOT, "%-22s %8d %8d %12.2f %12.2f%n", unrepaired ? "rapaio 3.0.1 as is" : "with the course repair",
                    starts, failed, seconds(times, times.size() / 2), seconds(times, times.size() - 1));
            return failed == 0 ? 0 : 1;
        }

        private static double seconds(List<Duration> sorted, int i) {
            return sorted.isEmpty() ? Double.NaN : sorted.get(i).toMillis() / 1000.0;
        }

        private static String lastLine(String log) {
            List<String> lines = log.strip().lines().toList();
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        }

        private static Path oneCellNotebook(Path work) {
            try {
                Files.createDirectories(work);
                Path notebook = work.resolve("one-cell.ipynb");
                Files.writeString(notebook, """
                        {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                         "cells": [{"cell_type": "code", "id": "one", "metadata": {}, "execution_count": null,
                                    "outputs": [], "source": "1 + 1"}]}
                        """);
                return notebook;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
