package harness.testing;

import harness.api.RaftMessage;

/** The messages of the harness's own test implementations. */
public sealed interface Messages extends RaftMessage {

    /** A request: answered by a {@link Pong} carrying the same sequence number. */
    record Ping(long term, int seq) implements Messages {
    }

    /** The answer to a {@link Ping}. */
    record Pong(long term, int seq) implements Messages {
    }
}
