package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/**
 * Breaks §5.4.1's election restriction: a server grants its vote without comparing the
 * candidate's last entry with its own, so a candidate missing entries can win and overwrite them.
 */
final class VotesWithoutLogCheck extends Server {

    VotesWithoutLogCheck(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected boolean candidateLogIsUpToDate(long lastLogIndex, long lastLogTerm) {
        return true;
    }
}
