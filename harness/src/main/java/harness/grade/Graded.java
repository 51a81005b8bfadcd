package harness.grade;

import harness.api.Rule;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A graded scenario: worth {@code points}, checking {@code rule}. If the method takes a
 * {@code long seed}, it runs once per seed (seeds 1 to {@code seeds} by default; the system
 * property {@code raft.seed} replays one seed, {@code raft.seeds} runs that many for a soak) and
 * earns its points only if every seed passes. A failure names the rule, the seed and a command
 * that replays exactly that run.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(GradedExtension.class)
public @interface Graded {

    int points();

    Rule rule();

    /** How many seeds a randomized scenario runs by default. */
    int seeds() default 5;
}
