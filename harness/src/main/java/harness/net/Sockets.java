package harness.net;

import harness.api.ClientConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A node's sockets, used only on its event loop (see {@link TcpNode}): one {@link Selector} over
 * the listening socket, the connections peers and clients open, and this node's own links to
 * its peers. Each server opens one connection to each peer and only sends on it; it receives on
 * the connections its peers open. A client opens a connection and gets its answers on it.
 *
 * <p>A connection's first frame names its sender (a server's connection opens with a
 * {@code Hello}), and every later frame must name the same one. A frame that is not the
 * protocol, or names a server that is not a peer, closes that one connection with a line on the
 * node's log, and changes nothing else.
 */
final class Sockets implements AutoCloseable {

    /** What the node does with a checked frame from {@code sender}, arrived on {@code connection}. */
    interface Inbox {
        void receive(Envelope envelope, Connection connection) throws Envelope.BadEnvelope;
    }

    private final int id;
    private final List<Integer> peers;
    private final Addresses addresses;
    private final Consumer<String> log;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Map<Integer, PeerLink> links = new HashMap<>();
    private final Map<Integer, Connection> clients = new HashMap<>(); // each client's connection, for its answers
    private final Set<Integer> heardFrom = new HashSet<>(); // peers that have connected to this node
    private final Inbox inbox;

    /**
     * Listens on {@code bind} and prepares a link to each peer; checked frames go to {@code inbox}.
     * Throws what {@code raft-node} says if it cannot listen.
     */
    Sockets(int id, List<Integer> peers, Addresses addresses, InetSocketAddress bind, Inbox inbox, Consumer<String> log)
            throws TcpNode.StartFailure {
        this.id = id;
        this.inbox = inbox;
        this.peers = List.copyOf(peers);
        this.addresses = addresses;
        this.log = log;
        this.selector = openSelector();
        this.listener = listen(bind, id, selector);
        byte[] hello = Envelope.wrap("Hello", id, Envelope.JSON.createObjectNode());
        for (int peer : peers) {
            links.put(peer, new PeerLink("node" + peer, addresses.of(peer), hello, log));
        }
    }

    private static Selector openSelector() throws TcpNode.StartFailure {
        try {
            return Selector.open();
        } catch (IOException e) {
            throw new TcpNode.StartFailure("cannot open a selector for the node's sockets: " + e.getMessage());
        }
    }

    private static ServerSocketChannel listen(InetSocketAddress bind, int id, Selector selector) throws TcpNode.StartFailure {
        try {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(bind.getHostString(), bind.getPort()));
            s.configureBlocking(false);
            s.register(selector, SelectionKey.OP_ACCEPT);
            return s;
        } catch (java.net.BindException e) {
            throw new TcpNode.StartFailure("port " + bind.getPort() + " on " + bind.getHostString() + " is in use ("
                    + e.getMessage() + "): is node" + id + " already running? Stop it, or place this node elsewhere with"
                    + " --listen HOST:PORT (and --peer " + id + "=HOST:PORT on the others)");
        } catch (IOException e) {
            throw new TcpNode.StartFailure("cannot listen on " + Addresses.format(bind) + ": " + e.getMessage());
        }
    }

    /**
     * Opens the links that are due, then waits for sockets to be ready, at most 200 ms or not at
     * all if {@code now}, and reads, writes and accepts what they are ready for. Returns false once
     * the sockets are closed.
     */
    boolean poll(boolean now) {
        long wait = TimeUnit.MILLISECONDS.toNanos(200);
        for (PeerLink link : links.values()) {
            wait = Math.min(wait, link.connectIfDue(selector));
        }
        try {
            if (now) {
                selector.selectNow(this::ready);
            } else {
                selector.select(this::ready, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            }
            return true;
        } catch (ClosedSelectorException e) {
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the node's selector failed", e);
        }
    }

    /** Ends a wait in {@link #poll}: for another thread that has given the loop something to do. */
    void wakeup() {
        selector.wakeup();
    }

    /** True once every peer has a connection open, one way or the other. */
    boolean peersReachable() {
        return peers.stream().allMatch(p -> links.get(p).connected() || heardFrom.contains(p));
    }

    /** Sends a frame to a peer, or to a client on its connection; lost if that one is gone. */
    void send(int to, byte[] frame) {
        PeerLink link = links.get(to);
        if (link != null) {
            link.send(frame);
            return;
        }
        Connection client = clients.get(to);
        if (client != null) {
            answer(client, frame);
        }
    }

    /** Sends a frame back on the connection a request came on. */
    void answer(Connection connection, byte[] frame) {
        try {
            connection.send(frame);
        } catch (IOException e) {
            close(connection, e);
        }
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** "node2 at 127.0.0.1:7002, node3 at 127.0.0.1:7003", or "none". */
    String peerList() {
        StringBuilder s = new StringBuilder();
        for (int p : peers) {
            s.append(s.length() == 0 ? "" : ", ").append("node").append(p).append(" at ").append(Addresses.format(addresses.of(p)));
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    /** What the selector found ready on one socket. */
    private void ready(SelectionKey key) {
        if (key.isValid() && key.isAcceptable()) {
            accept();
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isValid() && key.isConnectable()) {
                connection.peer.finishConnect();
            }
            if (key.isValid() && key.isWritable()) {
                connection.flush();
            }
            if (key.isValid() && key.isReadable() && !connection.read(frame -> receive(connection, frame))) {
                close(connection, new IOException("closed by the other side"));
            }
        } catch (Frames.BadFrame | Envelope.BadEnvelope e) {
            log.accept("refused a frame from " + describe(connection) + ": " + e.getMessage() + "; closed that connection,"
                    + " nothing else changed");
            close(connection, new IOException(e.getMessage()));
        } catch (IOException e) {
            close(connection, e); // the other side went away: a peer reconnects when it can
        }
    }

    private void accept() {
        try {
            SocketChannel channel;
            while ((channel = listener.accept()) != null) {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                new Connection(channel, channel.register(selector, SelectionKey.OP_READ), null);
            }
        } catch (IOException e) {
            log.accept("could not accept a connection: " + e.getMessage());
        }
    }

    private void close(Connection connection, IOException why) {
        if (connection.peer != null) {
            connection.peer.failed(why);
            return;
        }
        connection.close();
        if (connection.sender != null) {
            clients.remove(connection.sender, connection);
        }
    }

    private String describe(Connection connection) {
        String remote;
        try {
            remote = String.valueOf(connection.channel().getRemoteAddress()).replaceFirst("^/", "");
        } catch (IOException e) {
            remote = "a closed connection";
        }
        return connection.sender == null ? remote : ClientConfig.name(connection.sender) + " (" + remote + ")";
    }

    /** One frame from a connection: its sender checked, then handed to the inbox. */
    private void receive(Connection connection, byte[] frame) throws Envelope.BadEnvelope {
        Envelope envelope = Envelope.decode(frame);
        int from = envelope.from();
        if (connection.sender == null) {
            checkSender(from);
            connection.sender = from;
            if (ClientConfig.isClient(from)) {
                clients.put(from, connection);
            } else {
                heardFrom.add(from);
            }
        } else if (from != connection.sender) {
            throw new Envelope.BadEnvelope("a frame claims to come from " + ClientConfig.name(from) + " on the"
                    + " connection of " + ClientConfig.name(connection.sender) + ": one connection, one sender");
        }
        inbox.receive(envelope, connection);
    }

    private void checkSender(int from) throws Envelope.BadEnvelope {
        if (ClientConfig.isClient(from)) {
            return;
        }
        if (from == id || !peers.contains(from)) {
            throw new Envelope.BadEnvelope("a frame from node" + from + ", which is not a peer of node" + id + " (its peers are "
                    + peerList() + "): check --peers on both");
        }
    }

    /** Closes every socket; call once the loop has stopped. */
    @Override
    public void close() {
        try {
            listener.close();
            for (SelectionKey key : selector.keys()) {
                Frames.closeQuietly(key.channel());
            }
            selector.close();
        } catch (IOException ignored) {
            // the process is ending
        }
    }
}
