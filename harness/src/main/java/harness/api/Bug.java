package harness.api;

/**
 * A bug-zoo variant: a server that breaks exactly one rule.
 *
 * @param name        a short name used on the command line, such as "votes-twice"
 * @param breaks      the rule it breaks; a graded suite must fail it with a message naming that rule
 * @param description what the variant does wrong, in a sentence
 * @param factory     creates the broken server
 */
public record Bug(String name, Rule breaks, String description, NodeFactory factory) {
}
