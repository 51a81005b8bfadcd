package raft;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a leader knows about each follower: Figure 2's volatile state on leaders, nextIndex (the
 * next entry to send it) and matchIndex (the highest entry known to be stored there),
 * reinitialized after each election. And the AppendEntries on their way to it.
 *
 * <p>Pipelining (thesis §10.2): a follower that gets new entries only once the leader has heard
 * its reply to the last ones sits idle for a round trip, and on a real cluster, with a disk write
 * at each end, that round trip is most of what a write costs. So once a follower has answered with
 * a success, and its log is known to match the leader's, the leader sends new entries without
 * waiting: nextIndex moves past them as they leave, and up to {@link #MAX_IN_FLIGHT} requests may
 * be on their way. Until then (after an election, or after a failed consistency check) it probes,
 * one request at a time: sending more before it knows where the two logs match would only send
 * entries the follower has to refuse. Entries proposed while the window is full go together, when
 * a reply comes back.
 *
 * <p>A request lost or overtaken on the way makes the follower refuse the next one (its log would
 * have a gap), and the leader probes again from the follower's hint. So the leader pipelines only
 * over links that deliver in order ({@code NodeConfig.orderedLinks}), as a TCP connection does,
 * where that happens only when a connection breaks. On the simulator's usual network, which
 * reorders messages, every overtaken request would cost a resend, and the leader keeps one
 * request per follower.
 *
 * <p>{@code nextIndex} and {@code matchIndex} are public only so that the bug zoo can read them.
 */
// tag::followers[]
public final class Followers {

    /** Requests with new entries on their way to one follower at once, once its log is known to match. */
    static final int MAX_IN_FLIGHT = 4;

    private final boolean orderedLinks;
    private final Map<Integer, Long> nextIndex = new HashMap<>();
    private final Map<Integer, Long> matchIndex = new HashMap<>();
    private final Set<Integer> probing = new HashSet<>(); // not known to match yet: one request at a time
    private final Map<Integer, Deque<Long>> inFlight = new HashMap<>(); // the last index each request on its way carries, oldest first

    Followers(boolean orderedLinks) {
        this.orderedLinks = orderedLinks;
    }

    /** Every follower is taken to be up to date (nextIndex just past the leader's log) and known to store nothing. */
    void reset(List<Integer> peers, long lastLogIndex) {
        for (int peer : peers) {
            nextIndex.put(peer, lastLogIndex + 1);
            matchIndex.put(peer, 0L);
            inFlight.put(peer, new ArrayDeque<>());
        }
        probing.addAll(peers);
    }

    public long nextIndex(int peer) {
        return nextIndex.get(peer);
    }

    public long matchIndex(int peer) {
        return matchIndex.get(peer);
    }

    /** Whether new entries may go to this follower now, rather than with a reply it is waiting for. */
    boolean canSendNew(int peer) {
        return inFlight.get(peer).size() < (pipelines(peer) ? MAX_IN_FLIGHT : 1);
    }

    /** Over ordered links, to a follower whose log is known to match, requests need not wait for replies. */
    private boolean pipelines(int peer) {
        return orderedLinks && !probing.contains(peer);
    }

    /**
     * An AppendEntries carrying the entries up to {@code lastIndex} is on its way to the follower.
     * When pipelining, the next request carries what follows them, and a heartbeat that carries
     * nothing takes no room in the window. Heartbeats go whether the window is full or not, so of a
     * follower that does not answer only the latest few requests are remembered.
     */
    void sent(int peer, long lastIndex) {
        if (pipelines(peer)) {
            if (lastIndex < nextIndex.get(peer)) {
                return;
            }
            nextIndex.put(peer, lastIndex + 1);
        }
        Deque<Long> requests = inFlight.get(peer);
        if (requests.size() == MAX_IN_FLIGHT) {
            requests.removeFirst();
        }
        requests.addLast(lastIndex);
    }

    /**
     * A success: the follower stores every entry up to {@code index}, so its log matches the
     * leader's. Replies may arrive out of order, so matchIndex never goes back, and nextIndex stays
     * past what is already on its way. The success answers every request that carried nothing past
     * {@code index}; a later one, carrying more, may still be on its way (a heartbeat that sent the
     * same entries again while the first was out, say), and sending after every reply would keep one
     * more copy of each entry in flight for every such heartbeat.
     */
    void matched(int peer, long index) {
        matchIndex.put(peer, Math.max(matchIndex.get(peer), index));
        nextIndex.put(peer, Math.max(nextIndex.get(peer), matchIndex.get(peer) + 1));
        Deque<Long> requests = inFlight.get(peer);
        while (!requests.isEmpty() && requests.peekFirst() <= index) {
            requests.removeFirst();
        }
        probing.remove(peer);
    }

    /**
     * A failed consistency check (§5.3): the leader retries from {@code next} at once, and probes
     * until a success. The requests still on their way are forgotten: should replies to them come,
     * they only move matchIndex.
     */
    void backUp(int peer, long next) {
        nextIndex.put(peer, next);
        inFlight.get(peer).clear();
        probing.add(peer);
    }
}
// end::followers[]
