package raft;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.Role;
import raft.Message.AppendEntries;
import raft.Message.AppendEntriesReply;
import raft.Message.RequestVote;
import raft.Message.RequestVoteReply;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A Raft server up to leader election (§5.1–5.2): the rules of Figure 2 for terms, votes and
 * heartbeats. It reacts to one input at a time (a message, a timer, its start) and acts only
 * through its {@link Environment}, so it needs no threads and no locks.
 *
 * <p>Each rule is a method named after it. Some are {@code protected} only so that the bug zoo
 * ({@code raft.bugzoo}) can break one rule at a time in a subclass.
 */
public class Server implements RaftNode {

    private static final String ELECTION_TIMER = "election";
    private static final String HEARTBEAT_TIMER = "heartbeat";

    protected final NodeConfig config;
    protected final Environment env;

    // tag::state[]
    // Persistent state on all servers (Figure 2). Kept in memory until milestone 4 makes it durable.
    private long currentTerm = 0;
    private Integer votedFor = null;

    // Volatile state.
    private Role role = Role.FOLLOWER;
    private final Set<Integer> votesReceived = new HashSet<>();
    // end::state[]

    public Server(NodeConfig config, Environment env) {
        this.config = config;
        this.env = env;
    }

    /** A server starts as a follower (§5.2) and waits for a leader until its election timer fires. */
    @Override
    public void start() {
        resetElectionTimer();
    }

    @Override
    public void receive(int from, RaftMessage message) {
        adoptHigherTerm(message.term());
        if (message instanceof RequestVote request) {
            handleRequestVote(from, request);
        } else if (message instanceof RequestVoteReply reply) {
            handleRequestVoteReply(from, reply);
        } else if (message instanceof AppendEntries request) {
            handleAppendEntries(from, request);
        }
        // An AppendEntriesReply carries nothing but its term until milestone 2, handled above.
    }

    // ---- Rules for all servers ----------------------------------------------------------------

    // tag::all-servers[]
    /** §5.1: if a request or reply carries a term above currentTerm, adopt it and become follower. */
    protected void adoptHigherTerm(long term) {
        if (term > currentTerm) {
            currentTerm = term;
            votedFor = null; // a new term: this server has not voted in it yet
            becomeFollower();
        }
    }

    private void becomeFollower() {
        if (role == Role.LEADER) {
            env.cancelTimer(HEARTBEAT_TIMER);
            resetElectionTimer(); // a leader has no election timer running
        }
        role = Role.FOLLOWER;
    }
    // end::all-servers[]

    // ---- Followers (§5.2) ---------------------------------------------------------------------

    // tag::follower[]
    /**
     * Election timers are randomized (§5.2): servers that time out at different moments rarely
     * split the vote, and a split vote is resolved by the next, again random, timeout.
     */
    protected Duration randomElectionTimeout() {
        long min = config.timing().electionTimeoutMin().toMillis();
        long max = config.timing().electionTimeoutMax().toMillis();
        return Duration.ofMillis(env.random().nextLong(min, max + 1));
    }

    /** Restarting the timer is how a follower "hears from" a leader or a candidate it voted for. */
    private void resetElectionTimer() {
        env.startTimer(ELECTION_TIMER, randomElectionTimeout(), this::startElection);
    }

    /** RequestVote receiver: grant the vote if the request is current and this server is free to vote. */
    private void handleRequestVote(int from, RequestVote request) {
        boolean grant = request.term() == currentTerm && canVoteFor(request.candidateId());
        if (grant) {
            votedFor = request.candidateId();
            resetElectionTimer(); // §5.2: granting a vote also keeps a follower from starting an election
        }
        env.send(from, new RequestVoteReply(currentTerm, grant));
    }

    /** §5.2: each server votes for at most one candidate per term, first come first served. */
    protected boolean canVoteFor(int candidateId) {
        return votedFor == null || votedFor == candidateId;
    }

    /**
     * AppendEntries receiver, heartbeats only until milestone 2. A current leader's heartbeat keeps
     * this server a follower; a stale one is refused with the newer term so its sender steps down.
     */
    private void handleAppendEntries(int from, AppendEntries request) {
        if (request.term() < currentTerm) {
            env.send(from, new AppendEntriesReply(currentTerm, false));
            return;
        }
        if (role == Role.CANDIDATE) {
            becomeFollower(); // §5.2: another server won this term's election
        }
        heardFromLeader();
        env.send(from, new AppendEntriesReply(currentTerm, true));
    }

    /** §5.2: a follower remains in follower state as long as it receives valid RPCs from a leader. */
    protected void heardFromLeader() {
        resetElectionTimer();
    }
    // end::follower[]

    // ---- Candidates (§5.2) --------------------------------------------------------------------

    // tag::candidate[]
    /** On conversion to candidate: new term, vote for self, reset the timer, ask every other server. */
    private void startElection() {
        currentTerm++;
        role = Role.CANDIDATE;
        votedFor = config.id();
        votesReceived.clear();
        resetElectionTimer(); // if this election splits, the next timeout starts another
        for (int peer : config.peers()) {
            env.send(peer, new RequestVote(currentTerm, config.id()));
        }
        countVote(config.id());
    }

    private void handleRequestVoteReply(int from, RequestVoteReply reply) {
        if (isReplyToCurrentElection(reply) && reply.voteGranted()) {
            countVote(from);
        }
    }

    /** §5.1: a reply sent in an earlier term, or arriving after the election ended, is ignored. */
    protected boolean isReplyToCurrentElection(RequestVoteReply reply) {
        return role == Role.CANDIDATE && reply.term() == currentTerm;
    }

    /** §5.2: a candidate wins with votes from a majority of the servers; a set counts each voter once. */
    protected void countVote(int voter) {
        votesReceived.add(voter);
        if (votesReceived.size() > config.clusterSize() / 2) {
            becomeLeader();
        }
    }
    // end::candidate[]

    // ---- Leaders (§5.2) -----------------------------------------------------------------------

    // tag::leader[]
    protected void becomeLeader() {
        role = Role.LEADER;
        env.cancelTimer(ELECTION_TIMER);
        sendHeartbeats(); // at once, so other servers learn of the new leader before they time out
    }

    /** Upon election, and then every heartbeat interval: an empty AppendEntries to each server. */
    private void sendHeartbeats() {
        for (int peer : config.peers()) {
            env.send(peer, new AppendEntries(currentTerm, config.id()));
        }
        env.startTimer(HEARTBEAT_TIMER, heartbeatInterval(), this::sendHeartbeats);
    }

    protected Duration heartbeatInterval() {
        return config.timing().heartbeatInterval();
    }
    // end::leader[]

    // ---- What the harness observes ------------------------------------------------------------

    @Override
    public Role role() {
        return role;
    }

    @Override
    public long currentTerm() {
        return currentTerm;
    }

    @Override
    public Integer votedFor() {
        return votedFor;
    }
}
