package harness.suites;

import harness.api.Rule;
import harness.cluster.Cluster;
import harness.grade.SetUpFailed;
import harness.testing.Pinger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two kinds of check a scripted scenario makes: its own premises, and the rules the code under test owes. */
class SetUpChecksTest {

    @Test
    void aPremiseThatDoesNotHoldFailsAsTheScenariosSetUpWithTheStateOfEveryServer() {
        try (Cluster cluster = Cluster.builder().nodes(3).seed(1).implementation(Pinger.implementation()).simulated()) {
            assertDoesNotThrow(() -> SuiteSupport.setUp(cluster, true, "the partition was in place"));
            SetUpFailed failure = assertThrows(SetUpFailed.class,
                    () -> SuiteSupport.setUp(cluster, false, "no vote reply of term 1 was held back"));
            assertTrue(failure.getMessage().startsWith("no vote reply of term 1 was held back\n  node1 ("), failure.getMessage());
            assertFalse(failure.getMessage().contains("The rule:"), "a premise names no rule: " + failure.getMessage());
        }
    }

    @Test
    void whatTheCodeOwesStillFailsNamingItsRule() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> SuiteSupport.check(false, Rule.PERSIST_BEFORE_REPLY, "node3 was still up after granting its vote"));
        assertFalse(failure instanceof SetUpFailed);
        assertTrue(failure.getMessage().startsWith(Rule.PERSIST_BEFORE_REPLY.label()), failure.getMessage());
    }
}
