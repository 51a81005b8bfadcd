package raft.bugzoo;

import harness.api.Bug;
import harness.api.Rule;

import java.util.List;

/**
 * Servers that each break one rule of leader election or log replication on purpose. The course
 * uses them to prove that the graded suites catch every rule they claim to check, and notebooks
 * use them to show what goes wrong without the rule. Each variant overrides one method of
 * {@link raft.Server}.
 */
public final class BugZoo {

    private BugZoo() {
    }

    public static final List<Bug> VARIANTS = List.of(
            new Bug("identical-timeouts", Rule.RANDOMIZED_TIMEOUTS,
                    "every server waits exactly the shortest election timeout, so servers that start together split the vote forever",
                    IdenticalTimeouts::new),
            new Bug("votes-twice", Rule.ONE_VOTE_PER_TERM,
                    "a server grants its vote to every candidate of its current term, not just the first",
                    VotesTwice::new),
            new Bug("leader-ignores-higher-term", Rule.HIGHER_TERM,
                    "a leader that sees a higher term keeps leading instead of stepping down",
                    LeaderIgnoresHigherTerm::new),
            new Bug("counts-duplicate-votes", Rule.MAJORITY_TO_WIN,
                    "a candidate counts every granted reply, so a duplicated reply counts twice",
                    CountsDuplicateVotes::new),
            new Bug("counts-stale-votes", Rule.STALE_TERM,
                    "a candidate counts granted votes from an earlier term's election",
                    CountsStaleVotes::new),
            new Bug("heartbeat-flood", Rule.HEARTBEATS,
                    "a leader sends heartbeats every millisecond instead of every heartbeat interval",
                    HeartbeatFlood::new),
            new Bug("ignores-heartbeats", Rule.FOLLOWER_TIMER,
                    "a follower does not restart its election timer when the leader's heartbeat arrives",
                    IgnoresHeartbeats::new),
            new Bug("skips-consistency-check", Rule.CONSISTENCY_CHECK,
                    "a follower accepts entries without checking that its log holds the leader's entry at prevLogIndex with prevLogTerm",
                    SkipsConsistencyCheck::new),
            new Bug("backs-up-one-entry", Rule.FAST_BACKUP,
                    "after a failed consistency check the leader ignores the follower's hint and backs nextIndex up by one entry:"
                            + " Figure 2's own rule, correct but one round trip per entry, where the course asks for §5.3's optional fast backup",
                    BacksUpOneEntry::new),
            new Bug("votes-without-log-check", Rule.UP_TO_DATE_VOTE,
                    "a server votes for a candidate without checking that the candidate's log is at least as up-to-date as its own",
                    VotesWithoutLogCheck::new));
}
