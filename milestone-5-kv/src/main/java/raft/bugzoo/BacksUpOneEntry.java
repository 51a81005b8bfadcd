package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Message.AppendEntriesReply;
import raft.Server;

/**
 * Follows Figure 2's own repair rule, "decrement nextIndex and retry": after a failed consistency
 * check the leader ignores the follower's hint and tries one entry earlier. That is correct, but a
 * follower n entries astray costs n round trips. The course asks for more than Figure 2 here: the
 * fast backup that §5.3 offers as an optimization (see {@code Rule.FAST_BACKUP}). It still never
 * goes below index 1, the one pitfall it avoids.
 */
final class BacksUpOneEntry extends Server {

    BacksUpOneEntry(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected long backedUpNextIndex(int peer, AppendEntriesReply reply) {
        return Math.max(1, followers.nextIndex(peer) - 1);
    }
}
