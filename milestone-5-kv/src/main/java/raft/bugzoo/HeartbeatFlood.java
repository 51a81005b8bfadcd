package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

import java.time.Duration;

/** Breaks §5.2's heartbeat interval: the leader sends a heartbeat every millisecond. */
final class HeartbeatFlood extends Server {

    HeartbeatFlood(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected Duration heartbeatInterval() {
        return Duration.ofMillis(1);
    }
}
