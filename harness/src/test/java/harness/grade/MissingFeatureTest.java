package harness.grade;

import harness.cluster.Cluster;
import harness.testing.Pinger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
