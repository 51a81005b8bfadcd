package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/**
 * Breaks §8's no-op: a new leader appends no entry of its own term on election, and takes its
 * commitIndex as the read index. A new leader may hold entries an earlier leader committed
 * without knowing they are committed; until it commits an entry of its own term its commitIndex
 * lags, and a read answered at that index misses writes that clients were already told took effect.
 */
final class ReadsWithoutNoOp extends Server {

    ReadsWithoutNoOp(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void appendNoOp() {
        // missing: a no-op entry of the new term
    }

    @Override
    protected long readIndex() {
        return commitIndex; // missing: wait until this leader has committed an entry of its term
    }
}
