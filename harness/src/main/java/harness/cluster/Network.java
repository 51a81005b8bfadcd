package harness.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * The network between the servers of one cluster, as both runtimes use it: who can reach whom
 * (partitions of any shape), how messages are treated ({@link Conditions}), fault rules that drop
 * or hold chosen messages, and counters. It decides the fate of each message; the runtime then
 * delivers it on its own clock.
 *
 * <p>A link is checked twice: when a message is sent and when it would be delivered, so a
 * partition also cuts the messages already in flight across it.
 */
public final class Network {

    /**
     * What the network tells its runtime: a held packet was let go (deliver it), and the
     * connectivity or conditions changed (trace it). Every change is reported, whoever made it.
     */
    public interface Events {
        void released(Packet packet);

        default void changed(String description) {
        }
    }

    /** What happens to one message. */
    public enum Outcome { DELIVER, LOST_TO_PARTITION, LOST_TO_RULE, LOST_AT_RANDOM, HELD }

    /** The fate of one message: its outcome and, if delivered, one delay per copy (microseconds). */
    public record Route(Outcome outcome, long[] delaysMicros) {
        static final long[] NONE = new long[0];
    }

    /** A fault rule that drops or holds the packets it matches until it is removed. */
    public final class Rule {
        private final Predicate<Packet> match;
        private final List<Packet> held; // null for a dropping rule

        private Rule(Predicate<Packet> match, boolean holds) {
            this.match = match;
            this.held = holds ? new ArrayList<>() : null;
        }

        /** Stops applying the rule; messages it held stay held until {@link Held#release()}. */
        public void remove() {
            synchronized (Network.this) {
                rules.remove(this);
            }
        }
    }

    /** Messages held back by a rule; {@link #release()} lets them go on their way. */
    public final class Held {
        private final Rule rule;

        private Held(Rule rule) {
            this.rule = rule;
        }

        /** How many messages this rule has held so far. */
        public int count() {
            synchronized (Network.this) {
                return rule.held.size();
            }
        }

        /** Removes the rule and delivers every held message, each after a fresh latency. */
        public void release() {
            List<Packet> released;
            synchronized (Network.this) {
                rules.remove(rule);
                released = new ArrayList<>(rule.held);
                rule.held.clear();
            }
            released.forEach(events::released);
        }
    }

    private final List<Integer> ids;
    private final List<Integer> clients;
    private final boolean[][] cut;
    private final List<Rule> rules = new ArrayList<>();
    private final MessageStats stats = new MessageStats();
    private final Events events;
    private Conditions conditions;
    private boolean duplicatesClientMessages;
    private String topology = "fully connected";
    private long nextPacketId = 1;

    /**
     * @param ids        the servers on this network
     * @param conditions how it treats messages at first
     * @param events     where to report released packets and changes
     */
    public Network(Collection<Integer> ids, Conditions conditions, Events events) {
        this(ids, List.of(), conditions, events);
    }

    /**
     * A network of servers and clients (milestone 5). Clients sit on it like servers: partitions,
     * loss and delays hit their messages too. A client put in no group of a partition keeps its
     * links to every server.
     *
     * @param ids        the servers
     * @param clients    the clients' ids (101 and above)
     * @param conditions how it treats messages at first
     * @param events     where to report released packets and changes
     */
    public Network(Collection<Integer> ids, Collection<Integer> clients, Conditions conditions, Events events) {
        this.ids = List.copyOf(new TreeSet<>(ids));
        this.clients = List.copyOf(new TreeSet<>(clients));
        int max = Math.max(this.ids.get(this.ids.size() - 1), this.clients.isEmpty() ? 0 : this.clients.get(this.clients.size() - 1));
        this.cut = new boolean[max + 1][max + 1];
        this.events = events;
        this.conditions = conditions;
    }

    /** A reliable network (see {@link Conditions#reliable()}). */
    public Network(Collection<Integer> ids, Events events) {
        this(ids, Conditions.reliable(), events);
    }

    public synchronized Conditions conditions() {
        return conditions;
    }

    public synchronized void setConditions(Conditions conditions) {
        this.conditions = conditions;
        events.changed(conditions.toString());
    }

    public MessageStats stats() {
        return stats;
    }

    /**
     * Whether the duplicate rate of the {@link Conditions} also applies to messages between
     * clients and servers. Off by default: a duplicated request is a retry, and a server applies a
     * retried write twice until it keeps client sessions (milestone 6, thesis §6.3), whose scenarios
     * turn it on. Loss, delay and reordering hit clients' messages either way.
     */
    public synchronized void duplicateClientMessages(boolean on) {
        this.duplicatesClientMessages = on;
    }

    /** A new packet with the next id. */
    public synchronized Packet packet(int from, int to, String type, long term, byte[] bytes) {
        if (!ids.contains(from) && !clients.contains(from)) {
            throw new IllegalArgumentException("there is no " + name(from) + " on this network");
        }
        if (to == from) {
            throw new IllegalArgumentException("node" + from + " sent a " + type + " to itself; a server counts its own vote"
                    + " and applies its own entries directly, without a message");
        }
        if (clients.contains(from) && !ids.contains(to)) {
            throw new IllegalArgumentException(name(from) + " sent a " + type + " to " + name(to) + ", which is not a server of the"
                    + " cluster " + ids + "; a client talks only to the servers in ClientConfig.servers()");
        }
        if (!ids.contains(to) && !clients.contains(to)) {
            throw new IllegalArgumentException(name(from) + " sent a " + type + " to " + name(to) + ", which is not in the cluster "
                    + ids + "; send only to the ids in NodeConfig.peers(), or back to a client that sent a request");
        }
        return new Packet(nextPacketId++, from, to, type, term, bytes);
    }

    private static String name(int id) {
        return harness.api.ClientConfig.name(id);
    }

    /** The clients on this network, by id. */
    public List<Integer> clients() {
        return clients;
    }

    // ---- Connectivity --------------------------------------------------------------------------

    /** Can a message from {@code from} reach {@code to} now? */
    public synchronized boolean connected(int from, int to) {
        return !cut[from][to];
    }

    /** A description of the current connectivity, such as "{1,2} | {3,4,5}". */
    public synchronized String topology() {
        return topology;
    }

    /** Every server reaches every other. */
    public synchronized void heal() {
        for (boolean[] row : cut) Arrays.fill(row, false); // clients too
        topology = "fully connected";
        events.changed(topology);
    }

    /** Cuts every link to and from {@code id}; other links are unchanged. */
    public synchronized void isolate(int id) {
        requireKnown(id);
        for (int other : endpoints()) {
            if (other != id) {
                cut[id][other] = true;
                cut[other][id] = true;
            }
        }
        topology = describeComponents();
        events.changed(topology);
    }

    /** Restores every link to and from {@code id} (links cut by other means between others stay cut). */
    public synchronized void reconnect(int id) {
        requireKnown(id);
        for (int other : endpoints()) {
            cut[id][other] = false;
            cut[other][id] = false;
        }
        topology = describeComponents();
        events.changed(topology);
    }

    /**
     * Splits the servers into groups that can only talk within themselves. A server named in no
     * group is isolated; a client named in no group reaches every server.
     */
    @SafeVarargs
    public final synchronized void partition(Collection<Integer>... groups) {
        split(groups);
        topology = describeComponents();
        events.changed(topology);
    }

    /**
     * A bridge: {@code left} and {@code right} cannot reach each other, but the bridge server
     * reaches both sides and both reach it.
     */
    @SuppressWarnings("unchecked")
    public synchronized void bridge(int bridge, Collection<Integer> left, Collection<Integer> right) {
        split(new Collection[] {left, right});
        for (int other : ids) {
            cut[bridge][other] = false;
            cut[other][bridge] = false;
        }
        topology = set(left) + " ⟷ node" + bridge + " ⟷ " + set(right);
        events.changed(topology);
    }

    private void split(Collection<Integer>[] groups) {
        int[] group = groupOf(groups);
        for (int a : endpoints()) {
            for (int b : endpoints()) {
                cut[a][b] = a != b && !sameSide(a, b, group);
            }
        }
    }

    /** Servers talk only within their group (a server in none is isolated); a client in no group reaches every server. */
    private boolean sameSide(int a, int b, int[] group) {
        if ((clients.contains(a) && group[a] < 0) || (clients.contains(b) && group[b] < 0)) {
            return true;
        }
        return group[a] >= 0 && group[a] == group[b];
    }

    /** The servers, then the clients. */
    private List<Integer> endpoints() {
        List<Integer> all = new ArrayList<>(ids);
        all.addAll(clients);
        return all;
    }

    /**
     * The servers in a ring, each linked to the {@code reach} nearest servers on either side. With
     * 5 servers and reach 1, every server sees a majority (itself and two neighbours) but no two
     * servers see the same majority.
     */
    public synchronized void ring(int reach) {
        int n = ids.size();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int distance = Math.min(Math.abs(i - j), n - Math.abs(i - j));
                cut[ids.get(i)][ids.get(j)] = distance > reach;
            }
        }
        for (int client : clients) {
            for (int server : ids) {
                cut[client][server] = false; // clients reach every server of the ring
                cut[server][client] = false;
            }
        }
        topology = "ring " + ids + " (each linked to " + reach + " on either side)";
        events.changed(topology);
    }

    /** Cuts the one-way link from {@code from} to {@code to}. */
    public synchronized void cut(int from, int to) {
        requireKnown(from);
        requireKnown(to);
        cut[from][to] = true;
        topology = "custom: " + describeCuts();
        events.changed(topology);
    }

    private int[] groupOf(Collection<Integer>[] groups) {
        int[] group = new int[cut.length];
        Arrays.fill(group, -1);
        for (int g = 0; g < groups.length; g++) {
            for (int id : groups[g]) {
                requireKnown(id);
                if (group[id] >= 0) {
                    throw new IllegalArgumentException("node" + id + " is in two groups of the partition");
                }
                group[id] = g;
            }
        }
        return group;
    }

    private void requireKnown(int id) {
        if (!ids.contains(id) && !clients.contains(id)) {
            throw new IllegalArgumentException("there is no node" + id + " in this cluster; the nodes are " + ids);
        }
    }

    /**
     * Groups, when the links split the servers into groups that talk fully within and not at all
     * across (for example "{1,2} | {3,4,5}"); otherwise the cut links, one by one.
     */
    private String describeComponents() {
        List<Set<Integer>> groups = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int a : ids) {
            Set<Integer> group = new TreeSet<>();
            for (int b : ids) {
                if (!cut[a][b]) group.add(b);
            }
            for (int b : group) {
                Set<Integer> reachedByB = new TreeSet<>();
                for (int c : ids) {
                    if (!cut[b][c]) reachedByB.add(c);
                }
                if (!reachedByB.equals(group)) {
                    return "custom: " + describeCuts(); // one-way, or not transitive: not a set of groups
                }
            }
            if (seen.add(a)) {
                seen.addAll(group);
                groups.add(group);
            }
        }
        if (groups.size() == 1) return "fully connected";
        return groups.stream().map(Network::set).collect(Collectors.joining(" | "));
    }

    private String describeCuts() {
        List<String> cuts = new ArrayList<>();
        for (int a : ids) for (int b : ids) if (cut[a][b]) cuts.add(a + "↛" + b);
        return String.join(" ", cuts);
    }

    private static String set(Collection<Integer> ids) {
        return new TreeSet<>(ids).stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }

    // ---- Fault rules ---------------------------------------------------------------------------

    /** Drops every message that matches, until the returned rule is removed. */
    public synchronized Rule dropWhere(Predicate<Packet> match) {
        Rule rule = new Rule(match, false);
        rules.add(rule);
        return rule;
    }

    /** Holds back every message that matches, until {@link Held#release()}. */
    public synchronized Held holdWhere(Predicate<Packet> match) {
        Rule rule = new Rule(match, true);
        rules.add(rule);
        return new Held(rule);
    }

    // ---- Routing -------------------------------------------------------------------------------

    /** Decides the fate of a message being sent now, drawing from the run's random source. */
    public synchronized Route route(Packet packet, RandomGenerator random) {
        stats.sent(packet);
        if (!connected(packet.from(), packet.to())) {
            stats.dropped(packet);
            return new Route(Outcome.LOST_TO_PARTITION, Route.NONE);
        }
        for (Rule rule : rules) {
            if (rule.match.test(packet)) {
                if (rule.held != null) {
                    rule.held.add(packet);
                    return new Route(Outcome.HELD, Route.NONE);
                }
                stats.dropped(packet);
                return new Route(Outcome.LOST_TO_RULE, Route.NONE);
            }
        }
        if (conditions.dropRate() > 0 && random.nextDouble() < conditions.dropRate()) {
            stats.dropped(packet);
            return new Route(Outcome.LOST_AT_RANDOM, Route.NONE);
        }
        boolean mayDuplicate = duplicatesClientMessages || !(clients.contains(packet.from()) || clients.contains(packet.to()));
        if (mayDuplicate && conditions.duplicateRate() > 0 && random.nextDouble() < conditions.duplicateRate()) {
            stats.duplicated(packet);
            return new Route(Outcome.DELIVER, new long[] {latency(random), latency(random)});
        }
        return new Route(Outcome.DELIVER, new long[] {latency(random)});
    }

    /** One latency draw for a packet let go by a {@link Held} rule. */
    public synchronized long latencyForReleased(RandomGenerator random) {
        return latency(random);
    }

    private long latency(RandomGenerator random) {
        long min = micros(conditions.minLatency());
        long max = micros(conditions.maxLatency());
        long delay = min == max ? min : random.nextLong(min, max + 1);
        if (conditions.reorderRate() > 0 && random.nextDouble() < conditions.reorderRate()) {
            delay += random.nextLong(micros(conditions.reorderDelay()) + 1);
        }
        return delay;
    }

    /** At delivery: is the link still up? Counts the message as delivered or lost. */
    public synchronized boolean arrives(Packet packet) {
        if (connected(packet.from(), packet.to())) {
            stats.delivered(packet);
            return true;
        }
        stats.dropped(packet);
        return false;
    }

    /** Counts a message lost because its receiver crashed before it arrived. */
    public void lostToCrash(Packet packet) {
        stats.dropped(packet);
    }

    static long micros(java.time.Duration d) {
        return d.toNanos() / 1000;
    }
}
