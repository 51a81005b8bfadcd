package notes;

import harness.api.Bug;
import harness.api.RaftImplementation;
import harness.api.Rule;
import harness.grade.Graded;
import harness.grade.Grader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** AsciiDoc tables generated from the graded suites' annotations, the rules and the bug zoo. */
final class Tables {

    private Tables() {
    }

    /** Suite N's graded scenarios, in the order they run: what each checks, its rule, its points. */
    static String rubric(int milestone) {
        List<Method> scenarios = scenariosOf(milestone);
        StringBuilder t = new StringBuilder();
        t.append("[cols=\"1,12,5,2\",options=\"header\"]\n|===\n| # | Scenario | Rule | Points\n");
        int total = 0;
        for (int i = 0; i < scenarios.size(); i++) {
            Method m = scenarios.get(i);
            Graded graded = m.getAnnotation(Graded.class);
            total += graded.points();
            t.append("| ").append(i + 1)
                    .append(" | ").append(cell(displayName(m))).append(" +\n`").append(m.getDeclaringClass().getSimpleName())
                    .append('.').append(m.getName()).append('`')
                    .append(" | ").append(cell(graded.rule().section() + " " + graded.rule().title()))
                    .append(" | ").append(graded.points()).append('\n');
        }
        t.append("3+| *Total* | *").append(total).append("*\n|===\n");
        return t.toString();
    }

    /**
     * The rules milestone N's suite grades and its bug zoo breaks, as the harness states them; a
     * rule that asks more than the paper's Figure 2 says so, and why.
     */
    static String rules(int milestone, RaftImplementation implementation) {
        Set<Rule> rules = new LinkedHashSet<>();
        scenariosOf(milestone).forEach(m -> rules.add(m.getAnnotation(Graded.class).rule()));
        implementation.bugZoo().forEach(b -> rules.add(b.breaks()));
        StringBuilder t = new StringBuilder("[cols=\"2,3,8\",options=\"header\"]\n|===\n| Paper | Rule | What it says\n");
        for (Rule r : rules) {
            t.append("| ").append(cell(r.section())).append(" | ").append(cell(r.title())).append(" | ").append(cell(r.statement()));
            if (r.beyondThePaper() != null) {
                t.append(" +\n*Beyond the paper:* ").append(cell(r.beyondThePaper())).append('.');
            }
            t.append('\n');
        }
        return t.append("|===\n").toString();
    }

    /** The milestone's bug zoo: each variant, the rule it breaks, what it does, how to see it fail. */
    static String bugZoo(int milestone, RaftImplementation implementation) {
        StringBuilder t = new StringBuilder("[cols=\"3,3,8\",options=\"header\"]\n|===\n| Variant | Breaks | What it does\n");
        for (Bug bug : implementation.bugZoo()) {
            t.append("| `").append(bug.name()).append("` +\n`./course grade ").append(milestone).append(" --bug ").append(bug.name()).append('`')
                    .append(" | ").append(cell(bug.breaks().section() + " " + bug.breaks().title()))
                    .append(" | ").append(cell(bug.description())).append('\n');
        }
        return t.append("|===\n").toString();
    }

    private static List<Method> scenariosOf(int milestone) {
        String tag = "milestone-" + milestone;
        return Grader.scenariosUpTo(milestone).stream()
                .filter(m -> {
                    Tag t = m.getDeclaringClass().getAnnotation(Tag.class);
                    return t != null && t.value().equals(tag);
                })
                .toList();
    }

    private static String displayName(Method m) {
        DisplayName name = m.getAnnotation(DisplayName.class);
        return name != null ? name.value() : m.getName();
    }

    /** Text safe inside a table cell: a "|" would start a new cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
