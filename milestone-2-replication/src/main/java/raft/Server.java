package raft;

import harness.api.Entry;
import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Proposal;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.Role;
import raft.Message.AppendEntries;
import raft.Message.AppendEntriesReply;
import raft.Message.RequestVote;
import raft.Message.RequestVoteReply;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Raft server up to log replication (§5.1–5.3, §5.4.1): the rules of Figure 2 for terms, votes,
 * heartbeats and replicating the log (committing entries comes in milestone 3). It reacts to one
 * input at a time (a message, a timer, its start, a client's proposal) and acts only through its
 * {@link Environment}, so it needs no threads and no locks.
 *
 * <p>Each rule is a method named after it. Some are {@code protected} only so that the bug zoo
 * ({@code raft.bugzoo}) can break one rule at a time in a subclass.
 */
public class Server implements RaftNode {

    private static final String ELECTION_TIMER = "election";
    private static final String HEARTBEAT_TIMER = "heartbeat";
    /** Entries per AppendEntries: enough to repair a follower in a few round trips, small enough to send. */
    static final int MAX_ENTRIES_PER_MESSAGE = 64;

    protected final NodeConfig config;
    protected final Environment env;

    // tag::state[]
    // Persistent state on all servers (Figure 2). Kept in memory until milestone 4 makes it durable.
    private long currentTerm = 0;
    private Integer votedFor = null;
    protected final Log log = new Log();

    // Volatile state.
    private Role role = Role.FOLLOWER;
    private Integer leaderId = null; // the leader of currentTerm, once known: where clients are sent
    private final Set<Integer> votesReceived = new HashSet<>();

    // Volatile state on leaders (Figure 2), reinitialized after each election: nextIndex and
    // matchIndex for each follower.
    protected final Followers followers = new Followers();
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
        } else if (message instanceof AppendEntriesReply reply) {
            handleAppendEntriesReply(from, reply);
        }
    }

    // ---- Clients (§5.3, §8) -------------------------------------------------------------------

    // tag::propose[]
    /** The leader appends a client's command to its log and sends it on; others name the leader. */
    @Override
    public Proposal propose(String command) {
        if (role != Role.LEADER) {
            return new Proposal.NotLeader(leaderId);
        }
        log.append(new Entry(currentTerm, command));
        for (int peer : config.peers()) {
            sendNewEntries(peer);
        }
        return new Proposal.Accepted(log.lastIndex(), currentTerm);
    }
    // end::propose[]

    // ---- Rules for all servers ----------------------------------------------------------------

    // tag::all-servers[]
    /** §5.1: if a request or reply carries a term above currentTerm, adopt it and become follower. */
    protected void adoptHigherTerm(long term) {
        if (term > currentTerm) {
            currentTerm = term;
            votedFor = null; // a new term: this server has not voted in it yet
            leaderId = null; //  ... and does not know its leader yet
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

    // tag::vote[]
    /**
     * RequestVote receiver: grant the vote if the request is current, this server is free to vote,
     * and the candidate's log is at least as up-to-date as its own.
     */
    private void handleRequestVote(int from, RequestVote request) {
        boolean grant = request.term() == currentTerm && canVoteFor(request.candidateId())
                && candidateLogIsUpToDate(request.lastLogIndex(), request.lastLogTerm());
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
     * §5.4.1: vote only for a candidate whose log is at least as up-to-date as this server's: a
     * later last term wins; with the same last term, the longer log wins. A leader must hold every
     * committed entry, and a committed entry is on a majority, so a majority of votes guarantees it.
     */
    protected boolean candidateLogIsUpToDate(long lastLogIndex, long lastLogTerm) {
        long myLastTerm = log.termAt(log.lastIndex());
        return lastLogTerm > myLastTerm || (lastLogTerm == myLastTerm && lastLogIndex >= log.lastIndex());
    }
    // end::vote[]

    // tag::consistency-check[]
    /**
     * AppendEntries receiver. A stale request is refused with the newer term so its sender steps
     * down. A current one keeps this server a follower; its entries are accepted only if this
     * log matches the leader's just before them (the consistency check, §5.3).
     */
    private void handleAppendEntries(int from, AppendEntries request) {
        if (request.term() < currentTerm) {
            // The refusal also says where this log ends: should its sender have become leader
            // again in the meantime, it cannot tell this answer from a failed check, and backs up
            // no further than needed.
            env.send(from, new AppendEntriesReply(currentTerm, false, 0, 0, log.lastIndex() + 1));
            return;
        }
        if (role == Role.CANDIDATE) {
            becomeFollower(); // §5.2: another server won this term's election
        }
        leaderId = request.leaderId();
        heardFromLeader();
        if (!passesConsistencyCheck(request.prevLogIndex(), request.prevLogTerm())) {
            env.send(from, conflictReply(request.prevLogIndex()));
            return;
        }
        appendNewEntries(request.prevLogIndex(), request.entries());
        env.send(from, new AppendEntriesReply(currentTerm, true, request.prevLogIndex() + request.entries().size(), 0, 0));
    }

    /** §5.3: the log must hold the entry just before the new ones, from the same term. */
    protected boolean passesConsistencyCheck(long prevLogIndex, long prevLogTerm) {
        return log.has(prevLogIndex, prevLogTerm);
    }

    /**
     * Figure 2, AppendEntries receiver, steps 3–4: an existing entry that conflicts with a new one
     * (same index, different term) is deleted with everything after it; entries not yet in the
     * log are appended. Entries already present are kept: a delayed, shorter request must not
     * cut off entries a later request added.
     */
    private void appendNewEntries(long prevLogIndex, List<Entry> entries) {
        long index = prevLogIndex;
        for (Entry entry : entries) {
            index++;
            if (index <= log.lastIndex() && log.termAt(index) != entry.term()) {
                log.truncateFrom(index);
            }
            if (index > log.lastIndex()) {
                log.append(entry);
            }
        }
    }
    // end::consistency-check[]

    // tag::conflict-hint[]
    /**
     * A failed consistency check, with the hint that lets the leader skip a whole term of
     * mismatching entries per round trip instead of one entry: the term of this server's entry at
     * prevLogIndex and the first index of that term here, or, if the log is too short, its end.
     */
    private AppendEntriesReply conflictReply(long prevLogIndex) {
        if (prevLogIndex > log.lastIndex()) {
            return new AppendEntriesReply(currentTerm, false, 0, 0, log.lastIndex() + 1);
        }
        long conflictTerm = log.termAt(prevLogIndex);
        return new AppendEntriesReply(currentTerm, false, 0, conflictTerm, log.firstIndexOfTerm(conflictTerm, prevLogIndex));
    }
    // end::conflict-hint[]

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
        leaderId = null; // a new term, whose leader is not known yet: clients are not sent to the old one
        votedFor = config.id();
        votesReceived.clear();
        resetElectionTimer(); // if this election splits, the next timeout starts another
        for (int peer : config.peers()) {
            env.send(peer, new RequestVote(currentTerm, config.id(), log.lastIndex(), log.termAt(log.lastIndex())));
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
    // tag::replicate[]
    /** A new leader assumes every follower is up to date, and learns otherwise from the replies (§5.3). */
    protected void becomeLeader() {
        role = Role.LEADER;
        leaderId = config.id();
        env.cancelTimer(ELECTION_TIMER);
        followers.reset(config.peers(), log.lastIndex());
        sendHeartbeats(); // at once, so other servers learn of the new leader before they time out
    }

    /**
     * Upon election, and then every heartbeat interval: an AppendEntries to each server, carrying
     * the entries it still lacks (none, for a follower that is up to date: a heartbeat). Sending
     * again also replaces a request or reply the network lost.
     */
    private void sendHeartbeats() {
        for (int peer : config.peers()) {
            replicateTo(peer);
        }
        env.startTimer(HEARTBEAT_TIMER, heartbeatInterval(), this::sendHeartbeats);
    }

    /** The entries from nextIndex on, several per message, after the entry the follower must match. */
    protected void replicateTo(int peer) {
        long prevLogIndex = followers.nextIndex(peer) - 1;
        List<Entry> entries = log.from(prevLogIndex + 1, MAX_ENTRIES_PER_MESSAGE);
        env.send(peer, new AppendEntries(currentTerm, config.id(), prevLogIndex, log.termAt(prevLogIndex), entries));
        followers.sent(peer, prevLogIndex + entries.size());
    }

    /**
     * Sends a follower the entries it lacks, unless {@link Followers} says a request to it awaits
     * its reply: then they go when the reply comes back.
     */
    private void sendNewEntries(int peer) {
        if (followers.canSendNew(peer) && followers.nextIndex(peer) <= log.lastIndex()) {
            replicateTo(peer);
        }
    }
    // end::replicate[]

    // tag::repair[]
    /**
     * A follower's answer: on success it now matches up to matchIndex, and gets what it still
     * lacks; on failure nextIndex backs up and the leader tries again at once. Replies from an
     * earlier term, or to a leader that has stepped down, are ignored.
     */
    private void handleAppendEntriesReply(int from, AppendEntriesReply reply) {
        if (role != Role.LEADER || reply.term() != currentTerm) {
            return;
        }
        if (reply.success()) {
            followers.matched(from, reply.matchIndex());
            sendNewEntries(from);
        } else {
            followers.backUp(from, backedUpNextIndex(from, reply));
            replicateTo(from);
        }
    }

    /**
     * Fast backup: if the follower's conflicting entry is of a term this log also has, retry just
     * after this log's last entry of that term; otherwise skip the follower's whole conflicting
     * term (or, for a short log, go to its end). Never below the follower's match.
     */
    protected long backedUpNextIndex(int peer, AppendEntriesReply reply) {
        long next = reply.conflictIndex();
        if (reply.conflictTerm() != 0) {
            long lastOfTerm = log.lastIndexOfTerm(reply.conflictTerm());
            if (lastOfTerm != 0) {
                next = lastOfTerm + 1;
            }
        }
        return Math.max(followers.matchIndex(peer) + 1, Math.min(next, log.lastIndex() + 1));
    }
    // end::repair[]

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

    @Override
    public List<Entry> log() {
        return log.entries();
    }

    @Override
    public long logStart() {
        return log.start();
    }
}
