package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Role;
import raft.Message.ClientReply;
import raft.Message.ReadRequest;
import raft.Server;

/**
 * Breaks read-index (thesis §6.4): a leader answers a read at once from its own state machine,
 * without confirming with a round of heartbeats that it still leads. A leader cut off from the
 * majority keeps believing it leads until it hears of a newer term, and meanwhile serves values
 * the new leader has overwritten: the stale read Jepsen found in early etcd.
 */
final class LeaderReadsLocally extends Server {

    LeaderReadsLocally(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void handleReadRequest(int client, ReadRequest request) {
        if (role() != Role.LEADER) {
            super.handleReadRequest(client, request);
            return;
        }
        // missing: note the read index, confirm leadership with a heartbeat round, then answer
        send(client, new ClientReply(request.requestId(), env.query(request.query()), config.id(), 0));
    }
}
