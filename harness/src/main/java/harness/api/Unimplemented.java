package harness.api;

/**
 * The harness needs a capability of this contract that the code under test does not offer, such
 * as a key-value store from {@link RaftImplementation#newStateMachine()} before milestone 5. It
 * names the contract's method, and its message says which milestone brings it, so the grader can
 * tell a learner what may be missing. (A default method of the contract that cannot work throws a
 * plain {@link UnsupportedOperationException} itself, and the grader finds it by where it was thrown.)
 */
public final class Unimplemented extends UnsupportedOperationException {

    private static final long serialVersionUID = 1L;

    private final String method;

    /**
     * @param method  the contract's method the code does not implement, such as "RaftImplementation.newStateMachine()"
     * @param message what is missing, naming the milestone that brings it ("... start at milestone 5 ...")
     */
    public Unimplemented(String method, String message) {
        super(message);
        this.method = method;
    }

    /** The contract's method the code does not implement, such as "RaftImplementation.newStateMachine()". */
    public String method() {
        return method;
    }
}
