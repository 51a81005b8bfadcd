package harness.api;

/** The three roles of Figure 4: every server is in exactly one of them at any time. */
public enum Role {
    FOLLOWER, CANDIDATE, LEADER;

    /** "Follower", "Candidate", "Leader": how the course's tables and timelines write a role. */
    public String title() {
        return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
