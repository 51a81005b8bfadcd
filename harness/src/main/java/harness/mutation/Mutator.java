package harness.mutation;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import harness.mutation.Mutant.Operator;

import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every one-token change worth trying in a Java source file, from the syntax tree the JDK's
 * own parser builds (so nothing inside a string or a comment is touched, and {@code <} in a
 * generic type is not a comparison). Each change is a {@link Mutant}; the same file always gives
 * the same mutants in the same order.
 */
public final class Mutator {

    private Mutator() {
    }

    /** The mutants of one file, {@code path} being its name relative to the source root, in syntax-tree order. */
    public static List<Mutant> mutants(String path, String source) {
        JavacTask task = parser(path, source);
        CompilationUnitTree unit;
        try {
            unit = task.parse().iterator().next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Finder finder = new Finder(path, source, unit, Trees.instance(task).getSourcePositions());
        finder.scan(unit, null);
        return finder.found;
    }

    /** A compiler task that only parses {@code source}; its trees keep their end positions. */
    private static JavacTask parser(String path, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("this Java runtime has no compiler: run the course with a JDK 17 or newer, not a JRE");
        }
        SimpleJavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + path), javax.tools.JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        return (JavacTask) javac.getTask(null, null, null, List.of("-proc:none"), null, List.of(file));
    }

    /** Walks the tree and records each change at its exact position. */
    private static final class Finder extends TreeScanner<Void, Void> {
        private final String path;
        private final String source;
        private final CompilationUnitTree unit;
        private final SourcePositions positions;
        private final List<Mutant> found = new ArrayList<>();
        private final Map<String, Integer> seen = new HashMap<>();
        private String method = "";

        Finder(String path, String source, CompilationUnitTree unit, SourcePositions positions) {
            this.path = path;
            this.source = source;
            this.unit = unit;
            this.positions = positions;
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
            String outer = method;
            method = tree.getSimpleName().toString();
            super.visitClass(tree, unused);
            method = outer;
            return null;
        }

        @Override
        public Void visitMethod(MethodTree tree, Void unused) {
            String outer = method;
            method = tree.getName().contentEquals("<init>") ? outer + "()" : tree.getName().toString();
            super.visitMethod(tree, unused);
            method = outer;
            return null;
        }

        @Override
        public Void visitBinary(BinaryTree tree, Void unused) {
            String op = operatorOf(tree.getKind());
            if (op != null) {
                int at = operatorPosition(tree, op);
                for (Map.Entry<Operator, String> change : binaryChanges(tree).entrySet()) {
                    add(change.getKey(), at, at + op.length(), change.getValue());
                }
                if (isOffByOne(tree)) {
                    add(Operator.OFF_BY_ONE, start(tree), end(tree), text(tree.getLeftOperand()));
                }
            }
            return super.visitBinary(tree, unused);
        }

        @Override
        public Void visitUnary(UnaryTree tree, Void unused) {
            switch (tree.getKind()) {
                case LOGICAL_COMPLEMENT -> add(Operator.DROP_NOT, start(tree), end(tree), text(tree.getExpression()));
                case PREFIX_INCREMENT, POSTFIX_INCREMENT -> swapOperator(tree, "++", "--");
                case PREFIX_DECREMENT, POSTFIX_DECREMENT -> swapOperator(tree, "--", "++");
                default -> {
                }
            }
            return super.visitUnary(tree, unused);
        }

        @Override
        public Void visitLiteral(LiteralTree tree, Void unused) {
            if (tree.getKind() == Tree.Kind.BOOLEAN_LITERAL) {
                add(Operator.BOOLEAN, start(tree), end(tree), String.valueOf(!(Boolean) tree.getValue()));
            }
            return super.visitLiteral(tree, unused);
        }

        @Override
        public Void visitExpressionStatement(ExpressionStatementTree tree, Void unused) {
            Operator drop = switch (tree.getExpression().getKind()) {
                case METHOD_INVOCATION -> Operator.DROP_CALL;
                case ASSIGNMENT, PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT -> Operator.DROP_ASSIGNMENT;
                default -> null;
            };
            if (drop != null) {
                add(drop, start(tree), end(tree), ";"); // an empty statement, so "if (c) call();" stays a statement
            }
            return super.visitExpressionStatement(tree, unused);
        }

        private void swapOperator(UnaryTree tree, String from, String to) {
            int at = source.indexOf(from, start(tree));
            add(Operator.INCREMENT, at, at + from.length(), to);
        }

        private Map<Operator, String> binaryChanges(BinaryTree tree) {
            Map<Operator, String> changes = new java.util.LinkedHashMap<>();
            switch (tree.getKind()) {
                case LESS_THAN -> { changes.put(Operator.BOUNDARY, "<="); changes.put(Operator.NEGATE, ">="); }
                case LESS_THAN_EQUAL -> { changes.put(Operator.BOUNDARY, "<"); changes.put(Operator.NEGATE, ">"); }
                case GREATER_THAN -> { changes.put(Operator.BOUNDARY, ">="); changes.put(Operator.NEGATE, "<="); }
                case GREATER_THAN_EQUAL -> { changes.put(Operator.BOUNDARY, ">"); changes.put(Operator.NEGATE, "<"); }
                case EQUAL_TO -> changes.put(Operator.NEGATE, "!=");
                case NOT_EQUAL_TO -> changes.put(Operator.NEGATE, "==");
                case CONDITIONAL_AND -> changes.put(Operator.AND_OR, "||");
                case CONDITIONAL_OR -> changes.put(Operator.AND_OR, "&&");
                case PLUS -> {
                    if (!joinsText(tree)) changes.put(Operator.MATH, "-");
                }
                case MINUS -> changes.put(Operator.MATH, "+");
                case MULTIPLY -> changes.put(Operator.MATH, "/");
                case DIVIDE, REMAINDER -> changes.put(Operator.MATH, "*");
                default -> {
                }
            }
            return changes;
        }

        /** {@code x + 1} or {@code x - 1}: an index shifted by one, the commonest slip in Raft's index arithmetic. */
        private static boolean isOffByOne(BinaryTree tree) {
            return (tree.getKind() == Tree.Kind.PLUS || tree.getKind() == Tree.Kind.MINUS)
                    && tree.getRightOperand() instanceof LiteralTree literal && Integer.valueOf(1).equals(literal.getValue());
        }

        /** A "+" that joins text (a string literal on either side, or within a chain of them): changing it cannot compile. */
        private static boolean joinsText(ExpressionTree tree) {
            if (tree.getKind() == Tree.Kind.STRING_LITERAL) {
                return true;
            }
            return tree instanceof BinaryTree b && b.getKind() == Tree.Kind.PLUS
                    && (joinsText(b.getLeftOperand()) || joinsText(b.getRightOperand()));
        }

        private static String operatorOf(Tree.Kind kind) {
            return switch (kind) {
                case LESS_THAN -> "<";
                case LESS_THAN_EQUAL -> "<=";
                case GREATER_THAN -> ">";
                case GREATER_THAN_EQUAL -> ">=";
                case EQUAL_TO -> "==";
                case NOT_EQUAL_TO -> "!=";
                case CONDITIONAL_AND -> "&&";
                case CONDITIONAL_OR -> "||";
                case PLUS -> "+";
                case MINUS -> "-";
                case MULTIPLY -> "*";
                case DIVIDE -> "/";
                case REMAINDER -> "%";
                default -> null;
            };
        }

        /** The operator sits between the end of the left operand and the start of the right one. */
        private int operatorPosition(BinaryTree tree, String op) {
            int from = end(tree.getLeftOperand());
            int at = source.indexOf(op, from);
            if (at < 0 || at >= start(tree.getRightOperand())) {
                throw new IllegalStateException(path + ": cannot find \"" + op + "\" in " + text(tree));
            }
            return at;
        }

        private void add(Operator operator, int start, int end, String replacement) {
            String original = source.substring(start, end);
            String id = method + " " + operator + " " + original.replaceAll("\\s+", " ") + " " + replacement;
            int occurrence = seen.merge(id, 1, Integer::sum);
            int lineStart = source.lastIndexOf('\n', start - 1) + 1;
            int lineEnd = source.indexOf('\n', end);
            lineEnd = lineEnd < 0 ? source.length() : lineEnd;
            String before = source.substring(lineStart, lineEnd);
            String after = source.substring(lineStart, start) + replacement + source.substring(end, lineEnd);
            int line = (int) unit.getLineMap().getLineNumber(start);
            found.add(new Mutant(0, path, method, line, start, end, operator, original, replacement, occurrence,
                    firstLine(before), firstLine(after)));
        }

        private static String firstLine(String text) {
            return text.lines().findFirst().orElse("").strip();
        }

        private int start(Tree tree) {
            return (int) positions.getStartPosition(unit, tree);
        }

        private int end(Tree tree) {
            return (int) positions.getEndPosition(unit, tree);
        }

        private String text(Tree tree) {
            return source.substring(start(tree), end(tree));
        }
    }
}
