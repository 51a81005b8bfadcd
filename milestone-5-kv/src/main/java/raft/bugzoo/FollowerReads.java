package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Role;
import raft.Message.ClientReply;
import raft.Message.ReadRequest;
import raft.Server;

/**
 * Breaks read-index (thesis §6.4): a follower answers a read from its own state machine instead
 * of naming the leader. A follower applies entries only after the leader has committed them, and
 * may be far behind, or cut off, so it serves values already overwritten.
 */
final class FollowerReads extends Server {

    FollowerReads(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void handleReadRequest(int client, ReadRequest request) {
        if (role() == Role.LEADER) {
            super.handleReadRequest(client, request);
            return;
        }
        // missing: only the leader may answer; a follower names it instead
        send(client, new ClientReply(request.requestId(), env.query(request.query()), config.id(), 0));
    }
}
