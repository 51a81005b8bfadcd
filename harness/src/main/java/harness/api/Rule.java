package harness.api;

/**
 * The rules the course grades, each with the paper section that states it. A graded test names
 * the rule it checks, a safety violation names the rule it breaks, and a bug-zoo variant names
 * the rule it was built to break, so a failure always tells a student which rule to re-read.
 *
 * <p>A few rules ask for more than the paper's Figure 2 does. Their section says so ("§5.3
 * (optional)", "course design"), and {@link #beyondThePaper()} says what the course adds and why;
 * failure messages and the notes' rules tables print it beside the rule.
 */
public enum Rule {
    // Figure 3, checked continuously in every scenario.
    ELECTION_SAFETY("§5.2, Figure 3", "Election Safety",
            "at most one leader can be elected in a given term"),

    LEADER_APPEND_ONLY("§5.3, Figure 3", "Leader Append-Only",
            "a leader never overwrites or deletes entries in its log; it only appends new entries"),
    LOG_MATCHING("§5.3, Figure 3", "Log Matching",
            "if two logs contain an entry with the same index and term, the logs are identical in all entries up through that index"),
    LEADER_COMPLETENESS("§5.4, Figure 3", "Leader Completeness",
            "if an entry is committed in a given term, it is present in the logs of the leaders of all higher terms"),
    STATE_MACHINE_SAFETY("§5.4.3, Figure 3", "State Machine Safety",
            "if a server has applied an entry at a given index, no other server ever applies a different entry at that index"),
    APPLY_IN_ORDER("§5.3, Figure 2", "apply committed entries in order",
            "a server applies each entry once, in index order, and only after it knows the entry is committed (lastApplied <= commitIndex)"),
    COMMIT_MONOTONIC("Figure 2", "commitIndex only grows",
            "a running server's commitIndex never decreases (Figure 2: it starts at 0 and increases monotonically), so"
                    + " lastApplied, which follows it, never passes it; only a restart sets both back to 0"),
    COMMIT_WITHIN_LOG("Figure 2", "commitIndex within the log",
            "a server's commitIndex never points past the last entry of its own log: a follower sets it to min(leaderCommit, index of its last new entry)"),

    // §5.1: terms.
    HIGHER_TERM("§5.1", "adopt a higher term",
            "a server that sees a higher term in any request or reply adopts that term and reverts to follower"),
    STALE_TERM("§5.1", "ignore stale terms",
            "a request from an older term is rejected, and a reply to a request of an older term is ignored"),

    // §5.2: leader election.
    ONE_VOTE_PER_TERM("§5.2", "one vote per term",
            "each server votes for at most one candidate in a given term, on a first-come-first-served basis"),
    MAJORITY_TO_WIN("§5.2", "a majority to win",
            "a candidate becomes leader only with votes from a majority of the servers, each voter counted once, all in the candidate's own term"),
    RANDOMIZED_TIMEOUTS("§5.2", "randomized election timeouts",
            "each server draws its election timeout at random from an interval, so split votes are rare and resolve quickly"),
    HEARTBEATS("§5.2", "heartbeats",
            "a leader sends heartbeats (AppendEntries carrying no entries) to every follower once per heartbeat interval, to keep its authority without flooding the network"),
    FOLLOWER_TIMER("§5.2", "servers follow the current leader",
            "a server that hears from the current leader, or grants a vote, restarts its election timer and is (or becomes) a follower; it stands for election only when that timer runs out"),
    ELECTION_LIVENESS("§5.2", "a connected majority elects a leader",
            "when the leader fails or is cut off, some follower times out and a majority that can talk elects a new leader"),
    VOTE_REQUESTS("§5.2", "one vote request per peer per election",
            "a candidate sends each other server one RequestVote per election; it does not resend on a timer shorter than the election timeout"),

    // §5.3–5.4.1: log replication.
    LOG_REPLICATION("§5.3", "logs converge",
            "the leader's entries reach every server it can talk to, and then those servers hold the same log as the leader"),
    CLIENT_REDIRECT("§5.3, §8", "only the leader takes proposals",
            "the leader appends a client's command to its log; any other server refuses it and names the leader it knows, if any"),
    CONSISTENCY_CHECK("§5.3", "the consistency check",
            "a follower accepts entries only if its log holds the leader's entry just before them (prevLogIndex, prevLogTerm), and it deletes a conflicting entry and all that follow it"),
    FAST_BACKUP("§5.3 (optional)", "back up a whole term at a time",
            "when the consistency check fails, the leader uses the follower's hint (where its log ends, or the term of its conflicting entry and the first index it holds of that term) to skip a whole term per round trip, so a follower far astray is repaired in a few round trips",
            "Figure 2 itself only says to decrement nextIndex and retry, which is correct but costs one round trip per entry"
                    + " to repair; §5.3 offers the hint as an optimization and doubts it is needed, failures being rare. The"
                    + " course asks for it because a follower back from a long partition, or a new server, can be hundreds of"
                    + " entries behind, and every round trip of its repair is one in which it stores nothing new; the hint"
                    + " costs two numbers in a refusal"),
    REPLICATION_BUDGET("§5.3", "replicate without waste",
            "a leader sends each entry to each follower about once, several entries per message, with heartbeats carrying whatever is pending"),
    UP_TO_DATE_VOTE("§5.4.1", "vote only for an up-to-date log",
            "a server refuses its vote to a candidate whose last entry has an older term, or the same term and a lower index, than its own"),

    // §5.3–5.4.2: commitment.
    COMMIT_AT_MAJORITY("§5.3", "commit once a majority stores it",
            "the leader commits an entry of its term once a majority of servers store it, followers learn the commit from leaderCommit, and every server applies what is committed"),
    COMMIT_CURRENT_TERM("§5.4.2, Figure 8", "count replicas only for the current term",
            "a leader commits by counting replicas only entries of its own term; an earlier term's entry is committed only with a later entry of the current term"),

    // §5.1, Figure 2: persistence.
    PERSIST_BEFORE_REPLY("§5.1, Figure 2", "persist before answering",
            "a server makes currentTerm, votedFor and its log durable (written and synced) before it sends a message that depends on them, such as a vote, an acknowledgement or a request for votes"),
    RESTART_FROM_DISK("§5.1, Figure 2", "restart from stable storage",
            "a restarted server comes back with exactly the term, vote and log it made durable, so it never forgets a vote it cast or an entry it acknowledged"),
    WRITE_BUDGET("course design", "append, don't rewrite",
            "storing a new entry writes about that entry's bytes: the log on disk is appended to and cut at a conflict, never rewritten whole",
            "Figure 2 asks only that the log be on stable storage before the server answers, and says nothing about how"
                    + " it is written. The course asks for a log that is appended to because one rewritten at every sync costs"
                    + " writing that grows with the square of its length: correct, but a server slows down with every entry"
                    + " it stores, long before its disk is full"),

    // §8 and thesis ch. 6: clients and the key-value store (milestone 5).
    LINEARIZABLE("§8, thesis §6", "linearizable operations",
            "every operation a client saw complete appears to take effect at one instant between its invocation and its"
                    + " completion, in an order the store's sequential behaviour allows; an operation whose outcome is unknown"
                    + " takes effect at most once, or never"),
    ANSWER_AFTER_APPLY("§8", "answer once applied",
            "the leader answers a client's command only once its entry is committed and applied, with the state machine's"
                    + " result; if another leader's entry replaced it, the client is told so, and never that it took effect"),
    LEADER_NO_OP("§8", "a new leader commits a no-op",
            "a leader appends a no-op entry of its term as soon as it is elected, so entries of earlier terms commit without"
                    + " waiting for a client, and it answers a read only once it has committed an entry of its term"),
    READ_INDEX("thesis §6.4", "confirm leadership before reading",
            "a leader answers a read without a log entry only after it has applied up to the commit index it noted when the"
                    + " read arrived, and after a majority acknowledged a round of heartbeats it started after that; followers"
                    + " and leaders cut off from a majority answer no reads"),
    CLIENT_PROGRESS("§8", "clients find the leader",
            "a client follows not-leader hints, otherwise tries the servers in turn, retries what is safe to retry, and"
                    + " reports an operation it cannot complete as unknown, never as failed; once a majority can talk, its"
                    + " operations complete"),
    PROMPT_REPLICATION("course design", "no waiting for a heartbeat",
            "a leader sends a client's entry to its followers as soon as it appends it and answers as soon as it is"
                    + " applied, so on a reliable network an operation takes a few network delays, not a heartbeat interval",
            "the paper's rules are met by a leader that sends new entries only with its next heartbeat; the course asks"
                    + " for prompt replication because a heartbeat interval (50 ms here) would then bound every client's"
                    + " throughput at about 20 operations a second, however fast the network"),
    PIPELINING("thesis §10.2 (optional)", "pipeline AppendEntries",
            "over links that deliver in order, a leader sends a follower whose log is known to match each new entry as"
                    + " soon as it appends it, without waiting for the reply to an AppendEntries already on its way, and still"
                    + " sends each entry to each follower about once",
            "Figure 2 neither asks for nor forbids more than one AppendEntries on its way to a follower; the thesis"
                    + " (§10.2) describes pipelining as what lets a leader keep its followers busy. The course asks for it from"
                    + " milestone 5 on, where the real cluster runs, because a follower that gets new entries only once the"
                    + " leader has heard its last reply spends a round trip idle for each batch: on three processes with"
                    + " fsync on, most of what a write costs"),

    // The course's own rule that makes runs reproducible.
    DETERMINISM("course design", "act only through the environment",
            "a server uses only its environment's clock, timers and random source, so the same seed reproduces the same run");

    private final String section;
    private final String title;
    private final String statement;
    private final String beyondThePaper;

    Rule(String section, String title, String statement) {
        this(section, title, statement, null);
    }

    Rule(String section, String title, String statement, String beyondThePaper) {
        this.section = section;
        this.title = title;
        this.statement = statement;
        this.beyondThePaper = beyondThePaper;
    }

    /** Where the paper states the rule, for example "§5.2". */
    public String section() {
        return section;
    }

    /** A short name, for example "one vote per term". */
    public String title() {
        return title;
    }

    /** The rule in one sentence. */
    public String statement() {
        return statement;
    }

    /**
     * For a rule that asks more than the paper's Figure 2: what the paper says instead, and why
     * the course asks for it. Null for a rule the paper states.
     */
    public String beyondThePaper() {
        return beyondThePaper;
    }

    /** "[§5.2 one vote per term]": how failure messages name a rule. */
    public String label() {
        return "[" + section + " " + title + "]";
    }

    /**
     * A failure message naming this rule: the label, what happened, then the rule itself, and,
     * for a rule beyond the paper's Figure 2, what the paper says and why the course asks more.
     */
    public String violated(String whatHappened) {
        String message = label() + " " + whatHappened + "\n  The rule: " + statement + ".";
        return beyondThePaper == null ? message : message + "\n  Beyond the paper: " + beyondThePaper + ".";
    }
}
