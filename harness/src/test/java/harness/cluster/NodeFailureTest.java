package harness.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The stack trace a learner sees when their server throws: their frames, and where it was thrown. */
class NodeFailureTest {

    private static StackTraceElement frame(String cls, String method, int line) {
        return new StackTraceElement(cls, method, cls.substring(cls.lastIndexOf('.') + 1) + ".java", line);
    }

    @Test
    void keepsTheTopFrameAndTheServersOwnFramesAndCountsTheRest() {
        IndexOutOfBoundsException e = new IndexOutOfBoundsException("Index 5 out of bounds for length 3");
        e.setStackTrace(new StackTraceElement[] {
                frame("java.util.ArrayList", "get", 427),
                frame("raft.Log", "get", 40),
                frame("java.util.ArrayList", "forEach", 1596),
                frame("raft.Server", "applyCommitted", 412),
                frame("harness.cluster.Host", "input", 190),
                frame("org.junit.platform.Launcher", "execute", 1)});
        assertEquals("""
                    at java.util.ArrayList.get(ArrayList.java:427)
                    at raft.Log.get(Log.java:40)
                    at raft.Server.applyCommitted(Server.java:412)
                    (3 frames of the JDK, the harness or the test runner left out)
                """, NodeFailure.trimmedTrace(e, "raft"));
    }

    @Test
    void withoutAFrameOfItsOwnShowsTheTopFewAndFollowsCauses() {
        UnsupportedOperationException e = new UnsupportedOperationException("not yet");
        e.setStackTrace(new StackTraceElement[] {
                frame("harness.api.RaftNode", "propose", 39),
                frame("harness.cluster.Host", "lambda$propose$1", 350),
                frame("harness.cluster.Host", "input", 190),
                frame("harness.cluster.Cluster", "propose", 480)});
        IllegalStateException wrapper = new IllegalStateException("wrapped", e);
        wrapper.setStackTrace(new StackTraceElement[] {frame("raft.Server", "propose", 99), frame("harness.cluster.Host", "input", 190)});
        assertEquals("""
                    at raft.Server.propose(Server.java:99)
                    (1 frame of the JDK, the harness or the test runner left out)
                  Caused by: java.lang.UnsupportedOperationException: not yet
                    at harness.api.RaftNode.propose(RaftNode.java:39)
                    at harness.cluster.Host.lambda$propose$1(Host.java:350)
                    at harness.cluster.Host.input(Host.java:190)
                    (1 frame of the JDK, the harness or the test runner left out)
                """, NodeFailure.trimmedTrace(wrapper, "raft"));
    }

    @Test
    void aDeepRecursionShowsItsTop() {
        StackOverflowError e = new StackOverflowError();
        StackTraceElement[] frames = new StackTraceElement[1000];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame("raft.Server", "recurse", 7);
        }
        e.setStackTrace(frames);
        String trace = NodeFailure.trimmedTrace(e, "raft");
        assertEquals(13, trace.lines().count(), trace);
        assertEquals("    (988 frames of the JDK, the harness, a deep recursion or the test runner left out)", trace.lines().toList().get(12));
    }
}
