package harness.testing;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.RaftImplementation;
import harness.api.RaftMessage;
import harness.api.RaftNode;

/**
 * A provider with a no-argument constructor, so a test can register it in a jar's
 * META-INF/services the way a milestone module does.
 */
public class JarredImplementation implements RaftImplementation {

    @Override
    public String name() {
        return "jarred";
    }

    @Override
    public int milestone() {
        return 3;
    }

    @Override
    public Class<? extends RaftMessage> messageType() {
        return Messages.class;
    }

    @Override
    public RaftNode create(NodeConfig config, Environment environment) {
        return new Pinger(config, environment, new Pinger.Options());
    }
}
