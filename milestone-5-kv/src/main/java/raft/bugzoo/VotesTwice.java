package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/** Breaks §5.2's one vote per term: any candidate of the current term gets the vote. */
final class VotesTwice extends Server {

    VotesTwice(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected boolean canVoteFor(int candidateId) {
        return true;
    }
}
