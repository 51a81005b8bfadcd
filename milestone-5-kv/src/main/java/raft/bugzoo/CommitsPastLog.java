package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/**
 * Breaks Figure 2's AppendEntries rule 5: a follower sets commitIndex to leaderCommit instead of
 * min(leaderCommit, index of its last new entry). When one AppendEntries carries only part of
 * what the leader has committed (a follower far behind), commitIndex points past the end of the
 * follower's log, and applying up to it reaches for entries it does not hold.
 */
final class CommitsPastLog extends Server {

    CommitsPastLog(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void followLeaderCommit(long leaderCommit, long lastNewIndex) {
        if (leaderCommit > commitIndex) {
            commitIndex = leaderCommit; // should be Math.min(leaderCommit, lastNewIndex)
            applyCommitted();
        }
    }
}
