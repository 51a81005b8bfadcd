package raft;

import harness.api.Entry;
import raft.Message.ClientReply;
import raft.Message.EntryReplaced;

import java.util.HashMap;
import java.util.Map;

/**
 * The clients a server owes an answer (§8): each asked for a command the server appended, as
 * leader, at an index in its term. The answer goes out when that index is applied: the result if
 * the entry applied there is the one appended for the client, and "replaced" if another leader's
 * entry took its place. A client is never told "ok" for a command that did not take effect.
 */
// tag::waiting[]
final class WaitingClients {

    private record Waiting(int client, long requestId, long term) {
    }

    private final Map<Long, Waiting> atIndex = new HashMap<>();

    /** {@code client}'s request {@code requestId} was appended at {@code index} in {@code term}. */
    void waitFor(long index, long term, int client, long requestId) {
        atIndex.put(index, new Waiting(client, requestId, term));
    }

    /** The client waiting on {@code index}, or 0 if none. */
    int clientAt(long index) {
        Waiting w = atIndex.get(index);
        return w == null ? 0 : w.client();
    }

    /**
     * The answer owed for the entry just applied at {@code index}, or null if nobody waits for it.
     * The entry is the client's only if it has the term it was appended in: same index and term,
     * same entry (Log Matching, §5.3).
     */
    Message answerFor(long index, Entry applied, String result, int self) {
        Waiting w = atIndex.remove(index);
        if (w == null) {
            return null;
        }
        return applied.term() == w.term() ? new ClientReply(w.requestId(), result, self, index) : new EntryReplaced(w.requestId(), index);
    }
}
// end::waiting[]
