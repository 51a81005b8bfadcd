package etcdbench;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Three (or {@code size}) etcd members on 127.0.0.1, each with its data and log under one
 * directory, on free ports, with etcd's default settings: fsync on, 100 ms heartbeats, 1 s
 * election timeout.
 */
final class EtcdCluster implements AutoCloseable {

    private final Path directory;
    private final int size;
    private final List<String> clientUrls = new ArrayList<>();
    private final List<String> peerUrls = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    EtcdCluster(Path directory, int size) throws IOException {
        this.directory = directory;
        this.size = size;
        for (int i = 0; i < size; i++) {
            clientUrls.add("http://127.0.0.1:" + freePort());
            peerUrls.add("http://127.0.0.1:" + freePort());
        }
    }

    /** What {@code etcd --version} says first, such as "etcd Version: 3.4.23". */
    String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("etcd", "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("etcd");
        p.waitFor();
        return first;
    }

    void start() throws IOException {
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < size; i++) {
            initial.append(i == 0 ? "" : ",").append(name(i)).append('=').append(peerUrls.get(i));
        }
        for (int i = 0; i < size; i++) {
            List<String> command = List.of("etcd", "--name", name(i), "--data-dir", directory.resolve(name(i)).toString(),
                    "--listen-client-urls", clientUrls.get(i), "--advertise-client-urls", clientUrls.get(i),
                    "--listen-peer-urls", peerUrls.get(i), "--initial-advertise-peer-urls", peerUrls.get(i),
                    "--initial-cluster", initial.toString(), "--initial-cluster-token", "course-bench",
                    "--initial-cluster-state", "new");
            processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve(name(i) + ".log").toFile()).start());
        }
    }

    /** The client URL of the member that leads, once one does. */
    String awaitLeader(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (String url : clientUrls) {
                try (Client client = Client.builder().endpoints(url).build()) {
                    StatusResponse status = client.getMaintenanceClient().statusMember(url).get(2, TimeUnit.SECONDS);
                    if (status.getLeader() != 0 && status.getLeader() == status.getHeader().getMemberId()) {
                        return url;
                    }
                } catch (Exception e) {
                    // not up yet
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no etcd member led within " + within.toSeconds() + " s; their logs are in " + directory);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    private static String name(int i) {
        return "etcd" + (i + 1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
