package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Role;
import raft.Message.RequestVoteReply;
import raft.Server;

/** Breaks §5.1's rule to ignore stale replies: a vote from an earlier election still counts. */
final class CountsStaleVotes extends Server {

    CountsStaleVotes(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected boolean isReplyToCurrentElection(RequestVoteReply reply) {
        return role() == Role.CANDIDATE;
    }
}
