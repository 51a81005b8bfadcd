package harness.course;

import java.util.List;

/**
 * The course's eight milestones, as the course map lists them: the module that holds each one's
 * reference code, its title, the paper's sections, and what it adds in a sentence. The command
 * line, the learner's workspaces and the grader's hints speak about milestones through this one
 * list.
 */
public final class Syllabus {

    /** The number of milestones the course has, built or planned. */
    public static final int MILESTONES = 8;

    /**
     * One milestone.
     *
     * @param module   the module of its reference code, such as "milestone-3-commit"
     * @param title    its title in the notes, such as "commitment"
     * @param sections the paper's sections it implements, such as "§5.3–5.4.2", and the thesis's
     *                 chapters where they say more, as "§8, thesis ch. 6"
     * @param adds     what a learner writes in it, as a phrase that can follow "milestone N adds"
     */
    public record Milestone(int number, String module, String title, String sections, String adds) {

        /** "milestone 3 (commitment, §5.3–5.4.2)". */
        public String describe() {
            return "milestone " + number + " (" + title + ", " + sections + ")";
        }

        /** The anchor of its chapter in the rendered notes, such as "milestone-3". */
        public String chapterAnchor() {
            return "milestone-" + number;
        }
    }

    private static final List<Milestone> ALL = List.of(
            new Milestone(1, "milestone-1-election", "leader election", "§5.1–5.2",
                    "roles and terms, randomized election timeouts, RequestVote, and heartbeats from the leader"),
            new Milestone(2, "milestone-2-replication", "log replication", "§5.3, §5.4.1",
                    "the log: propose() on the leader, AppendEntries with the consistency check, nextIndex and"
                            + " matchIndex, repair of divergent followers, and the up-to-date rule for votes"),
            new Milestone(3, "milestone-3-commit", "commitment", "§5.3–5.4.2",
                    "commitment: the leader advances commitIndex once a majority stores an entry of its own term,"
                            + " followers follow leaderCommit, and every server applies committed entries in order"
                            + " through env.apply"),
            new Milestone(4, "milestone-4-persistence", "persistence", "§5.1, Figure 2",
                    "stable storage: currentTerm, votedFor and the log written to env.storage() and synced before"
                            + " any message that depends on them, and read back when the server boots"),
            new Milestone(5, "milestone-5-kv", "a key-value store", "§8, thesis ch. 6",
                    "clients and the key-value store: a state machine for put, get, delete, append and cas that"
                            + " Milestone.newStateMachine() returns, a client that finds the leader and retries"
                            + " (Milestone.createClient), a no-op entry from every new leader, answers only once applied,"
                            + " linearizable reads, through the log or by read-index, and AppendEntries pipelined over links"
                            + " that keep order (NodeConfig.orderedLinks), as the real cluster's are"),
            new Milestone(6, "milestone-6-exactly-once", "exactly-once", "§8",
                    "client sessions and a replicated table that applies each command once"),
            new Milestone(7, "milestone-7-snapshots", "snapshots", "§7",
                    "snapshots, a log that starts after them, and InstallSnapshot"),
            new Milestone(8, "milestone-8-membership", "membership changes", "§6",
                    "joint consensus, catching new servers up, and leadership transfer"));

    private Syllabus() {
    }

    /** Milestone {@code n}, or an error that says which numbers there are. */
    public static Milestone milestone(int n) {
        if (n < 1 || n > MILESTONES) {
            throw new IllegalArgumentException("the course's milestones are numbered 1 to " + MILESTONES
                    + ", so there is no milestone " + n);
        }
        return ALL.get(n - 1);
    }

    public static List<Milestone> all() {
        return ALL;
    }
}
