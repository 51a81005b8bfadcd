package harness.net;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each server of a real cluster listens: by default node N on 127.0.0.1, port
 * {@code BASE_PORT + N} (node1 on 7001), so a cluster on one machine needs no configuration;
 * {@code --peer 2=host:port} places a server elsewhere.
 */
public final class Addresses {

    public static final int BASE_PORT = 7000;

    private final Map<Integer, InetSocketAddress> explicit = new HashMap<>();

    /** Parses {@code id=host:port}; the error says what was expected. */
    public void add(String spec) {
        int eq = spec.indexOf('=');
        int colon = spec.lastIndexOf(':');
        if (eq < 1 || colon < eq + 2 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("--peer takes ID=HOST:PORT, such as 2=10.0.0.2:7002, not \"" + spec + "\"");
        }
        int id = parseId(spec.substring(0, eq), "--peer " + spec);
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--peer " + spec + ": the port is a number from 1 to 65535");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--peer " + spec + ": the port is a number from 1 to 65535");
        }
        explicit.put(id, InetSocketAddress.createUnresolved(spec.substring(eq + 1, colon), port));
    }

    /** Where server {@code id} listens. */
    public InetSocketAddress of(int id) {
        InetSocketAddress a = explicit.get(id);
        return a != null ? a : InetSocketAddress.createUnresolved("127.0.0.1", BASE_PORT + id);
    }

    /** A server id, 1 to 99. */
    public static int parseId(String text, String where) {
        try {
            int id = Integer.parseInt(text.strip());
            if (id >= 1 && id <= 99) {
                return id;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(where + ": a server id is a number from 1 to 99, not \"" + text + "\"");
    }

    static String format(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
