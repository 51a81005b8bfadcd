package notebooks;

import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs a notebook's code cells in plain JShell (the JDK's {@code jdk.jshell}, a separate JVM with
 * only the given class path), cell after cell, as {@code ./course jshell} would: no Jupyter, no
 * Python, and no kernel, so the display helpers print their plain-text forms.
 */
public final class JShellRun {

    /** What one code cell printed, including the values its expressions had (as JShell shows them). */
    public record CellOutput(NotebookFile.Cell cell, String text) {
    }

    /** A cell that did not compile or threw: which notebook, which cell, and why. */
    public static final class CellFailed extends RuntimeException {
        CellFailed(NotebookFile notebook, NotebookFile.Cell cell, String why) {
            super(notebook.name() + ", cell " + cell.number() + " (" + cell.firstLine() + "): " + why);
        }
    }

    private JShellRun() {
    }

    /** Runs every code cell of {@code notebook} in order; stops at the first that fails. */
    public static List<CellOutput> run(NotebookFile notebook, List<Path> classPath) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        String cp = classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        List<CellOutput> outputs = new ArrayList<>();
        try (JShell shell = JShell.builder().out(out).err(out)
                .remoteVMOptions("--class-path", cp)
                .compilerOptions("--class-path", cp)
                .build()) {
            for (NotebookFile.Cell cell : notebook.codeCells()) {
                captured.reset();
                StringBuilder values = new StringBuilder();
                runCell(shell, notebook, cell, values);
                out.flush();
                outputs.add(new CellOutput(cell, captured.toString(StandardCharsets.UTF_8) + values));
            }
        }
        return outputs;
    }

    /** A cell holds several snippets (statements, declarations); JShell takes them one at a time. */
    private static void runCell(JShell shell, NotebookFile notebook, NotebookFile.Cell cell, StringBuilder values) {
        String remaining = cell.source();
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
            if (!info.completeness().isComplete()) {
                throw new CellFailed(notebook, cell, "the code ends in the middle of a statement: " + remaining.strip());
            }
            for (SnippetEvent event : shell.eval(info.source())) {
                if (event.causeSnippet() != null) {
                    continue; // a side effect on an earlier snippet, such as a redefinition
                }
                check(shell, notebook, cell, event);
                if (event.value() != null && !event.value().isEmpty() && event.snippet().kind() == Snippet.Kind.EXPRESSION) {
                    values.append(event.value()).append('\n');
                }
            }
            remaining = info.remaining();
        }
    }

    private static void check(JShell shell, NotebookFile notebook, NotebookFile.Cell cell, SnippetEvent event) {
        if (event.status() == Snippet.Status.REJECTED || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            String diagnostics = shell.diagnostics(event.snippet())
                    .map(d -> d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("; "));
            throw new CellFailed(notebook, cell, "does not compile: " + diagnostics + "\n  in: " + event.snippet().source().strip());
        }
        JShellException thrown = event.exception();
        if (thrown != null) {
            String type = thrown instanceof EvalException e ? e.getExceptionClassName() : thrown.getClass().getName();
            throw new CellFailed(notebook, cell, "threw " + type + ": " + thrown.getMessage());
        }
    }
}
