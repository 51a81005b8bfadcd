package harness.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The way out to one peer: a connection this node opens and sends on, kept on the node's event
 * loop. While the peer is down or restarting, what is sent to it is dropped, as a network drops
 * messages, and Raft sends again what matters; the link tries again after a pause that doubles
 * while connections fail or are closed at once (a peer that refuses this server's frames), so
 * neither side's log fills with the same news.
 */
final class PeerLink {

    private static final long MIN_BACKOFF_MS = 20;
    private static final long MAX_BACKOFF_MS = 2000;

    private final String name;
    private final InetSocketAddress address;
    private final byte[] hello;
    private final Consumer<String> log;
    private Connection connection; // null while down
    private long connectedAt;      // 0 until the connection opened
    private long nextAttempt;      // System.nanoTime() of the next connection attempt
    private long backoff = MIN_BACKOFF_MS;
    private boolean down;          // said "cannot reach"
    private boolean announced;     // said "connected" since

    /** {@code hello} is the first frame on every new connection: it tells the peer who connected. */
    PeerLink(String name, InetSocketAddress address, byte[] hello, Consumer<String> log) {
        this.name = name;
        this.address = address;
        this.hello = hello;
        this.log = log;
    }

    boolean connected() {
        return connection != null && connection.channel().isConnected();
    }

    /** Sends a frame, or drops it while the peer cannot be reached. */
    void send(byte[] frame) {
        if (connection != null) {
            try {
                connection.send(frame);
            } catch (IOException e) {
                failed(e);
            }
        }
    }

    /** Starts a connection if the link is down and its pause is over; returns the nanoseconds until it may try. */
    long connectIfDue(Selector selector) {
        if (connection != null) {
            return Long.MAX_VALUE;
        }
        long wait = nextAttempt - System.nanoTime();
        if (wait > 0) {
            return wait;
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(address.getHostString(), address.getPort()));
            connection = new Connection(channel, channel.register(selector, SelectionKey.OP_CONNECT), this);
            connection.send(hello); // goes first, once the connection opens
        } catch (IOException e) {
            Frames.closeQuietly(channel);
            failed(e);
        }
        return Long.MAX_VALUE;
    }

    /** The selector says the connection attempt has ended. */
    void finishConnect() throws IOException {
        connection.channel().finishConnect();
        connectedAt = System.nanoTime();
        connection.listen(); // a peer only closes this connection; reading notices that
        connection.flush();
        if (down && !announced) {
            log.accept("connected to " + name + " at " + Addresses.format(address));
            announced = true;
        }
    }

    /** The connection failed or was closed: drops what waits on it, and tries again after a pause. */
    void failed(IOException e) {
        boolean lasted = connectedAt != 0 && System.nanoTime() - connectedAt > TimeUnit.SECONDS.toNanos(1);
        if (!down || lasted) {
            log.accept("cannot reach " + name + " at " + Addresses.format(address) + " (" + e.getMessage()
                    + "); retrying, and dropping what is sent to it meanwhile");
            down = true;
            announced = false;
        }
        backoff = lasted ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoff * 2);
        nextAttempt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        connectedAt = 0;
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
