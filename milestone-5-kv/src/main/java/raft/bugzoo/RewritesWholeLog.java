package raft.bugzoo;

import harness.api.Entry;
import harness.api.Environment;
import harness.api.NodeConfig;
import raft.Server;

/**
 * Correct but ruinous: before every sync the server writes its whole log to storage again, as
 * if saving a document, so storing one more entry costs the whole log's bytes, and a long log
 * makes every heartbeat reply a large write. Figure 2 only asks that the log be durable before
 * the server answers; appending is the course's own rule (see {@code Rule.WRITE_BUDGET}).
 */
final class RewritesWholeLog extends Server {

    RewritesWholeLog(NodeConfig config, Environment env) {
        super(config, env);
    }

    @Override
    protected void makeDurable() {
        storage.truncateFrom(1);
        for (Entry entry : log()) {
            storage.append(entry);
        }
        storage.sync();
    }
}
