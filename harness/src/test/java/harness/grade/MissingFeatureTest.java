package harness.grade;

import harness.api.Environment;
import harness.api.NodeConfig;
import harness.api.RaftImplementation;
import harness.api.RaftMessage;
import harness.api.RaftNode;
import harness.api.StateMachine;
import harness.api.Unimplemented;
import harness.cluster.Cluster;
import harness.testing.Pinger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The diagnosis a failure gets when a whole milestone's feature is missing from the code under test. */
class MissingFeatureTest {

    @Test
    void aCapabilityTheCodeDoesNotImplementNamesItsMilestone() {
        UnsupportedOperationException missing = new UnsupportedOperationException("this server takes no proposals: the log"
                + " and proposals start at milestone 2 (override propose in your Server)");
        missing.setStackTrace(new StackTraceElement[] {new StackTraceElement("harness.api.RaftNode", "propose", "RaftNode.java", 39)});
        String advice = MissingFeature.diagnose(2, new RuntimeException("node1 threw", missing), List.of()).orElseThrow();
        assertTrue(advice.startsWith("Your code does not implement RaftNode.propose(): the harness's default says"), advice);
        assertTrue(advice.contains("milestone 2 adds the log"), advice);
    }

    @Test
    void codeWithoutAKeyValueStoreOrAClientIsToldThatMilestoneFiveAddsThem() {
        RaftImplementation four = Pinger.implementation(new Pinger.Options());
        Unimplemented noStore = assertThrows(Unimplemented.class,
                () -> Cluster.builder().nodes(3).seed(1).clients(2).implementation(four).simulated());
        String advice = MissingFeature.diagnose(5, noStore, List.of()).orElseThrow();
        assertTrue(advice.startsWith("Your code does not implement RaftImplementation.newStateMachine(): the harness says"), advice);
        assertTrue(advice.contains("milestone 5 adds clients and the key-value store"), advice);

        RaftImplementation storeOnly = new DelegatingImplementation(four) {
            @Override
            public StateMachine newStateMachine() {
                return command -> "";
            }
        };
        UnsupportedOperationException noClient = assertThrows(UnsupportedOperationException.class,
                () -> Cluster.builder().nodes(3).seed(1).clients(2).implementation(storeOnly).simulated());
        String client = MissingFeature.diagnose(5, noClient, List.of()).orElseThrow();
        assertTrue(client.startsWith("Your code does not implement RaftImplementation.createClient(): the harness's default says"), client);
        assertTrue(client.contains("milestone 5 adds clients and the key-value store"), client);
    }

    /** An implementation that is another's, for overriding one capability. */
    private static class DelegatingImplementation implements RaftImplementation {
        private final RaftImplementation inner;

        DelegatingImplementation(RaftImplementation inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public int milestone() {
            return inner.milestone();
        }

        @Override
        public Class<? extends RaftMessage> messageType() {
            return inner.messageType();
        }

        @Override
        public RaftNode create(NodeConfig config, Environment environment) {
            return inner.create(config, environment);
        }
    }

    @Test
    void aRunWithoutCommitsOrStorageNamesTheMilestonesThatBringThem() {
        Cluster c = Cluster.builder().nodes(3).seed(1).implementation(Pinger.implementation(new Pinger.Options())).simulated();
        c.runFor(Duration.ofMillis(200));
        AssertionError failure = new AssertionError("a scenario failed");
        assertEquals(Optional.empty(), MissingFeature.diagnose(2, failure, List.of(c)), "suite 2 needs no commit");
        String three = MissingFeature.diagnose(3, failure, List.of(c)).orElseThrow();
        assertTrue(three.startsWith("In this run no server ever counted an entry as committed") && three.contains("milestone 3 adds"), three);
        String four = MissingFeature.diagnose(4, failure, List.of(c)).orElseThrow();
        assertTrue(four.startsWith("In this run no server ever used its stable storage") && four.contains("milestone 4 adds")
                && four.contains("\nAlso: In this run no server ever counted an entry as committed"), four);
        assertEquals(Optional.empty(), MissingFeature.diagnose(4, failure, List.of()), "no cluster, no evidence");
    }
}
