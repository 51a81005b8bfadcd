package harness.net;

import com.fasterxml.jackson.databind.JsonNode;
import harness.storage.FileVolume;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Three (or N) {@code raft-node} processes on this machine, each with its data and log under one
 * directory, for the checks and the benchmark: start, kill -9, signal and find the leader. The
 * nodes run the Java on this process's class path; ports are free ones unless a base is given.
 */
final class LocalCluster implements AutoCloseable {

    private final Path directory;
    private final int size;
    private final Long seed;
    private final boolean trace;
    private FileVolume.LogFiles logFiles = FileVolume.LogFiles.PREALLOCATED;
    private final Map<Integer, Integer> ports = new HashMap<>();
    private final Map<Integer, Process> processes = new ConcurrentHashMap<>();
    private final Addresses addresses = new Addresses();

    /** {@code basePort} 0 picks free ports; otherwise node N listens on basePort + N. */
    LocalCluster(Path directory, int size, int basePort, Long seed, boolean trace) throws IOException {
        this.directory = directory;
        this.size = size;
        this.seed = seed;
        this.trace = trace;
        for (int id = 1; id <= size; id++) {
            ports.put(id, basePort == 0 ? freePort() : basePort + id);
            addresses.add(id + "=127.0.0.1:" + ports.get(id));
        }
    }

    /** How the nodes started from now on write their log files ({@code raft-node --log-file}). */
    LocalCluster logFiles(FileVolume.LogFiles how) {
        this.logFiles = how;
        return this;
    }

    Addresses addresses() {
        return addresses;
    }

    /** Starts node {@code id} on its data directory, its output appended to nodeN.log. */
    void start(int id) throws IOException {
        List<String> command = java(RaftNodeMain.class, RaftNodeMain.JVM_OPTIONS);
        command.addAll(List.of("--id", String.valueOf(id), "--listen", "127.0.0.1:" + ports.get(id), "--data",
                directory.resolve("node" + id).toString(), "--peers", String.join(",", peersOf(id))));
        for (String peer : peersOf(id)) {
            command.addAll(List.of("--peer", peer + "=127.0.0.1:" + ports.get(Integer.parseInt(peer))));
        }
        if (seed != null) {
            command.addAll(List.of("--seed", String.valueOf(seed)));
        }
        if (trace) {
            command.add("--trace");
        }
        if (logFiles != FileVolume.LogFiles.PREALLOCATED) {
            command.addAll(List.of("--log-file", logFiles.name().toLowerCase(java.util.Locale.ROOT)));
        }
        processes.put(id, new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("node" + id + ".log").toFile())).start());
    }

    void startAll() throws IOException {
        for (int id = 1; id <= size; id++) {
            start(id);
        }
    }

    boolean alive(int id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /** kill -9, and waits until the process is gone. */
    void kill(int id) throws InterruptedException {
        processes.get(id).destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }

    /** Sends a signal by name ("STOP", "CONT") to node {@code id}'s process. */
    void signal(String name, int id) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(processes.get(id).pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + processes.get(id).pid() + " failed");
        }
    }

    /** The node that says it leads, with its status, or null if none answers so. */
    JsonNode leader() throws InterruptedException {
        for (int id = 1; id <= size; id++) {
            JsonNode s = Probe.status(addresses, id, Duration.ofMillis(300));
            if (s != null && "Leader".equals(s.path("role").asText())) {
                return s;
            }
        }
        return null;
    }

    /** Waits for a leader; null if none within {@code within}. */
    JsonNode awaitLeader(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode s = leader();
            if (s != null) {
                return s;
            }
            Thread.sleep(50);
        }
        return null;
    }

    private List<String> peersOf(int id) {
        List<String> peers = new ArrayList<>();
        for (int other = 1; other <= size; other++) {
            if (other != id) {
                peers.add(String.valueOf(other));
            }
        }
        return peers;
    }

    /** A java command with this process's class path running {@code main}. */
    static List<String> java(Class<?> main) {
        return java(main, List.of());
    }

    static List<String> java(Class<?> main, List<String> jvmOptions) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Draft.home=" + harness.cluster.Implementations.courseRoot(), "-cp",
                System.getProperty("java.class.path"), main.getName()));
        return command;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Ends every node: SIGTERM, then SIGKILL for any still running after 5 s. */
    @Override
    public void close() throws InterruptedException {
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
