package raft;

import harness.api.Entry;
import harness.api.RaftMessage;

import java.util.List;

/**
 * The messages servers exchange: the two RPCs of Figure 2 and their replies. A reply is a message
 * of its own, not a return value, so no server ever waits for another (§5.1: servers communicate
 * with RPCs; here an RPC is a request message answered later by a reply message). Clients and
 * servers talk by messages too (§8); those carry no term.
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
     * round numbers the leader's heartbeat rounds, for reads by read-index (thesis §6.4).
     */
    record AppendEntries(long term, int leaderId, long prevLogIndex, long prevLogTerm, List<Entry> entries,
                         long leaderCommit, long round) implements Message {
    }

    /**
     * The answer to an AppendEntries. On success, matchIndex is the last index the follower now
     * shares with the leader. On failure, a hint for the leader to back up quickly (§5.3, "fast
     * backup"): the term of the follower's conflicting entry (0 if its log is too short) and the
     * first index the follower holds of that term (or its log's end + 1). Either way it echoes the
     * request's round: the leader learns which of its heartbeat rounds a majority still follows.
     */
    record AppendEntriesReply(long term, boolean success, long matchIndex, long conflictTerm, long conflictIndex,
                              long round) implements Message {
    }

    // ---- Clients (§8, thesis ch. 6) -------------------------------------------------------------

    /** A client asks for a command to go through the log: a write, or a get read the simple way. */
    record ClientRequest(long requestId, String command) implements Message {
    }

    /** A client asks for a read the leader answers by read-index (thesis §6.4), with no log entry. */
    record ReadRequest(long requestId, String query) implements Message {
    }

    /** The request took effect: its command was committed and applied at index (0 for a read), with this result. */
    record ClientReply(long requestId, String result, int leader, long index) implements Message {
    }

    /** This server is not the leader, and names the one it knows of (null if none): the client goes there (§8). */
    record NotLeader(long requestId, Integer leader) implements Message {
    }

    /**
     * The entry that carried the request at index was replaced by another leader's before it
     * committed here. The client cannot know whether its command will still take effect.
     */
    record EntryReplaced(long requestId, long index) implements Message {
    }
}
// end::messages[]
