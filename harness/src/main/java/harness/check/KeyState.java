package harness.check;

/**
 * A key's value as the search keeps it: a value, absent, or dead (see {@link ReadableValues}):
 * one of the values no call can see, all of which the search treats as the same.
 *
 * @param value the value; null when absent or dead
 * @param dead  whether it is a value no call can see
 */
record KeyState(String value, boolean dead) {

    static final KeyState ABSENT = new KeyState(null, false);
    static final KeyState DEAD = new KeyState(null, true);

    /** {@code value} as the search keeps it: dead unless some call could see it. */
    static KeyState of(String value, ReadableValues readable) {
        if (value == null) {
            return ABSENT;
        }
        return readable.readable(value) ? new KeyState(value, false) : DEAD;
    }
}
