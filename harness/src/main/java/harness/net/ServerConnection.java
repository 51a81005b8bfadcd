package harness.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * A client's connection to one server: opened on first use by a writer thread of its own, with a
 * reader thread handing every frame that comes back to {@code onFrame}. If the server cannot be
 * reached, what was queued for it is lost (the client's timers deal with that), and the next
 * send tries again.
 */
final class ServerConnection implements AutoCloseable {

    private final InetSocketAddress address;
    private final Consumer<byte[]> onFrame;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(Connection.QUEUE_FRAMES);
    private final Thread writer;
    private volatile boolean closed;
    private volatile Socket socket;

    ServerConnection(InetSocketAddress address, Consumer<byte[]> onFrame) {
        this.address = address;
        this.onFrame = onFrame;
        this.writer = new Thread(this::run, "to-" + Addresses.format(address));
        writer.setDaemon(true);
        writer.start();
    }

    void offer(byte[] frame) {
        queue.offer(frame);
    }

    private void run() {
        while (!closed) {
            byte[] first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try (Socket s = new Socket()) {
                socket = s;
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(address.getHostString(), address.getPort()), 1000);
                Thread reader = new Thread(() -> read(s), "from-" + Addresses.format(address));
                reader.setDaemon(true);
                reader.start();
                OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
                for (byte[] frame = first; !closed; frame = queue.take()) {
                    Frames.write(out, frame);
                    byte[] more;
                    while ((more = queue.poll()) != null) {
                        Frames.write(out, more);
                    }
                    out.flush();
                }
            } catch (IOException e) {
                queue.clear(); // lost, as on a network: the client sends again when its timer says so
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(Socket s) {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            for (byte[] frame = Frames.read(in); frame != null && !closed; frame = Frames.read(in)) {
                onFrame.accept(frame);
            }
        } catch (IOException e) {
            // the server went away or refused us: the writer notices at its next send
        } finally {
            Frames.closeQuietly(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        Frames.closeQuietly(socket);
    }
}
