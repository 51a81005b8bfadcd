package harness.net;

import harness.api.ClientConfig;
import harness.api.ClientEnvironment;
import harness.api.Operation;
import harness.api.Outcome;
import harness.api.RaftClient;
import harness.api.RaftImplementation;
import harness.api.RaftMessage;
import harness.wire.MessageCodec;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The milestone's own client (the same code the simulator runs) on TCP: its timers on one event
 * loop with the wall clock, its messages in frames to the servers. One operation at a time, as
 * the client expects; {@link #perform} waits for the client's outcome.
 */
final class TcpClient implements ClientEnvironment, AutoCloseable {

    private final int id;
    private final Addresses addresses;
    private final MessageCodec codec;
    private final RandomGenerator random = new SplittableRandom();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "client");
        t.setDaemon(true);
        return t;
    });
    private final WallClockTimers timers = new WallClockTimers(loop, Runnable::run);
    private final Map<Integer, ServerConnection> connections = new ConcurrentHashMap<>();
    private final RaftClient client;
    private final Consumer<Envelope> observer;
    private CompletableFuture<Outcome> current;

    /** {@code observer} sees every frame a server sends back, on the event loop, before the client does. */
    TcpClient(int id, List<Integer> servers, Addresses addresses, RaftImplementation implementation, Duration giveUpAfter,
              Consumer<Envelope> observer) {
        this.id = id;
        this.addresses = addresses;
        this.codec = new MessageCodec(implementation.messageType());
        this.observer = observer;
        ClientConfig config = new ClientConfig(id, servers, Duration.ofMillis(200), giveUpAfter, false);
        this.client = implementation.createClient(config, this);
    }

    /** Runs one operation through the client and returns its outcome, or null if the client never completed it. */
    Outcome perform(Operation operation, Duration within) throws InterruptedException {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        loop.execute(() -> {
            current = done;
            client.submit(operation);
        });
        try {
            return done.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the client failed: " + e.getCause(), e.getCause());
        }
    }

    /** Sends a frame of the course's protocol to server {@code to} directly, not through the client. */
    void sendFrame(int to, byte[] frame) {
        connection(to).offer(frame);
    }

    private ServerConnection connection(int server) {
        return connections.computeIfAbsent(server, s -> new ServerConnection(addresses.of(s), this::arrived));
    }

    private void arrived(byte[] frame) {
        Envelope envelope;
        try {
            envelope = Envelope.decode(frame);
        } catch (Envelope.BadEnvelope e) {
            return; // not the protocol: ignored, as a network's noise
        }
        loop.execute(() -> {
            observer.accept(envelope);
            if (ClientConfig.isClient(envelope.from()) || envelope.type().startsWith("Status")) {
                return;
            }
            RaftMessage message;
            try {
                message = envelope.message(codec);
            } catch (Envelope.BadEnvelope e) {
                return;
            }
            client.receive(envelope.from(), message);
        });
    }

    @Override
    public void send(int to, RaftMessage message) {
        sendFrame(to, Envelope.encode(codec, id, message));
    }

    @Override
    public void startTimer(String name, Duration delay, Runnable action) {
        timers.start(name, delay, action);
    }

    @Override
    public void cancelTimer(String name) {
        timers.cancel(name);
    }

    @Override
    public Duration now() {
        return timers.now();
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public void log(String message) {
        // the command line prints outcomes only
    }

    @Override
    public void complete(Outcome outcome) {
        if (current != null) {
            current.complete(outcome);
        }
    }

    @Override
    public void close() {
        connections.values().forEach(ServerConnection::close);
        loop.shutdownNow();
    }
}
