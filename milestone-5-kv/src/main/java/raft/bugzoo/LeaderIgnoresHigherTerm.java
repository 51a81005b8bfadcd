package raft.bugzoo;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Role;
import raft.Server;

/** Breaks §5.1's rule to adopt a higher term and step down, for leaders only. */
final class LeaderIgnoresHigherTerm extends Server {

    LeaderIgnoresHigherTerm(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void adoptHigherTerm(long term) {
        if (role() != Role.LEADER) {
            super.adoptHigherTerm(term);
        }
    }
}
