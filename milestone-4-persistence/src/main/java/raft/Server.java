package raft;

import harness.api.Entry;
import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.Proposal;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.Role;
import harness.api.Storage;
import raft.Message.AppendEntries;
import raft.Message.AppendEntriesReply;
import raft.Message.RequestVote;
import raft.Message.RequestVoteReply;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Raft server up to persistence (§5.1–5.4.2): the rules of Figure 2 for terms, votes,
 * heartbeats, replicating the log, committing entries and applying them in order, with its term,
 * vote and log on stable storage that outlives a crash. It reacts to one
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
    // Persistent state on all servers (Figure 2): read back from storage at every boot, and
    // written there, and synced, before any message that depends on it leaves this server.
    protected final Storage storage;
    private long currentTerm = 0;
    private Integer votedFor = null;
    protected final Log log;

    // Volatile state.
    private Role role = Role.FOLLOWER;
    private Integer leaderId = null; // the leader of currentTerm, once known: where clients are sent
    private final Set<Integer> votesReceived = new HashSet<>();
    protected long commitIndex = 0; // the highest index known to be committed
    protected long lastApplied = 0; // the highest index applied to the state machine

    // Volatile state on leaders (Figure 2), reinitialized after each election: nextIndex and
    // matchIndex for each follower.
    protected final Followers followers = new Followers();
    // end::state[]

    public Server(NodeConfig config, Environment env) {
        this.config = config;
        this.env = env;
        this.storage = env.storage();
        this.log = new Log(storage);
    }

    /**
     * A server starts as a follower (§5.2), from what its storage holds, and waits for a leader
     * until its election timer fires.
     */
    @Override
    public void start() {
        restore(storage.load());
        resetElectionTimer();
    }

    // ---- Stable storage (§5.1, Figure 2) --------------------------------------------------------

    // tag::durable[]
    /**
     * A server boots from what it made durable and nothing else: its term, its vote in that term
     * and its log. commitIndex and lastApplied start again from 0; the server learns the commit
     * from the leader again and re-applies the log to a fresh state machine.
     */
    protected void restore(Storage.Persisted saved) {
        currentTerm = saved.term();
        votedFor = saved.votedFor();
        log.restore(saved.log());
    }

    /** currentTerm and votedFor change together, in memory and on storage. */
    private void setTermAndVote(long term, Integer vote) {
        currentTerm = term;
        votedFor = vote;
        storage.saveTermAndVote(term, vote);
    }

    /**
     * Figure 2: persistent state is updated on stable storage before responding to RPCs. Every
     * message leaves through here, so no vote, acknowledgement or vote request can get ahead of
     * the disk: a server that crashes after sending will remember what it said.
     */
    protected void send(int to, Message message) {
        makeDurable();
        env.send(to, message);
    }

    /** Syncs everything written since the last sync; nothing to do (and no fsync) if nothing was. */
    protected void makeDurable() {
        storage.sync();
    }
    // end::durable[]

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
        makeDurable(); // the leader counts its own log toward a majority: only entries on its disk
        advanceCommitIndex(); // a cluster of one is its own majority
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
            setTermAndVote(term, null); // a new term: this server has not voted in it yet
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
            setTermAndVote(currentTerm, request.candidateId());
            resetElectionTimer(); // §5.2: granting a vote also keeps a follower from starting an election
        }
        send(from, new RequestVoteReply(currentTerm, grant));
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
            send(from, new AppendEntriesReply(currentTerm, false, 0, 0, log.lastIndex() + 1));
            return;
        }
        if (role == Role.CANDIDATE) {
            becomeFollower(); // §5.2: another server won this term's election
        }
        leaderId = request.leaderId();
        heardFromLeader();
        if (!passesConsistencyCheck(request.prevLogIndex(), request.prevLogTerm())) {
            send(from, conflictReply(request.prevLogIndex()));
            return;
        }
        appendNewEntries(request.prevLogIndex(), request.entries());
        long lastNewIndex = request.prevLogIndex() + request.entries().size();
        followLeaderCommit(request.leaderCommit(), lastNewIndex);
        send(from, new AppendEntriesReply(currentTerm, true, lastNewIndex, 0, 0));
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

    // tag::follower-commit[]
    /**
     * Figure 2, AppendEntries receiver, step 5: commit what the leader has committed, but only
     * as far as this request showed the log to match the leader's (the last new entry). Entries
     * beyond it may still be a stale leader's, about to be overwritten. commitIndex only ever
     * grows: a delayed or duplicated request that ends before it must not take it back.
     */
    protected void followLeaderCommit(long leaderCommit, long lastNewIndex) {
        long matched = Math.min(leaderCommit, lastNewIndex);
        if (matched > commitIndex) {
            commitIndex = matched;
            applyCommitted();
        }
    }
    // end::follower-commit[]

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
        setTermAndVote(currentTerm + 1, config.id());
        role = Role.CANDIDATE;
        leaderId = null; // a new term, whose leader is not known yet: clients are not sent to the old one
        votesReceived.clear();
        resetElectionTimer(); // if this election splits, the next timeout starts another
        for (int peer : config.peers()) {
            send(peer, new RequestVote(currentTerm, config.id(), log.lastIndex(), log.termAt(log.lastIndex())));
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
        send(peer, new AppendEntries(currentTerm, config.id(), prevLogIndex, log.termAt(prevLogIndex), entries, commitIndex));
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
            advanceCommitIndex();
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

    // tag::commit[]
    /**
     * §5.3–5.4.2: the leader commits the highest index stored on a majority (itself included)
     * whose entry is of its own term; the entries before it are committed with it. An entry of an
     * earlier term is never committed by counting its replicas: the paper's Figure 8 shows such an
     * entry, on a majority, overwritten later.
     */
    protected void advanceCommitIndex() {
        for (long n = log.lastIndex(); n > commitIndex; n--) {
            if (log.termAt(n) == currentTerm && storedOnMajority(n)) {
                commitIndex = n;
                applyCommitted();
                return;
            }
        }
    }

    protected boolean storedOnMajority(long index) {
        int stored = 1; // the leader's own log
        for (int peer : config.peers()) {
            if (followers.matchIndex(peer) >= index) {
                stored++;
            }
        }
        return stored > config.clusterSize() / 2;
    }
    // end::commit[]
    // end::leader[]

    // ---- All servers: applying (§5.3) ---------------------------------------------------------

    // tag::apply[]
    /** Figure 2: while commitIndex > lastApplied, apply the next entry, in log order, exactly once. */
    protected void applyCommitted() {
        while (lastApplied < commitIndex) {
            lastApplied++;
            env.apply(lastApplied, log.get(lastApplied).command());
        }
    }
    // end::apply[]

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

    @Override
    public long commitIndex() {
        return commitIndex;
    }
}
