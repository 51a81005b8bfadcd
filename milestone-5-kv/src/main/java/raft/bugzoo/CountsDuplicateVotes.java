package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/** Breaks §5.2's majority rule: votes are tallied with a counter, not a set of voters. */
final class CountsDuplicateVotes extends Server {

    private long tallyTerm = -1;
    private int tally;

    CountsDuplicateVotes(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void countVote(int voter) {
        if (tallyTerm != currentTerm()) {
            tallyTerm = currentTerm();
            tally = 0;
        }
        tally++;
        if (tally > config.clusterSize() / 2) {
            becomeLeader();
        }
    }
}
