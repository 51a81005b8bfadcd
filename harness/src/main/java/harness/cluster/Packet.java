package harness.cluster;

import java.nio.charset.StandardCharsets;

/**
 * A message on the wire: who sent it to whom, its type and term, and its JSON bytes. Fault rules
 * ({@link Network#dropWhere}, {@link Network#holdWhere}) match packets, never an implementation's
 * classes.
 */
public record Packet(long id, int from, int to, String type, long term, byte[] bytes) {

    /** The message as JSON text. */
    public String json() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public boolean is(String typeName) {
        return type.equals(typeName);
    }

    @Override
    public String toString() {
        return harness.api.ClientConfig.name(from) + " → " + harness.api.ClientConfig.name(to) + " " + type + " " + json();
    }
}
