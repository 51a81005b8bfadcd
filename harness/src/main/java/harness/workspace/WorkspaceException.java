package harness.workspace;

/**
 * Something about a learner's workspace stops the command: it does not exist, does not compile,
 * or does not register its code. The message says what is wrong and what to do.
 */
public class WorkspaceException extends RuntimeException {

    public WorkspaceException(String message) {
        super(message);
    }
}
