import java.util.*;
import harness.api.*;
import harness.cluster.*;
import harness.check.SafetyViolation;
import harness.check.Linearizability;
import static harness.display.Show.*;
import static java.time.Duration.*;
