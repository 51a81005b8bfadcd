package harness.observe;

import harness.api.Role;

import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The story of a run in words, as it happens: elections started, won and given up, leaders
 * stepping down, crashes, restarts, network changes, narration, and from milestone 5 each
 * client's operations, asked and answered. Messages and timers are left out unless the timeline
 * is asked for every event.
 */
public final class Timeline implements Consumer<TraceEvent> {

    private final PrintStream out;
    private final boolean everyEvent;

    public Timeline(PrintStream out, boolean everyEvent) {
        this.out = out;
        this.everyEvent = everyEvent;
    }

    @Override
    public void accept(TraceEvent event) {
        String line = storyLine(event);
        if (line != null) {
            out.println(line);
        } else if (everyEvent) {
            out.println(Time.column(event.timeMicros()) + "      " + event.describe());
        }
    }

    /** The event as a printed line of the story, with its time, or null if it is not part of the story. */
    public static String storyLine(TraceEvent event) {
        String story = story(event);
        return story == null ? null : Time.column(event.timeMicros()) + "  " + story;
    }

    /** The event as a line of the story, or null if it is not part of the story. */
    public static String story(TraceEvent event) {
        if (event instanceof TraceEvent.RoleChanged r) {
            String node = "node" + r.node();
            if (r.to() == Role.CANDIDATE) return node + " times out and stands for election in term " + r.term();
            if (r.to() == Role.LEADER) return node + " wins term " + r.term() + " with votes from "
                    + r.votes().stream().map(v -> "node" + v).collect(Collectors.joining(", "));
            if (r.from() == Role.LEADER) return node + " steps down: it has seen term " + r.term();
            return node + " gives up its election: term " + r.term() + " has a leader or a newer candidate";
        }
        if (event instanceof TraceEvent.TermChanged t && t.role() == Role.CANDIDATE) {
            return "node" + t.node() + " times out again and stands for election in term " + t.to();
        }
        if (event instanceof TraceEvent.Crashed) {
            return "✗ " + event.describe();
        }
        if (event instanceof TraceEvent.Restarted) {
            return "↻ " + event.describe();
        }
        if (event instanceof TraceEvent.NetworkChanged || event instanceof TraceEvent.Note) {
            return event.describe();
        }
        if (event instanceof TraceEvent.Invoked || event instanceof TraceEvent.Completed) {
            return event.describe();
        }
        return null;
    }
}
