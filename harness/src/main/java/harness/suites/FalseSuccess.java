package harness.suites;

import harness.observe.Time;
import harness.observe.TraceEvent;
import harness.wire.MessageCodec;

import java.util.function.Consumer;
import java.util.function.IntToLongFunction;

/**
 * Watches one follower for a success it had no right to: an AppendEntriesReply with
 * {@code "success":true} sent while handling an AppendEntries whose prevLogIndex lies past the
 * end of its log, as it stands after handling it. Reads the wire format only.
 */
final class FalseSuccess implements Consumer<TraceEvent> {
    private final int follower;
    private final IntToLongFunction lastLogIndex;
    /** The AppendEntries the follower is handling now, if that is what it is doing. */
    private TraceEvent.Delivered handling;
    private String first;

    FalseSuccess(int follower, IntToLongFunction lastLogIndex) {
        this.follower = follower;
        this.lastLogIndex = lastLogIndex;
    }

    @Override
    public void accept(TraceEvent e) {
        if (e instanceof TraceEvent.Delivered d && d.packet().to() == follower) {
            handling = d.packet().is("AppendEntries") ? d : null;
        } else if (e instanceof TraceEvent.TimerFired t && t.node() == follower) {
            handling = null;
        } else if (e instanceof TraceEvent.Sent sent && sent.packet().from() == follower && handling != null
                && sent.packet().is("AppendEntriesReply") && first == null
                && Boolean.TRUE.equals(MessageCodec.booleanField(sent.packet().bytes(), "success"))) {
            Long prevLogIndex = MessageCodec.longField(handling.packet().bytes(), "prev_log_index");
            long last = lastLogIndex.applyAsLong(follower);
            if (prevLogIndex != null && last < prevLogIndex) {
                Long prevLogTerm = MessageCodec.longField(handling.packet().bytes(), "prev_log_term");
                first = "at " + Time.format(sent.timeMicros()) + " node" + follower + " answered success to node"
                        + handling.packet().from() + "'s AppendEntries with prev_log_index " + prevLogIndex
                        + (prevLogTerm == null ? "" : " and prev_log_term " + prevLogTerm) + ", while its log held "
                        + (last == 0 ? "no entry" : last == 1 ? "1 entry" : last + " entries");
            }
        }
    }

    /** The first false success, in words, or null. */
    String first() {
        return first;
    }
}
