package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Role;
import raft.Message.ClientReply;
import raft.Message.ClientRequest;
import raft.Server;

/**
 * Breaks §8's answer to the client: the leader says "ok" as soon as it has appended the command,
 * before a majority stores it. If the leader then fails, the entry can be lost, and a write the
 * client was told about never happened.
 */
final class AnswersBeforeCommit extends Server {

    AnswersBeforeCommit(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void handleClientRequest(int client, ClientRequest request) {
        super.handleClientRequest(client, request);
        if (role() == Role.LEADER) { // missing: wait until the entry is committed and applied
            send(client, new ClientReply(request.requestId(), null, config.id(), log().size() + logStart() - 1));
        }
    }
}
