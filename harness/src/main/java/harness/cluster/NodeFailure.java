package harness.cluster;

import harness.observe.Time;

import java.util.ArrayList;
import java.util.List;

/**
 * A server's own code threw while handling one of its inputs; the run stops there. The message
 * carries the exception's stack trace trimmed to the server's own frames (its package, such as
 * {@code raft}), since the frames of the harness and the test framework below them say nothing
 * about the bug.
 */
public final class NodeFailure extends RuntimeException {

    /** At most this many frames of one exception are shown; a deep recursion shows its top. */
    private static final int MOST_FRAMES = 12;
    private static final int MOST_CAUSES = 3;

    public NodeFailure(int id, String input, long timeMicros, Throwable cause, String codePackage) {
        super("node" + id + " threw " + cause + " while " + input + " at " + Time.format(timeMicros)
                + ": this is a bug in the server's code, thrown here:\n" + trimmedTrace(cause, codePackage).stripTrailing(), cause);
    }

    /**
     * The frames of {@code thrown} from the top down to the last frame of the server's code, with
     * the frames of the JDK and the harness between them left out (but the top frame always
     * kept: that is where it was thrown), then the same for each cause.
     */
    static String trimmedTrace(Throwable thrown, String codePackage) {
        StringBuilder s = new StringBuilder();
        Throwable t = thrown;
        for (int depth = 0; t != null && depth < MOST_CAUSES; depth++, t = t.getCause()) {
            if (depth > 0) {
                s.append("  Caused by: ").append(t).append('\n');
            }
            StackTraceElement[] frames = t.getStackTrace();
            int last = -1;
            for (int i = 0; i < frames.length; i++) {
                if (isOwn(frames[i], codePackage)) {
                    last = i;
                }
            }
            List<StackTraceElement> kept = new ArrayList<>();
            int end = last < 0 ? Math.min(frames.length, 3) : last + 1; // no frame of its own: show the top few
            for (int i = 0; i < end; i++) {
                if (i == 0 || last < 0 || isOwn(frames[i], codePackage)) {
                    kept.add(frames[i]);
                }
            }
            kept.stream().limit(MOST_FRAMES).forEach(f -> s.append("    at ").append(frame(f)).append('\n'));
            int shown = Math.min(kept.size(), MOST_FRAMES);
            int omitted = frames.length - shown;
            if (omitted > 0) {
                s.append("    (").append(omitted).append(omitted == 1 ? " frame" : " frames").append(" of the JDK, the harness")
                        .append(kept.size() > MOST_FRAMES ? ", a deep recursion" : "").append(" or the test runner left out)\n");
            }
        }
        return s.toString();
    }

    /** "raft.Log.get(Log.java:40)": without the class loader's and the module's names, which say nothing here. */
    private static String frame(StackTraceElement f) {
        String where = f.getFileName() == null ? "Unknown Source" : f.getLineNumber() >= 0 ? f.getFileName() + ":" + f.getLineNumber()
                : f.getFileName();
        return f.getClassName() + "." + f.getMethodName() + "(" + where + ")";
    }

    private static boolean isOwn(StackTraceElement frame, String codePackage) {
        return frame.getClassName().startsWith(codePackage + ".");
    }
}
