package harness.net;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The way out to one server: a connection this process opens, and a writer thread that sends the
 * frames queued for it. The queue is bounded: while the peer is slow, down or restarting, frames
 * beyond it are dropped, as a network drops messages, and Raft sends again what matters. A dead
 * peer costs a reconnect attempt now and then, never a blocked event loop.
 */
final class PeerLink implements AutoCloseable {

    static final int QUEUE_FRAMES = 4096;
    private static final long MIN_BACKOFF_MS = 20;
    private static final long MAX_BACKOFF_MS = 2000;

    private final String name;
    private final byte[] hello;
    private final InetSocketAddress address;
    private final Consumer<String> log;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final Thread writer;
    private volatile boolean closed;
    private volatile Socket socket;
    private volatile boolean connected;

    /** {@code hello} is the first frame on every new connection: it tells the peer who connected. */
    PeerLink(String name, InetSocketAddress address, byte[] hello, Consumer<String> log) {
        this.hello = hello;
        this.name = name;
        this.address = address;
        this.log = log;
        this.writer = new Thread(this::run, "link-to-" + name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a frame; if the queue is full the frame is dropped. Never blocks. */
    void offer(byte[] frame) {
        queue.offer(frame); // false when full: the frame is lost
    }

    boolean connected() {
        return connected;
    }

    /**
     * Connects, sends until the connection fails, and tries again after a pause that doubles while
     * connections fail or are closed at once (a peer that refuses this server's frames), so neither
     * side's log fills with the same news.
     */
    private void run() {
        long backoff = MIN_BACKOFF_MS;
        boolean down = false;      // said "cannot reach"
        boolean announced = false; // said "connected" since
        while (!closed) {
            long connectedAt = 0;
            try (Socket s = new Socket()) {
                socket = s;
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(address.getHostString(), address.getPort()), 1000);
                connected = true;
                connectedAt = System.nanoTime();
                if (down && !announced) {
                    log.accept("connected to " + name + " at " + Addresses.format(address));
                    announced = true;
                }
                OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
                Frames.write(out, hello);
                out.flush();
                pump(out);
            } catch (IOException e) {
                boolean lasted = connectedAt != 0 && System.nanoTime() - connectedAt > TimeUnit.SECONDS.toNanos(1);
                if (!closed && (!down || lasted)) {
                    log.accept("cannot reach " + name + " at " + Addresses.format(address) + " (" + e.getMessage()
                            + "); retrying, and dropping what is sent to it meanwhile");
                    down = true;
                    announced = false;
                }
                backoff = lasted ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoff * 2);
            } catch (InterruptedException e) {
                return;
            } finally {
                connected = false;
            }
            queue.clear(); // messages for a peer that cannot be reached are lost, as on a network
            sleep(backoff);
        }
    }

    /** Sends queued frames, several per flush when they have piled up, until the connection fails. */
    private void pump(OutputStream out) throws IOException, InterruptedException {
        List<byte[]> batch = new ArrayList<>();
        while (!closed) {
            byte[] first = queue.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) {
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, 256);
            for (byte[] frame : batch) {
                Frames.write(out, frame);
            }
            out.flush();
            batch.clear();
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        Frames.closeQuietly(socket);
    }
}
