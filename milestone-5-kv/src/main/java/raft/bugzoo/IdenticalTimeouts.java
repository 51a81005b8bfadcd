package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

import java.time.Duration;

/** Breaks §5.2's randomized timeouts: every server draws the same timeout. */
final class IdenticalTimeouts extends Server {

    IdenticalTimeouts(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected Duration randomElectionTimeout() {
        return config.timing().electionTimeoutMin();
    }
}
