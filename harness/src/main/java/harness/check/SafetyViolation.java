package harness.check;

import harness.api.Rule;

/** A safety property was broken: the run stops at the event that broke it. */
public final class SafetyViolation extends AssertionError {

    private final Rule rule;

    public SafetyViolation(Rule rule, String whatHappened) {
        super(rule.violated(whatHappened));
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }
}
