package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Message;
import raft.Server;

/**
 * Breaks Figure 2's "updated on stable storage before responding to RPCs": every message leaves
 * first and the state it depends on is synced after. A server that crashes in between has told a
 * candidate "you have my vote" or a leader "I have your entries" and then forgotten it.
 */
final class RepliesBeforePersisting extends Server {

    RepliesBeforePersisting(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void send(int to, Message message) {
        env.send(to, message);
        makeDurable(); // too late: the message is already on its way
    }
}
