package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/** Breaks §5.2's follower rule: a heartbeat from the leader does not restart the election timer. */
final class IgnoresHeartbeats extends Server {

    IgnoresHeartbeats(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void heardFromLeader() {
    }
}
