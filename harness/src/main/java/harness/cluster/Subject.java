package harness.cluster;

import harness.api.Bug;
import harness.api.NodeFactory;
import harness.api.RaftImplementation;

/** The code a cluster runs: an implementation, or one of its bug-zoo variants. */
public record Subject(RaftImplementation implementation, Bug bug) {

    public Subject(RaftImplementation implementation) {
        this(implementation, null);
    }

    public NodeFactory factory() {
        return bug == null ? implementation : bug.factory();
    }

    /** The same implementation with the named bug-zoo variant, or a clear error naming the variants there are. */
    public Subject withBug(String name) {
        return new Subject(implementation, implementation.bugZoo().stream()
                .filter(b -> b.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no bug-zoo variant \"" + name + "\" in " + implementation.name()
                        + "; its variants are " + implementation.bugZoo().stream().map(b -> b.name()).toList())));
    }

    @Override
    public String toString() {
        return bug == null ? implementation.name() : implementation.name() + " with bug \"" + bug.name() + "\"";
    }
}
