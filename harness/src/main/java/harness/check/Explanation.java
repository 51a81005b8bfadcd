package harness.check;

import harness.api.Operation;
import harness.api.Operation.Kind;
import harness.history.Call;
import harness.observe.Time;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Why a key's calls are not linearizable, in a paragraph a learner can act on. The search only
 * knows that no order works; this class looks for a short reason that real time alone proves,
 * and says only what it can prove:
 * <ol>
 *   <li>no call on the key could ever have produced the value the stuck call read;</li>
 *   <li>a write that must come before the stuck call overwrote that value, and every call that
 *       could produce it must come before that write (the classic stale read);</li>
 *   <li>on a key changed only by appends: the value read lacks an append that had completed, or is
 *       longer than all appends together could make it;</li>
 * </ol>
 * and otherwise describes the longest order the search found and where it got stuck. "Must come
 * before" is real time: a call that completed before another was invoked precedes it in every
 * order.
 */
final class Explanation {

    /** Values in a history can be long (a key that was appended to for a minute): the prose shows their start. */
    private static final int MAX_CHARS = 40;

    private final String key;
    private final Call stuck;
    private final List<Call> order;
    private final List<Call> onKey;

    private Explanation(LinearizabilityResult result) {
        this.key = result.key().orElseThrow();
        this.stuck = result.unplaceable().orElseThrow();
        this.order = result.longestOrder();
        this.onKey = result.callsOnKey();
    }

    static String of(LinearizabilityResult result) {
        Explanation e = new Explanation(result);
        String reason = e.neverWritten()
                .or(e::overwritten)
                .or(e::appendMissing)
                .or(e::appendedTwice)
                .orElseGet(e::longestOrder);
        return "Not linearizable (key " + e.key + "): " + who(e.stuck) + " cannot be placed" + reason;
    }

    // ---- The reasons, each returning the rest of the sentence when it applies ------------------

    /** The value the stuck call needed the key to have: a get's answer, a successful cas's expected value. */
    private Optional<Needed> needed() {
        Operation op = stuck.operation();
        if (op.kind() == Kind.GET) {
            return Optional.of(new Needed(stuck.outcome().value()));
        }
        if (op.kind() == Kind.CAS && "true".equals(stuck.outcome().value())) {
            return Optional.of(new Needed(op.expected()));
        }
        return Optional.empty();
    }

    /** A value the key had to have; null: absent. */
    private record Needed(String value) {
    }

    private Optional<String> neverWritten() {
        return needed().filter(n -> n.value() != null && sources(n.value(), null).isEmpty())
                .map(n -> ": no call on " + key + " could ever make it " + shown(n.value()) + ".");
    }

    private Optional<String> overwritten() {
        Optional<Needed> needed = needed();
        if (needed.isEmpty()) {
            return Optional.empty();
        }
        String v = needed.get().value();
        return onKey.stream()
                .filter(w -> w != stuck && precedes(w, stuck) && erases(w, v) && sources(v, w).stream().allMatch(s -> precedes(s, w)))
                .max(Comparator.comparingLong(Call::completed))
                .map(w -> ": by the time it was invoked (" + Time.format(stuck.invoked()) + "), " + who(w) + " had completed ("
                        + Time.format(w.completed()) + "), so " + key + " could no longer be " + shown(v) + sourcesClause(v, w) + ".");
    }

    private String sourcesClause(String v, Call w) {
        List<Call> sources = sources(v, w);
        String before = " before " + w.operation() + " was invoked (" + Time.format(w.invoked()) + ")";
        if (sources.isEmpty()) {
            return v == null ? ": no call on " + key + " deletes it" : "";
        }
        if (sources.size() == 1) {
            Call s = sources.get(0);
            return ": the only call that could make it " + shown(v) + ", " + who(s) + ", had completed (" + Time.format(s.completed()) + ")" + before;
        }
        return ": all " + sources.size() + " calls that could make it " + shown(v) + " had completed" + before;
    }

    private Optional<String> appendMissing() {
        if (stuck.operation().kind() != Kind.GET || !onlyAppends()) {
            return Optional.empty();
        }
        String v = stuck.outcome().value();
        return onKey.stream()
                .filter(a -> a.operation().kind() == Kind.APPEND && precedes(a, stuck) && !a.operation().value().isEmpty()
                        && (v == null || !v.contains(a.operation().value())))
                .findFirst()
                .map(a -> ": by the time it was invoked (" + Time.format(stuck.invoked()) + "), " + who(a) + " had completed ("
                        + Time.format(a.completed()) + "), so " + key + " had to contain " + shown(a.operation().value())
                        + ", and only appends change " + key + ".");
    }

    private Optional<String> appendedTwice() {
        if (stuck.operation().kind() != Kind.GET || !onlyAppends() || stuck.outcome().value() == null) {
            return Optional.empty();
        }
        String v = stuck.outcome().value();
        long appends = onKey.stream().filter(c -> c.operation().kind() == Kind.APPEND).count();
        int total = onKey.stream().filter(c -> c.operation().kind() == Kind.APPEND).mapToInt(c -> c.operation().value().length()).sum();
        if (v.length() <= total) {
            return Optional.empty();
        }
        return Optional.of(": only appends change " + key + ", and all " + appends + (appends == 1 ? " append" : " appends") + " on it together"
                + " make " + total + (total == 1 ? " character" : " characters") + ", fewer than the " + v.length() + " of " + shown(v)
                + ": an append took effect more than once.");
    }

    /** The fallback: the longest order found, what the key was after it, and what the stuck call needed. */
    private String longestOrder() {
        String state = null;
        for (Call c : order) {
            state = KeyValueModel.after(state, c);
        }
        StringBuilder s = new StringBuilder(". The longest order of the calls on " + key + " the checker found places " + order.size()
                + " of them");
        if (!order.isEmpty()) {
            s.append(", the last being ").append(who(order.get(order.size() - 1)));
        }
        s.append("; after ").append(order.size() == 1 ? "it" : "them").append(", ").append(key).append(" is ").append(shown(state));
        s.append(", and ").append(need()).append('.');
        lastWrite().filter(w -> precedes(w, stuck))
                .ifPresent(w -> s.append(" It cannot go before ").append(w.operation()).append(": that had completed (")
                        .append(Time.format(w.completed())).append(") before it was invoked (").append(Time.format(stuck.invoked())).append(")."));
        return s.append(" No other order works either: the checker tried them all.").toString();
    }

    /** The last call of the longest order that could have changed the key. */
    private Optional<Call> lastWrite() {
        for (int i = order.size() - 1; i >= 0; i--) {
            if (order.get(i).operation().writes()) {
                return Optional.of(order.get(i));
            }
        }
        return Optional.empty();
    }

    private String need() {
        Operation op = stuck.operation();
        if (op.kind() == Kind.GET) {
            return "the get needs it to be " + shown(stuck.outcome().value());
        }
        if (op.kind() == Kind.CAS) {
            return "true".equals(stuck.outcome().value()) ? "the cas needs it to be " + shown(op.expected())
                    : "the cas needs it to be anything but " + shown(op.expected());
        }
        return "placing the " + op.kind().word() + " next only leads to calls that cannot be placed further on";
    }

    // ---- Facts about the calls on the key ------------------------------------------------------

    /** The calls other than the stuck one and {@code except} that could leave the key equal to {@code v}. */
    private List<Call> sources(String v, Call except) {
        return onKey.stream().filter(c -> c != stuck && c != except && couldProduce(c, v)).toList();
    }

    private static boolean couldProduce(Call c, String v) {
        Operation op = c.operation();
        return switch (op.kind()) {
            case GET -> false;
            case PUT -> op.value().equals(v);
            case DELETE -> v == null;
            case APPEND -> v != null && v.endsWith(op.value());
            case CAS -> op.value().equals(v) && !(c.isOk() && "false".equals(c.outcome().value()));
        };
    }

    /** Whether {@code w} certainly took effect and certainly left the key other than {@code v}. */
    private static boolean erases(Call w, String v) {
        if (!w.isOk()) {
            return false;
        }
        Operation op = w.operation();
        return switch (op.kind()) {
            case GET -> false;
            case PUT -> !op.value().equals(v);
            case DELETE -> v != null;
            case APPEND -> !op.value().isEmpty() && (v == null || !v.endsWith(op.value()));
            case CAS -> "true".equals(w.outcome().value()) && !op.value().equals(v);
        };
    }

    private boolean onlyAppends() {
        return onKey.stream().allMatch(c -> c.operation().kind() == Kind.APPEND || c.operation().kind() == Kind.GET);
    }

    /** Whether {@code a} precedes {@code b} in every order: it completed before {@code b} was invoked. */
    private static boolean precedes(Call a, Call b) {
        return a.isOk() && a.completed() < b.invoked();
    }

    /** "get x → 1 by client2". */
    private static String who(Call c) {
        return shorten(c.label()) + " by " + Call.clientName(c.client());
    }

    /** A value as the prose shows it: "absent", "empty", or at most 40 characters. */
    private static String shown(String value) {
        return value == null ? "absent" : value.isEmpty() ? "empty" : shorten(value);
    }

    private static String shorten(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS - 1) + "…";
    }
}
