package harness.mutation;

/**
 * One small change to one source file: the text from {@code start} to {@code end} replaced by
 * {@code replacement}. Its {@link #key()} names it without line numbers (file, method, operator,
 * before and after), so a survivor explained once stays explained when lines move, and in every
 * milestone that copies the same code.
 *
 * @param number     its place in the run, from 1: what {@code --mutant} takes
 * @param file       the source file, relative to the milestone's {@code src/main/java}
 * @param method     the method (or type, outside methods) that holds the change
 * @param line       the line of the change, from 1
 * @param operator   the kind of change
 * @param original   the source text replaced
 * @param replacement the text put in its place
 * @param occurrence 1, or 2, 3... when the same change appears more than once in the method
 * @param lineBefore the whole line, as it was
 * @param lineAfter  the whole line, mutated
 */
public record Mutant(int number, String file, String method, int line, int start, int end, Operator operator,
                     String original, String replacement, int occurrence, String lineBefore, String lineAfter) {

    /** The kinds of change, after the defaults of PIT (pitest) and the issue's "shift an index by one". */
    public enum Operator {
        /** {@code <} to {@code <=} and back, {@code >} to {@code >=} and back. */
        BOUNDARY,
        /** A comparison to its opposite: {@code ==} to {@code !=}, {@code <} to {@code >=}... */
        NEGATE,
        /** {@code &&} to {@code ||} and back. */
        AND_OR,
        /** {@code !x} to {@code x}. */
        DROP_NOT,
        /** {@code +} to {@code -}, {@code *} to {@code /}... */
        MATH,
        /** {@code x + 1} or {@code x - 1} to {@code x}. */
        OFF_BY_ONE,
        /** {@code ++} to {@code --} and back. */
        INCREMENT,
        /** {@code true} to {@code false} and back. */
        BOOLEAN,
        /** A call whose result is unused, deleted. */
        DROP_CALL,
        /** An assignment statement, deleted. */
        DROP_ASSIGNMENT
    }

    /** The name that stays the same when lines move: file, method, operator, before and after. */
    public String key() {
        return file.substring(file.lastIndexOf('/') + 1) + " " + method + " " + operator + " \"" + oneLine(original) + "\" → \""
                + oneLine(replacement) + "\"" + (occurrence > 1 ? " #" + occurrence : "");
    }

    /** Where it is, for a reader: {@code Server.java:123}. */
    public String where() {
        return file.substring(file.lastIndexOf('/') + 1) + ":" + line;
    }

    /** The mutated source, given the original. */
    public String apply(String source) {
        return source.substring(0, start) + replacement + source.substring(end);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
