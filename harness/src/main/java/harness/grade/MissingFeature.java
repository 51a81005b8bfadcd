package harness.grade;

import harness.api.Unimplemented;
import harness.cluster.Cluster;
import harness.course.Syllabus;

import java.util.List;
import java.util.Optional;

/**
 * When a scenario fails, says whether the code under test lacks a whole milestone's feature, and
 * which milestone brings it: a learner who starts milestone N from milestone N−1's code fails
 * suite N's scenarios, and should read "milestone N adds ..." rather than puzzle over a commit
 * point that never moved. Each diagnosis states a fact of the run, then the milestone, so it
 * cannot mislead code that has the feature but gets it wrong.
 */
final class MissingFeature {

    private MissingFeature() {
    }

    /**
     * The features, of the milestones up to {@code suite}, that the failed run shows missing: a
     * capability the harness's contract says is not implemented; else, on links that keep order,
     * no pipelining ever (milestone 5), no use of stable storage ever (milestone 4) and no commit
     * ever (milestone 3), the suite's own milestone first, since
     * a run cut short by crashes may never reach a commit even in code that has one.
     */
    static Optional<String> diagnose(int suite, Throwable failure, List<Cluster> clusters) {
        Optional<String> unimplemented = unimplementedCapability(failure);
        if (unimplemented.isPresent() || clusters.isEmpty()) {
            return unimplemented;
        }
        List<String> missing = new java.util.ArrayList<>();
        if (suite >= 5 && clusters.stream().anyMatch(Cluster::hasOrderedLinks) && clusters.stream().noneMatch(Cluster::everPipelined)) {
            missing.add(advice(5, "On these links that keep order, no leader ever sent a follower new entries while an"
                    + " AppendEntries to it was still unanswered: it did not pipeline."));
        }
        if (suite >= 4 && clusters.stream().noneMatch(Cluster::everUsedStorage)) {
            missing.add(advice(4, "In this run no server ever used its stable storage (env.storage())."));
        }
        if (suite >= 3 && clusters.stream().noneMatch(Cluster::everCommitted)) {
            missing.add(advice(3, "In this run no server ever counted an entry as committed: every commitIndex stayed 0."));
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join("\nAlso: ", missing));
    }

    /**
     * A method of the contract that the code does not override: its default throws, naming its
     * milestone; or the harness needed what such a method returns and found nothing
     * ({@link Unimplemented}, such as no key-value store before milestone 5).
     */
    private static Optional<String> unimplementedCapability(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            StackTraceElement[] frames = t.getStackTrace();
            String fact;
            if (t instanceof Unimplemented u) {
                fact = "Your code does not implement " + u.method() + ": the harness says \"" + t.getMessage() + "\".";
            } else if (t instanceof UnsupportedOperationException && frames.length > 0 && frames[0].getClassName().startsWith("harness.api.")) {
                String method = frames[0].getClassName().substring("harness.api.".length()) + "." + frames[0].getMethodName() + "()";
                fact = "Your code does not implement " + method + ": the harness's default says \"" + t.getMessage() + "\".";
            } else {
                continue;
            }
            int milestone = milestoneNamedIn(String.valueOf(t.getMessage()));
            return Optional.of(milestone > 0 ? advice(milestone, fact) : fact);
        }
        return Optional.empty();
    }

    private static int milestoneNamedIn(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("milestone (\\d+)").matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String advice(int milestone, String fact) {
        Syllabus.Milestone m = Syllabus.milestone(milestone);
        return fact + " If you have not written it yet: milestone " + milestone + " adds " + m.adds() + " (" + m.sections()
                + "; the notes' chapter on milestone " + milestone + ", and your workspace's README.md, list its rules).";
    }
}
