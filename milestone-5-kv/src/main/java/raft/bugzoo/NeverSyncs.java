package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/**
 * Breaks Figure 2's stable storage: the server writes its term, vote and log but never syncs
 * them, so they sit in buffers a crash throws away. Everything works until the first crash.
 */
final class NeverSyncs extends Server {

    NeverSyncs(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void makeDurable() {
        // missing: storage.sync()
    }
}
