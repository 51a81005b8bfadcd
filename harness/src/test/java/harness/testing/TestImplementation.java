package harness.testing;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.NodeFactory;
import harness.api.RaftImplementation;
import harness.api.RaftMessage;
import harness.api.RaftNode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RaftImplementation} for the harness's own tests: a name, a message type and a
 * factory. It remembers every server object it created, so tests can tell a restart made a new one.
 */
public final class TestImplementation implements RaftImplementation {

    private final String name;
    private final Class<? extends RaftMessage> messageType;
    private final NodeFactory factory;
    private final List<RaftNode> created = new CopyOnWriteArrayList<>();
    private final List<Integer> createdIds = new CopyOnWriteArrayList<>();

    public TestImplementation(String name, Class<? extends RaftMessage> messageType, NodeFactory factory) {
        this.name = name;
        this.messageType = messageType;
        this.factory = factory;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int milestone() {
        return 1;
    }

    @Override
    public Class<? extends RaftMessage> messageType() {
        return messageType;
    }

    @Override
    public RaftNode create(NodeConfig config, Environment environment) {
        RaftNode node = factory.create(config, environment);
        created.add(node);
        createdIds.add(config.id());
        return node;
    }

    /** Every server object created for {@code id}, oldest first. */
    public List<RaftNode> created(int id) {
        List<RaftNode> result = new java.util.ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            if (createdIds.get(i) == id) {
                result.add(created.get(i));
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return name;
    }
}
