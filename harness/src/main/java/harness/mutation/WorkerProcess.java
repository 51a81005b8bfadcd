package harness.mutation;

import harness.mutation.MutantWorker.Answer;
import harness.mutation.MutantWorker.Job;
import harness.mutation.MutantWorker.Status;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@link MutantWorker} process, seen from the parent: it sends a job and waits for the answer
 * at most the time limit. A mutant that outlives the limit, or kills its worker (a stack or heap
 * overflow), is stopped by killing the process; the next job gets a fresh one. A worker is also
 * replaced after a number of jobs, so the classes of old mutants never pile up.
 */
final class WorkerProcess implements AutoCloseable {

    private static final int JOBS_PER_PROCESS = 40;
    private static final String GONE = "\u0000gone";

    private final List<String> command;
    private final Path log;
    private Process process;
    private Writer jobs;
    private BlockingQueue<String> answers;
    private int done;

    WorkerProcess(String classPath, List<String> javaOptions, Path log) {
        this.command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(classPath);
        command.addAll(javaOptions);
        command.add(MutantWorker.class.getName());
        this.log = log;
    }

    /** Runs the job; a worker that stays silent past {@code limit} is killed and the mutant counts as timed out. */
    Answer ask(Job job, Duration limit) throws InterruptedException {
        if (process == null || done >= JOBS_PER_PROCESS) {
            restart();
        }
        done++;
        try {
            jobs.write(job.line() + "\n");
            jobs.flush();
        } catch (IOException e) {
            stop();
            return new Answer(Status.KILLED, "-", "the worker process died: " + e.getMessage() + " (see " + log + ")", Map.of());
        }
        String answer = answers.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (answer == null) {
            stop();
            return new Answer(Status.TIMED_OUT, "-", "no answer within " + limit.toSeconds() + " s", Map.of());
        }
        if (answer.equals(GONE)) {
            stop();
            return new Answer(Status.KILLED, "-", "the worker process died (a stack or heap overflow?); see " + log, Map.of());
        }
        return Answer.parse(answer);
    }

    private void restart() {
        stop();
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker process (" + command.get(0) + "): " + e.getMessage(), e);
        }
        jobs = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        answers = queue;
        Process mine = process;
        Thread reader = new Thread(() -> readAnswers(mine, queue), "mutant-worker-reader");
        reader.setDaemon(true);
        reader.start();
        done = 0;
    }

    private static void readAnswers(Process process, BlockingQueue<String> into) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                into.add(line);
            }
        } catch (IOException e) {
            // the process is gone: say so below
        }
        into.add(GONE);
    }

    private void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
