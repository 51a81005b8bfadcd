package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/**
 * Breaks §5.4.2 (the paper's Figure 8): the leader commits the highest index stored on a
 * majority whatever the term of its entry. An entry of an earlier term, copied to a majority by a
 * later leader, then counts as committed, though a server holding an entry of a still later term
 * at that index can be elected and overwrite it.
 */
final class CommitsPreviousTerm extends Server {

    CommitsPreviousTerm(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void advanceCommitIndex() {
        for (long n = logStart() + log().size() - 1; n > commitIndex; n--) {
            if (storedOnMajority(n)) { // missing: the entry at n must be of currentTerm
                commitIndex = n;
                applyCommitted();
                return;
            }
        }
    }
}
