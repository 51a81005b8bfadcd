package raft;

import harness.api.Entry;
import harness.api.RaftMessage;

import java.util.List;

/**
 * The messages servers exchange: the two RPCs of Figure 2 and their replies. A reply is a message
 * of its own, not a return value, so no server ever waits for another (§5.1: servers communicate
 * with RPCs; here an RPC is a request message answered later by a reply message).
 */
// tag::messages[]
public sealed interface Message extends RaftMessage {

    /**
     * Invoked by candidates to gather votes (§5.2). The candidate's last log entry lets a voter
     * refuse a candidate whose log is less up-to-date than its own (§5.4.1).
     */
    record RequestVote(long term, int candidateId, long lastLogIndex, long lastLogTerm) implements Message {
    }

    /** The answer to a RequestVote: the voter's term, for the candidate to update itself. */
    record RequestVoteReply(long term, boolean voteGranted) implements Message {
    }

    /**
     * Invoked by the leader to replicate log entries (§5.3), and with no entries as a heartbeat
     * (§5.2). The follower accepts the entries only if its log holds an entry at prevLogIndex of
     * prevLogTerm: the consistency check. leaderCommit tells the follower how far it may commit.
     */
    record AppendEntries(long term, int leaderId, long prevLogIndex, long prevLogTerm, List<Entry> entries,
                         long leaderCommit) implements Message {
    }

    /**
     * The answer to an AppendEntries. On success, matchIndex is the last index the follower now
     * shares with the leader. On failure, a hint for the leader to back up quickly (§5.3, "fast
     * backup"): the term of the follower's conflicting entry (0 if its log is too short) and the
     * first index the follower holds of that term (or its log's end + 1).
     */
    record AppendEntriesReply(long term, boolean success, long matchIndex, long conflictTerm, long conflictIndex) implements Message {
    }
}
// end::messages[]
