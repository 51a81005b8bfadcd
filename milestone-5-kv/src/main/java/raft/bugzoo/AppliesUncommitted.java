package raft.bugzoo;

import harness.api.Entry;
import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

import java.util.List;

/**
 * Breaks Figure 2's rule for applying: a server applies every entry of its log, up to the last
 * one, instead of stopping at commitIndex. An entry not yet on a majority may still be
 * overwritten, and then the state machine has applied a command that never happened.
 */
final class AppliesUncommitted extends Server {

    AppliesUncommitted(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void applyCommitted() {
        List<Entry> entries = log();
        long lastIndex = logStart() + entries.size() - 1;
        while (lastApplied < lastIndex) { // should stop at commitIndex
            lastApplied++;
            env.apply(lastApplied, entries.get((int) (lastApplied - logStart())).command());
        }
    }
}
