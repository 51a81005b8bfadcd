package raft.bugzoo;

import harness.api.Bug;
import harness.api.Rule;

import java.util.List;

/**
 * Servers that each break one rule of leader election, log replication, commitment, persistence
 * or serving clients on purpose. The course uses them to prove that the graded suites catch every rule
 * they claim to check, and notebooks use them to show what goes wrong without the rule. Each
 * variant overrides one method of {@link raft.Server}.
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
                    VotesWithoutLogCheck::new),
            new Bug("commits-previous-term", Rule.COMMIT_CURRENT_TERM,
                    "a leader commits the highest index stored on a majority even when its entry is of an earlier term (Figure 8)",
                    CommitsPreviousTerm::new),
            new Bug("applies-uncommitted", Rule.APPLY_IN_ORDER,
                    "a server applies every entry of its log, up to the last one, instead of stopping at commitIndex",
                    AppliesUncommitted::new),
            new Bug("commits-past-log", Rule.COMMIT_WITHIN_LOG,
                    "a follower sets commitIndex to leaderCommit, without the min with the index of its last new entry",
                    CommitsPastLog::new),
            new Bug("replies-before-persisting", Rule.PERSIST_BEFORE_REPLY,
                    "a server sends each message first and syncs the state it depends on afterwards",
                    RepliesBeforePersisting::new),
            new Bug("forgets-vote", Rule.ONE_VOTE_PER_TERM,
                    "a restarted server reads back its term and its log but not its vote, so it can vote twice in a term",
                    ForgetsVote::new),
            new Bug("never-syncs", Rule.PERSIST_BEFORE_REPLY,
                    "a server writes its term, vote and log to storage but never syncs them, so a crash loses them",
                    NeverSyncs::new),
            new Bug("rewrites-whole-log", Rule.WRITE_BUDGET,
                    "before every sync a server writes its whole log to storage again instead of appending the new entries:"
                            + " nothing in Figure 2 forbids it, but the course asks for an appended log, as every write-ahead log is",
                    RewritesWholeLog::new),
            new Bug("leader-reads-locally", Rule.READ_INDEX,
                    "a leader answers reads from its own state at once, without confirming it still leads: an isolated old"
                            + " leader serves stale values",
                    LeaderReadsLocally::new),
            new Bug("follower-reads", Rule.READ_INDEX,
                    "a follower answers reads from its own state instead of naming the leader",
                    FollowerReads::new),
            new Bug("reads-without-no-op", Rule.LEADER_NO_OP,
                    "a new leader appends no no-op and reads at its commitIndex before it has committed an entry of its term",
                    ReadsWithoutNoOp::new),
            new Bug("acks-replaced-entry", Rule.ANSWER_AFTER_APPLY,
                    "a server tells a client \"ok\" even when its entry was replaced by another leader's",
                    AcksReplacedEntry::new),
            new Bug("answers-before-commit", Rule.ANSWER_AFTER_APPLY,
                    "the leader tells a client \"ok\" as soon as it appends the command, before it is committed",
                    AnswersBeforeCommit::new));
}
