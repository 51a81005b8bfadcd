package harness.api;

/** Creates a server: the constructor of an implementation, or of one of its bug-zoo variants. */
@FunctionalInterface
public interface NodeFactory {
    RaftNode create(NodeConfig config, Environment environment);
}
