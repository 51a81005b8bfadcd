package raft;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a leader knows about each follower: Figure 2's volatile state on leaders, nextIndex (the
 * next entry to send it) and matchIndex (the highest entry known to be stored there),
 * reinitialized after each election. And whether an AppendEntries is on its way to it: the leader
 * keeps one request per follower, and entries proposed meanwhile go with the next one, sent when
 * the reply comes back. Without that, every proposal would send the follower all it lacks again.
 *
 * <p>{@code nextIndex} and {@code matchIndex} are public only so that the bug zoo can read them.
 */
// tag::followers[]
public final class Followers {

    private final Map<Integer, Long> nextIndex = new HashMap<>();
    private final Map<Integer, Long> matchIndex = new HashMap<>();
    private final Set<Integer> awaitingReply = new HashSet<>(); // an AppendEntries is on its way to these
    private final Map<Integer, Long> lastSentIndex = new HashMap<>(); // the last index the latest AppendEntries carried

    /** Every follower is taken to be up to date (nextIndex just past the leader's log) and known to store nothing. */
    void reset(List<Integer> peers, long lastLogIndex) {
        for (int peer : peers) {
            nextIndex.put(peer, lastLogIndex + 1);
            matchIndex.put(peer, 0L);
        }
        awaitingReply.clear();
    }

    public long nextIndex(int peer) {
        return nextIndex.get(peer);
    }

    public long matchIndex(int peer) {
        return matchIndex.get(peer);
    }

    /** Whether new entries may go to this follower now, rather than with the reply it is waiting for. */
    boolean canSendNew(int peer) {
        return !awaitingReply.contains(peer);
    }

    /** An AppendEntries carrying the entries up to {@code lastIndex} is on its way to the follower. */
    void sent(int peer, long lastIndex) {
        awaitingReply.add(peer);
        lastSentIndex.put(peer, lastIndex);
    }

    /**
     * A success: the follower stores every entry up to {@code index}. Replies may arrive out of
     * order, so matchIndex never goes back. A success that answers an earlier request (a heartbeat
     * sent the same entries again while it was out) leaves the follower awaited: the later request,
     * carrying more, is still on its way, and sending after every reply would keep one more copy of
     * each entry in flight for every such heartbeat.
     */
    void matched(int peer, long index) {
        matchIndex.put(peer, Math.max(matchIndex.get(peer), index));
        nextIndex.put(peer, matchIndex.get(peer) + 1);
        if (index >= lastSentIndex.get(peer)) {
            awaitingReply.remove(peer);
        }
    }

    /** A failed consistency check (§5.3): the leader retries from {@code next} at once. */
    void backUp(int peer, long next) {
        nextIndex.put(peer, next);
        awaitingReply.remove(peer);
    }
}
// end::followers[]
