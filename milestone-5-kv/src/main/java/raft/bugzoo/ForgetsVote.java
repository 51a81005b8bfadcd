package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Storage;
import raft.Server;

/**
 * Breaks §5.2's one vote per term across a restart: the vote is written to storage, but a
 * restarted server reads back only its term and its log. Back in the same term with no vote, it
 * grants a second candidate the vote it already gave the first.
 */
final class ForgetsVote extends Server {

    ForgetsVote(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void restore(Storage.Persisted saved) {
        super.restore(new Storage.Persisted(saved.term(), null, saved.log())); // missing: saved.votedFor()
    }
}
