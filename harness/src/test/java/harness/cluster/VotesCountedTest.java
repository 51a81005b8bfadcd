package harness.cluster;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.Role;
import harness.observe.Timeline;
import harness.observe.TraceEvent;
import harness.sim.SimulatedCluster;
import harness.testing.TestImplementation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new leader is traced with the votes it had counted when it won: its own and the granted
 * RequestVoteReplies delivered to it, not every vote cast for it.
 */
class VotesCountedTest {

    /** A one-election Raft: node1 stands in term 1; node2 refuses; everyone else grants. */
    sealed interface Ballot extends RaftMessage {
        record RequestVote(long term, int candidateId) implements Ballot {
        }

        record RequestVoteReply(long term, boolean voteGranted) implements Ballot {
        }
    }

    private static final class Canvasser implements RaftNode {
        private final NodeConfig config;
        private final Environment env;
        private final Set<Integer> granted = new HashSet<>();
        private Role role = Role.FOLLOWER;
        private long term;
        private Integer votedFor;

        Canvasser(NodeConfig config, Environment env) {
            this.config = config;
            this.env = env;
        }

        @Override
        public void start() {
            if (config.id() == 1) {
                env.startTimer("election", Duration.ofMillis(1), () -> {
                    role = Role.CANDIDATE;
                    term = 1;
                    votedFor = 1;
                    granted.add(1);
                    config.peers().forEach(p -> env.send(p, new Ballot.RequestVote(1, 1)));
                });
            }
        }

        @Override
        public void receive(int from, RaftMessage message) {
            if (message instanceof Ballot.RequestVote rv) {
                term = rv.term();
                boolean grant = config.id() != 2;
                if (grant) {
                    votedFor = rv.candidateId();
                }
                env.send(from, new Ballot.RequestVoteReply(term, grant));
            } else if (message instanceof Ballot.RequestVoteReply reply && role == Role.CANDIDATE && reply.voteGranted()) {
                granted.add(from);
                if (granted.size() > config.clusterSize() / 2) {
                    role = Role.LEADER;
                }
            }
        }

        @Override
        public Role role() {
            return role;
        }

        @Override
        public long currentTerm() {
            return term;
        }

        @Override
        public Integer votedFor() {
            return votedFor;
        }
    }

    @Test
    void aVoteCastButStillOnTheWireIsNotCounted() {
        SimulatedCluster c = Cluster.builder().nodes(5).seed(1)
                .implementation(new TestImplementation("canvasser", Ballot.class, Canvasser::new)).simulated();
        Network.Held late = c.network().holdWhere(p -> p.is("RequestVoteReply") && p.from() == 5);
        List<TraceEvent> events = new ArrayList<>();
        c.trace().subscribe(events::add);
        c.runFor(Duration.ofMillis(50));

        assertTrue(events.stream().anyMatch(e -> e instanceof TraceEvent.Voted v && v.node() == 5 && v.term() == 1 && v.candidate() == 1),
                "node5 voted for node1; its reply is held back");
        TraceEvent.RoleChanged won = events.stream().filter(TraceEvent.RoleChanged.class::isInstance)
                .map(TraceEvent.RoleChanged.class::cast).filter(e -> e.to() == Role.LEADER).findFirst().orElseThrow();
        assertEquals(Set.of(1, 3, 4), won.votes(), "its own vote and the two granted replies it received; not node2's"
                + " refusal, not node5's vote still on the wire");
        assertEquals("node1 wins term 1 with votes from node1, node3, node4", Timeline.story(won));
        assertEquals("node1 Candidate → Leader in term 1 with votes from node1, node3, node4", won.describe());

        late.release();
        c.runFor(Duration.ofMillis(50));
        assertEquals(1, events.stream().filter(e -> e instanceof TraceEvent.RoleChanged r && r.to() == Role.LEADER).count());
    }
}
