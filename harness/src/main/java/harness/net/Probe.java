package harness.net;

import com.fasterxml.jackson.databind.JsonNode;
import harness.api.ClientConfig;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Asks one server of a real cluster for its state (role, term, indexes), as {@code raft-client status} does. */
final class Probe {

    private Probe() {
    }

    /** The server's status reply, or null if it did not answer within {@code within}. */
    static JsonNode status(Addresses addresses, int server, Duration within) throws InterruptedException {
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        int id = ThreadLocalRandom.current().nextInt(ClientConfig.FIRST_ID + 1000, 1_000_000_000);
        try (ServerConnection c = new ServerConnection(addresses.of(server), frame -> {
            try {
                Envelope e = Envelope.decode(frame);
                if (e.type().equals("StatusReply")) {
                    reply.complete(e.fields());
                }
            } catch (Envelope.BadEnvelope ignored) {
                // not an answer to this
            }
        })) {
            c.offer(Envelope.wrap("Status", id, Envelope.JSON.createObjectNode()));
            return reply.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        }
    }
}
