package raft;

import harness.api.ClientConfig;
import harness.api.ClientEnvironment;
import harness.api.Operation;
import harness.api.Outcome;
import harness.api.RaftClient;
import harness.api.RaftMessage;
import raft.Message.ClientReply;
import raft.Message.ClientRequest;
import raft.Message.EntryReplaced;
import raft.Message.NotLeader;
import raft.Message.ReadRequest;

import java.time.Duration;

/**
 * A client of the key-value store (§8): it sends each operation to the server it believes leads,
 * follows not-leader hints, and otherwise tries the servers in turn.
 *
 * <p>What it may send again depends on what it knows. A read changes nothing, so it goes again,
 * to another server, whenever an answer is late. A write goes again only when a server said it is
 * not the leader: that server appended nothing. A write that got no answer may sit in some
 * leader's log, and sending it again could apply it twice; without sessions (milestone 6) the
 * client reports it as unknown instead: it may take effect later, or never. So that a write does
 * not wait on a server that has failed, the client sends it only to a leader that answered
 * lately, and otherwise finds the leader first with a read, which is safe to send anywhere.
 */
// tag::client[]
public class Client implements RaftClient {

    private static final String RETRY_TIMER = "retry";
    private static final String GIVE_UP_TIMER = "give-up";

    private final ClientConfig config;
    private final ClientEnvironment env;
    private Integer leader;           // the server believed to lead, or null
    private Duration leaderAnswered;  // when it last answered this client, or null if it has not
    private int nextServer;           // where to try next when no leader is known
    private long requestId;           // numbers this client's requests; an answer echoes it
    private Operation operation;      // the operation under way, or null
    private boolean findingLeader;    // a read is on its way to find the leader before a write

    public Client(ClientConfig config, ClientEnvironment env) {
        this.config = config;
        this.env = env;
        this.nextServer = env.random().nextInt(config.servers().size()); // spread clients over the servers
    }

    @Override
    public void submit(Operation op) {
        operation = op;
        env.startTimer(GIVE_UP_TIMER, config.giveUpAfter(), () -> finish(Outcome.unknown("no answer within "
                + config.giveUpAfter().toMillis() + " ms: it may or may not take effect")));
        findingLeader = op.writes() && !leaderAnsweredLately();
        sendRequest();
    }

    private boolean leaderAnsweredLately() {
        return leader != null && leaderAnswered != null && env.now().minus(leaderAnswered).compareTo(config.retryAfter()) < 0;
    }

    /**
     * Sends the request (a new one, with a new id) to the leader if one is known, else to the
     * next server in turn. Reads, and the read that finds the leader for a write, are sent again
     * if no answer comes in time.
     */
    private void sendRequest() {
        int server = leader != null ? leader : config.servers().get(nextServer++ % config.servers().size());
        requestId++;
        env.send(server, request());
        if (findingLeader || !operation.writes()) {
            env.startTimer(RETRY_TIMER, config.retryAfter(), this::askAnotherServer);
        }
    }

    /**
     * A write, and a get when reads go through the log (§8), travel in the log; other reads, and
     * the read that finds the leader for a write, are answered by read-index (thesis §6.4).
     */
    private Message request() {
        if (findingLeader) {
            return new ReadRequest(requestId, Operation.get(operation.key()).toJson());
        }
        if (operation.writes() || config.readsThroughLog()) {
            return new ClientRequest(requestId, operation.toJson());
        }
        return new ReadRequest(requestId, operation.toJson());
    }

    private void askAnotherServer() {
        leader = null; // it did not answer in time
        sendRequest();
    }

    @Override
    public void receive(int from, RaftMessage message) {
        if (operation == null || !answersCurrentRequest(message)) {
            return; // a late answer to an earlier request, or a duplicate
        }
        if (message instanceof ClientReply reply) {
            leader = from;
            leaderAnswered = env.now();
            if (findingLeader) {
                findingLeader = false; // found: now the write itself, once
                env.cancelTimer(RETRY_TIMER);
                sendRequest();
            } else {
                finish(Outcome.ok(reply.result(), from, reply.index()));
            }
        } else if (message instanceof NotLeader notLeader) {
            followHint(from, notLeader.leader());
        } else if (message instanceof EntryReplaced replaced) {
            finish(Outcome.unknown("its entry at index " + replaced.index() + " was replaced by another leader's, which"
                    + " committed there; this client does not send a write twice, so it reports what it cannot confirm"));
        }
    }

    private boolean answersCurrentRequest(RaftMessage message) {
        return message instanceof ClientReply r ? r.requestId() == requestId
                : message instanceof NotLeader n ? n.requestId() == requestId
                : message instanceof EntryReplaced e && e.requestId() == requestId;
    }

    /**
     * §8: a server that is not the leader appended nothing, so the request can safely go again:
     * at once to the leader it names, or, if it knows none (an election may be under way), to
     * the next server after a pause, so clients do not flood servers that cannot answer yet.
     */
    private void followHint(int from, Integer hint) {
        env.cancelTimer(RETRY_TIMER);
        if (hint != null && hint != from) {
            leader = hint;
            leaderAnswered = null; // named by another server, it has not answered this client yet
            sendRequest();
        } else {
            leader = null;
            env.startTimer(RETRY_TIMER, config.retryAfter().dividedBy(4), this::sendRequest);
        }
    }

    private void finish(Outcome outcome) {
        env.cancelTimer(RETRY_TIMER);
        env.cancelTimer(GIVE_UP_TIMER);
        operation = null;
        env.complete(outcome);
    }
}
// end::client[]
