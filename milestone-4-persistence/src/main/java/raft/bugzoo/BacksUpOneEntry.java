package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Message.AppendEntriesReply;
import raft.Server;

/**
 * Breaks §5.3's fast backup: after a failed consistency check the leader ignores the follower's
 * hint and tries one entry earlier, so a follower n entries astray costs n round trips. (It still
 * never goes below index 1, the one pitfall it avoids.)
 */
final class BacksUpOneEntry extends Server {

    BacksUpOneEntry(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected long backedUpNextIndex(int peer, AppendEntriesReply reply) {
        return Math.max(1, nextIndex.get(peer) - 1);
    }
}
