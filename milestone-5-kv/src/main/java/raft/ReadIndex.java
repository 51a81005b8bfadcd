package raft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a leader answers by read-index (thesis §6.4), without a log entry. A read may be answered
 * once two things hold: the leader has applied its log up to the read's index (the commit index
 * it noted when the read arrived), and a majority has acknowledged a round of heartbeats the
 * leader started after the read arrived, which proves no newer leader had been elected then.
 *
 * <p>Rounds are numbered; every AppendEntries carries the latest round, and every reply echoes it.
 * Reads that arrive while a round is under way wait for the next one, so a burst of reads costs
 * one round, not one each.
 */
// tag::read-index-state[]
final class ReadIndex {

    record Read(int client, long requestId, String query, long readIndex, long round) {
    }

    private final List<Read> waiting = new ArrayList<>();
    private final Map<Integer, Long> acknowledged = new HashMap<>(); // the latest round each follower echoed
    private long round;          // the latest round started
    private long confirmedRound; // the latest round a majority acknowledged

    /** A new leader starts counting rounds again: rounds of an earlier term prove nothing. */
    void reset() {
        waiting.clear();
        acknowledged.clear();
        round = 0;
        confirmedRound = 0;
    }

    /** The round every AppendEntries carries now. */
    long round() {
        return round;
    }

    /** A read arrived: it needs the next round, which starts after it. */
    void add(int client, long requestId, String query, long readIndex) {
        waiting.add(new Read(client, requestId, query, readIndex, round + 1));
    }

    /** Whether a read waits for a round that has not started, and none is under way. */
    boolean needsRound() {
        return round == confirmedRound && waiting.stream().anyMatch(r -> r.round() > round);
    }

    void startRound() {
        round++;
    }

    /** A follower echoed {@code echoed}; the confirmed round is the latest a majority (the leader included) has echoed. */
    void acknowledge(int follower, long echoed, int clusterSize) {
        acknowledged.merge(follower, echoed, Math::max);
        long[] rounds = new long[clusterSize];
        rounds[0] = round; // the leader follows its own round
        int i = 1;
        for (long r : acknowledged.values()) {
            rounds[i++] = r;
        }
        Arrays.sort(rounds); // ascending; followers not heard from count as round 0
        confirmedRound = Math.max(confirmedRound, rounds[clusterSize - (clusterSize / 2 + 1)]);
    }

    /** In a cluster of one the leader alone is a majority: its rounds are confirmed as they start. */
    void confirmAlone() {
        confirmedRound = round;
    }

    /** Removes and returns the reads that may be answered now that {@code lastApplied} is applied. */
    List<Read> ready(long lastApplied) {
        List<Read> ready = new ArrayList<>();
        waiting.removeIf(r -> r.round() <= confirmedRound && r.readIndex() <= lastApplied && ready.add(r));
        return ready;
    }

    /** Removes and returns every waiting read: a server that stops leading answers none of them. */
    List<Read> drain() {
        List<Read> all = new ArrayList<>(waiting);
        waiting.clear();
        return all;
    }
}
// end::read-index-state[]
