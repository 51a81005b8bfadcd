package raft;

import harness.api.RaftMessage;

/**
 * The messages servers exchange: the two RPCs of Figure 2 and their replies. A reply is a message
 * of its own, not a return value, so no server ever waits for another (§5.1: servers communicate
 * with RPCs; here an RPC is a request message answered later by a reply message).
 */
// tag::messages[]
public sealed interface Message extends RaftMessage {

    /** Invoked by candidates to gather votes (§5.2). */
    record RequestVote(long term, int candidateId) implements Message {
    }

    /** The answer to a RequestVote: the voter's term, for the candidate to update itself. */
    record RequestVoteReply(long term, boolean voteGranted) implements Message {
    }

    /**
     * Invoked by the leader; until milestone 2 only as a heartbeat (§5.2). Milestone 2 adds the
     * log fields: prevLogIndex, prevLogTerm, entries and leaderCommit.
     */
    record AppendEntries(long term, int leaderId) implements Message {
    }

    /** The answer to an AppendEntries: the follower's term, for the leader to update itself. */
    record AppendEntriesReply(long term, boolean success) implements Message {
    }
}
// end::messages[]
