package harness.cluster;

import harness.observe.Time;

/** A server's own code threw while handling one of its inputs; the run stops there. */
public final class NodeFailure extends RuntimeException {

    public NodeFailure(int id, String input, long timeMicros, Throwable cause) {
        super("node" + id + " threw " + cause + " while " + input + " at " + Time.format(timeMicros)
                + ": this is a bug in the server's code; the stack trace below points at the line", cause);
    }
}
