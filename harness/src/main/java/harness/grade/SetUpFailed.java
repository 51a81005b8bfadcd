package harness.grade;

import java.util.Optional;

/**
 * A scripted scenario could not build the situation it grades: a step of its own script did not
 * happen (the chosen candidate did not end up leading, a server the script keeps silent stood
 * above it, the logs are not the ones the paper's figure shows). The code under test was never
 * put to the test the scenario is for, so the failure names no rule: its report begins
 * "scenario set-up:", says that the scenario failed and not the code, and gives the seed and the
 * command that replays the run.
 *
 * <p>It still fails the scenario, and the scenario's points are lost, like any failure: the
 * grader never passes a scenario it could not check. That is fair only if it never happens to
 * correct code, so two rules hold. A scenario checks with the rule it owes everything the code
 * under test owes (a leader takes a proposal, a follower stores entries, a majority elects a
 * leader), and throws this only for premises correct code may miss. And every scenario is soaked
 * over thousands of seeds of the reference code ({@code ./course soak}) before it is graded: a
 * set-up failure a student sees is a bug in the course, to report with the replay command.
 */
public final class SetUpFailed extends AssertionError {

    /** How the report of a set-up failure begins, where any other failure's names its rule. */
    public static final String LABEL = "scenario set-up:";

    /** What a set-up failure's report says of it, after what did not happen. */
    static final String VERDICT = "This is the scenario's failure, not your code's: its own script did not happen, so it never"
            + " built the situation it grades, and no rule of Raft was judged. It still fails the scenario (the grader never"
            + " passes what it could not check). The scenarios are soaked over thousands of seeds of the reference code before"
            + " they are graded, so please report this run to the course staff with the command below.";

    /** @param whatDidNotHappen the step of the script that did not happen, and the state that shows it */
    public SetUpFailed(String whatDidNotHappen) {
        super(whatDidNotHappen);
    }

    /** The set-up failure {@code failure} is, or was caused by (a scenario may wrap it to add context). */
    static Optional<SetUpFailed> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SetUpFailed s) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Whether a failure report, as a grade report keeps it, is a set-up failure's. */
    public static boolean reported(String report) {
        return report.startsWith(LABEL);
    }
}
