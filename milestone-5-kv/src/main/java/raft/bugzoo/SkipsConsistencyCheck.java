package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/**
 * Breaks §5.3's consistency check: a follower accepts entries whatever its log holds at
 * prevLogIndex, so it appends them after the wrong entries, or after a gap.
 */
final class SkipsConsistencyCheck extends Server {

    SkipsConsistencyCheck(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected boolean passesConsistencyCheck(long prevLogIndex, long prevLogTerm) {
        return true;
    }
}
