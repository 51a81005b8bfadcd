package harness.api;

/** A server's answer to a client that proposes a command (§5.3, §8). */
public sealed interface Proposal {

    /**
     * The leader appended the command to its log at {@code index} in {@code term}. It is not
     * committed yet: that takes a majority (§5.3), and the entry may still be overwritten if this
     * leader loses its leadership first.
     */
    record Accepted(long index, long term) implements Proposal {
    }

    /** This server is not the leader; {@code leaderHint} is the leader it knows of, or null (§8). */
    record NotLeader(Integer leaderHint) implements Proposal {
    }
}
