package harness.check;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The points a {@link KeySearch} has explored in vain, and the test that spares it exploring them
 * again (Lowe's memoization, extended to uncertain calls).
 *
 * <p>A point is where the search stands: which OK calls and which uncertain calls it has placed,
 * the key's value, and whether the last call placed was uncertain (which forbids a put or delete
 * next). From a point at least as constrained as one already explored, the search would fail the
 * same way, so it need not go there. That is the case for the same OK calls and the same value
 * with a superset of the uncertain calls placed: an uncertain call placed is one fewer that could
 * still take effect, later or never, and nothing else differs. Without this, every combination of
 * uncertain calls placed to no effect (a write a later put erased) would explore the rest of the
 * history again.
 *
 * <p>A key can have tens of thousands of OK calls and the search remembers a point for nearly
 * every step, so the OK calls placed are stored compactly. Numbered in the order they were
 * invoked, they are all placed up to a low-water mark (an OK call must be placed before it
 * completes), then a few of the calls invoked since: the mark and those few bits are the point.
 */
final class Explored {

    /** The OK calls placed: all below {@code lowWater}, and those of {@code above} (numbered from the mark). */
    private record Point(int lowWater, BitSet above, KeyState state, boolean afterUncertain) {
    }

    /** For each point, the sets of uncertain calls it was explored with; rarely more than one. */
    private final Map<Point, List<BitSet>> uncertainSets = new HashMap<>();

    /**
     * Records the point, unless an explored point is at least as good; returns whether it was new.
     * {@code lowWater} is the first OK call not in {@code okPlaced}. The bit sets are copied, so
     * the caller may go on changing them.
     */
    boolean addIfNew(BitSet okPlaced, int lowWater, BitSet uncertainPlaced, KeyState state, boolean afterUncertain) {
        BitSet above = okPlaced.get(lowWater, Math.max(lowWater, okPlaced.length()));
        Point point = new Point(lowWater, above, state, afterUncertain);
        List<BitSet> explored = uncertainSets.get(point);
        if (coversSubsetOf(explored, uncertainPlaced)) {
            return false;
        }
        // A point after an uncertain call has fewer options than the same point after a certain one.
        if (afterUncertain && coversSubsetOf(uncertainSets.get(new Point(lowWater, above, state, false)), uncertainPlaced)) {
            return false;
        }
        if (explored == null) {
            explored = new ArrayList<>(1);
            uncertainSets.put(point, explored);
        }
        explored.add((BitSet) uncertainPlaced.clone());
        return true;
    }

    /** Whether one of {@code sets} is a subset of {@code placed}. */
    private static boolean coversSubsetOf(List<BitSet> sets, BitSet placed) {
        if (sets == null) {
            return false;
        }
        for (BitSet set : sets) {
            if (isSubset(set, placed)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSubset(BitSet small, BitSet large) {
        for (int i = small.nextSetBit(0); i >= 0; i = small.nextSetBit(i + 1)) {
            if (!large.get(i)) {
                return false;
            }
        }
        return true;
    }
}
