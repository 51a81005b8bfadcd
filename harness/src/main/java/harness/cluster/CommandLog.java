package harness.cluster;

import harness.api.StateMachine;

import java.util.ArrayList;
import java.util.List;

/**
 * The state machine the graded suites use: it keeps the commands it applied, in order, and
 * answers each with its position, so two servers agree exactly when their lists are equal.
 */
public final class CommandLog implements StateMachine {

    private final List<String> applied = new ArrayList<>();

    @Override
    public String apply(String command) {
        applied.add(command);
        return "applied #" + applied.size();
    }

    public List<String> applied() {
        return List.copyOf(applied);
    }
}
