package harness.suites;

import harness.api.Rule;
import harness.cluster.Cluster;
import harness.observe.NodeView;
import harness.observe.Time;
import harness.observe.TraceEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static harness.suites.SuiteSupport.check;
import static harness.suites.SuiteSupport.commands;
import static harness.suites.SuiteSupport.firstDifference;
import static harness.suites.SuiteSupport.states;
import static harness.suites.SuiteSupport.violation;

/** What suite 3's classes check about applying: who applied what, in which order, and watches that run alongside. */
final class Commits {

    private Commits() {
    }

    /** The commands each server applied, in the order it applied them. */
    static Map<Integer, List<String>> appliedBy(Cluster cluster) {
        Map<Integer, List<String>> applied = new TreeMap<>();
        for (TraceEvent e : cluster.trace().history()) {
            if (e instanceof TraceEvent.Applied a) {
                applied.computeIfAbsent(a.node(), id -> new ArrayList<>()).add(a.command());
            }
        }
        return applied;
    }

    /** Each server of {@code nodes} applied exactly {@code expected}, once each, in that order. */
    static void requireAppliedExactly(Cluster cluster, Collection<Integer> nodes, List<String> expected, String situation) {
        Map<Integer, List<String>> applied = appliedBy(cluster);
        for (int id : nodes) {
            List<String> got = applied.getOrDefault(id, List.of());
            check(got.equals(expected), Rule.APPLY_IN_ORDER, situation + ", node" + id + " has applied " + got + ", but the"
                    + " committed entries are " + expected + "; a server applies each committed entry once, in index order");
        }
    }

    /** Every server applied exactly the commands of its log up to lastApplied, once each, in order. */
    static void requireAppliedTheirLogs(Cluster cluster) {
        Map<Integer, List<String>> applied = appliedBy(cluster);
        for (NodeView v : cluster.views()) {
            List<String> got = applied.getOrDefault(v.id(), List.of());
            List<String> log = commands(v.log()).subList(0, (int) Math.min(v.log().size(), v.lastApplied()));
            check(got.equals(log), Rule.APPLY_IN_ORDER, "node" + v.id() + " applied " + got.size() + " commands, but the first "
                    + log.size() + " entries of its log (up to lastApplied) are other ones, or in another order; first"
                    + " difference at position " + firstDifference(got, log) + ". A server applies each committed entry once,"
                    + " in index order");
        }
    }

    /** What a watch found wrong, and the rule it breaks. */
    record Problem(Rule rule, String what) {
    }

    /** Runs for {@code duration}, watching after every event; fails at the first problem {@code watch} finds. */
    static void runChecking(Cluster cluster, Duration duration, Function<Cluster, Problem> watch) {
        Problem[] found = {null};
        cluster.runUntil(c -> (found[0] = watch.apply(c)) != null, duration);
        if (found[0] != null) {
            throw violation(found[0].rule(), found[0].what() + " (at " + Time.format(cluster.now()) + "):\n" + states(cluster));
        }
    }

    /** {@code ids} rotated by a seed, so each seed picks other servers for each part. */
    static List<Integer> rotated(List<Integer> ids, long seed) {
        List<Integer> list = new ArrayList<>(ids);
        java.util.Collections.rotate(list, (int) Math.floorMod(seed, (long) ids.size()));
        return list;
    }
}
