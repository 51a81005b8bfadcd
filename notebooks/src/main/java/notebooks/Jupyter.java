package notebooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs notebooks in the real Jupyter kernel, headless, with Debian's Jupyter ({@code
 * /usr/bin/jupyter}, the system Python: another {@code python3} on the PATH may lack the
 * packages). Everything it writes stays under one work folder: the kernel spec Jupyter finds
 * through {@code JUPYTER_PATH}, the connection files, and the executed copies of the notebooks.
 */
public final class Jupyter {

    static final Path JUPYTER = Path.of("/usr/bin/jupyter");
    static final String PACKAGES = "python3-nbclient jupyter-core jupyter-client jupyter-nbconvert";

    private final Path work;

    /** What one run of nbconvert did: the file it wrote, the exit code, what Jupyter said and how long it took. */
    public record Execution(Path executed, int exitCode, String log, Duration elapsed) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    public Jupyter(Path work) {
        this.work = work.toAbsolutePath();
    }

    /** Why notebooks cannot run in the real kernel here, or empty if they can. */
    public static Optional<String> missing() {
        if (!Files.isExecutable(JUPYTER)) {
            return Optional.of("Jupyter is not installed (no " + JUPYTER + "): install Debian's " + PACKAGES
                    + " (./course notebooks --no-start does it where it can)");
        }
        if (!Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/nbconvert"))
                && !Files.isDirectory(Path.of("/usr/share/jupyter/nbconvert"))) {
            return Optional.of("Jupyter's nbconvert is not installed: install Debian's jupyter-nbconvert");
        }
        return Optional.empty();
    }

    /** Registers {@code spec} where this runner's Jupyter (and only it) finds it. */
    public Path install(KernelSpec spec) {
        return spec.writeTo(work.resolve("kernels"));
    }

    /**
     * Executes every cell of {@code notebook} in the kernel, stopping at the first error, and
     * writes the executed copy to {@code outputDir}.
     */
    public Execution execute(Path notebook, Path outputDir, Duration startupTimeout) {
        return run(List.of("nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=" + KernelSpec.NAME,
                "--ExecutePreprocessor.timeout=600",
                "--ExecutePreprocessor.startup_timeout=" + startupTimeout.toSeconds(),
                "--output-dir=" + outputDir.toAbsolutePath(),
                notebook.toAbsolutePath().toString()), outputDir.resolve(notebook.getFileName()), startupTimeout.plusMinutes(15));
    }

    /**
     * Renders an executed notebook to an HTML page next to it ({@code name.html}), with nbconvert's
     * default template, so that it can be read in a browser without Jupyter: the course notes
     * link these pages.
     */
    public Execution exportHtml(Path executed) {
        Path file = executed.toAbsolutePath();
        String name = file.getFileName().toString().replaceFirst("\\.ipynb$", "");
        return run(List.of("nbconvert", "--to", "html", "--output-dir=" + file.getParent(), file.toString()),
                file.resolveSibling(name + ".html"), Duration.ofMinutes(5));
    }

    private Execution run(List<String> arguments, Path executed, Duration limit) {
        List<String> command = new ArrayList<>();
        command.add(JUPYTER.toString());
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_PATH", work.toString());
        env.put("JUPYTER_RUNTIME_DIR", work.resolve("runtime").toString());
        long start = System.nanoTime();
        try {
            Path log = Files.createTempFile("jupyter", ".log");
            Process process = pb.redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
            String said = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return new Execution(executed, finished ? process.exitValue() : -1,
                    finished ? said : said + "\n(stopped after " + limit.toMinutes() + " minutes)", Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
