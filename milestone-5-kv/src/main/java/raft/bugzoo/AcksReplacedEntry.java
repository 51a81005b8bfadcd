package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Message;
import raft.Message.ClientReply;
import raft.Message.EntryReplaced;
import raft.Server;

/**
 * Breaks §8's answer to the client: when the entry a client's command went into is replaced by
 * another leader's entry, the server still tells the client "ok". The command never took effect,
 * yet the client believes it did.
 */
final class AcksReplacedEntry extends Server {

    AcksReplacedEntry(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void send(int to, Message message) {
        if (message instanceof EntryReplaced replaced) { // missing: tell the client its entry was replaced
            message = new ClientReply(replaced.requestId(), null, config.id(), replaced.index());
        }
        super.send(to, message);
    }
}
