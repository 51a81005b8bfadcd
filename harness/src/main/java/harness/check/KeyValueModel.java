package harness.check;

import harness.api.Operation;
import harness.history.Call;

import java.util.Objects;

/**
 * The key-value store as a single copy on one machine would behave, one key at a time: the
 * specification a linearizable store must be indistinguishable from. The state of a key is its
 * value, or null when it is absent (every key starts absent).
 *
 * <p>The checker asks two questions of each call it tries to place: {@link #allows} (could the
 * call have given its answer if it took effect now?) and {@link #after} (what is the key then?).
 * Only the answers of calls that completed OK are checked, and only get and cas answer anything;
 * an uncertain call (pending or UNKNOWN) is allowed in any state, because nobody saw its answer.
 */
public final class KeyValueModel {

    private KeyValueModel() {
    }

    /** Whether {@code call}, taking effect when its key is {@code state}, could have answered what it did. */
    public static boolean allows(String state, Call call) {
        if (!call.isOk()) {
            return true;
        }
        Operation op = call.operation();
        String answer = call.outcome().value();
        return switch (op.kind()) {
            case GET -> Objects.equals(state, answer);
            case CAS -> String.valueOf(Objects.equals(state, op.expected())).equals(answer);
            case PUT, DELETE, APPEND -> true;
        };
    }

    /** The key's value after {@code call} took effect on {@code state}; null: absent. */
    public static String after(String state, Call call) {
        Operation op = call.operation();
        return switch (op.kind()) {
            case GET -> state;
            case PUT -> op.value();
            case DELETE -> null;
            case APPEND -> (state == null ? "" : state) + op.value();
            case CAS -> Objects.equals(state, op.expected()) ? op.value() : state;
        };
    }

    /**
     * Whether the call completed OK and cannot have changed its key, wherever it took effect: a get,
     * or a cas that answered "false".
     */
    static boolean readOnly(Call call) {
        Operation.Kind kind = call.operation().kind();
        return call.isOk() && (kind == Operation.Kind.GET || kind == Operation.Kind.CAS && "false".equals(call.outcome().value()));
    }

    /**
     * Whether the call overwrites its key without reading it (put, delete): whatever an earlier
     * call left there, nobody can tell after this one.
     */
    static boolean blind(Call call) {
        Operation.Kind kind = call.operation().kind();
        return kind == Operation.Kind.PUT || kind == Operation.Kind.DELETE;
    }
}
