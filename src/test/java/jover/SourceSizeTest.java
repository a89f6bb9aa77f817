package jover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The size rules of shared/ARCHITECTURE.md on the main sources: files under 500 lines, methods
 * under 60 (counted from the line that opens the body to the line that closes it). Methods are
 * found by a line-level reading of the source that relies on the project's formatting: a
 * declaration's body opens with '{' at the end of its last line; braces are counted from there.
 */
class SourceSizeTest {
    static final int MAX_FILE_LINES = 500;
    static final int MAX_METHOD_LINES = 60;
    private static final Path MAIN = Path.of("src/main/java");
    /** A line that ends a method or constructor declaration: a parameter list, maybe throws, then '{'. */
    private static final Pattern DECLARATION_END = Pattern.compile(
            "^\\s*+(?!(if|for|while|switch|catch|try|else|do|synchronized|return|new)\\b)(?!\\})"
                    + "([^=;]*\\)\\s*)?(throws [\\w., ]+)?\\{\\s*$");
    /** In a declaration's header: it declares a type, or it is an expression (lambda, initializer). */
    private static final Pattern TYPE_OR_EXPRESSION = Pattern.compile("\\b(class|record|interface|enum)\\b|->|=");
    private static final Pattern LITERAL_OR_COMMENT = Pattern.compile(
            "\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])+'|//.*$");

    @Test
    void mainFiles_areUnder500Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path p : mainSources()) {
            int n = Files.readAllLines(p).size();
            if (n > MAX_FILE_LINES) {
                tooLong.add(p + ": " + n + " lines");
            }
        }
        assertEquals(List.of(), tooLong);
    }

    @Test
    void mainMethods_areUnder60Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        int methods = 0;
        for (Path p : mainSources()) {
            List<String> lines = Files.readAllLines(p);
            for (int i = 0; i < lines.size(); i++) {
                if (!isMethodBodyStart(lines, i)) {
                    continue;
                }
                methods++;
                int length = closingLine(lines, i) - i + 1;
                if (length > MAX_METHOD_LINES) {
                    tooLong.add(p + ":" + (i + 1) + ": " + length + " lines");
                }
            }
        }
        assertTrue(methods > 500, "the reader found only " + methods + " methods: has the formatting changed?");
        assertEquals(List.of(), tooLong);
    }

    @Test
    void methodReader_findsMethodsAndTheEndOfTheirBodies() {
        List<String> src = List.of(
                "    record R(int a,",
                "             int b) {",
                "    int f(int a)",
                "            throws IOException {",
                "        if (a > 0) {",
                "            s = \"}\";",
                "        }",
                "        return 2;",
                "    }",
                "    Runnable r = () -> {",
                "    };");
        assertTrue(!isMethodBodyStart(src, 1), "a record is not a method");
        assertTrue(isMethodBodyStart(src, 3));
        assertTrue(!isMethodBodyStart(src, 4), "an if is not a method");
        assertTrue(!isMethodBodyStart(src, 9), "a lambda is not a method");
        assertEquals(8, closingLine(src, 3));
    }

    /** Whether line {@code i} opens the body of a method or constructor (its declaration may start above). */
    private static boolean isMethodBodyStart(List<String> lines, int i) {
        if (!DECLARATION_END.matcher(lines.get(i)).matches()) {
            return false;
        }
        int start = i;
        while (start > 0 && continues(lines.get(start - 1))) {
            start--;
        }
        String header = String.join(" ", lines.subList(start, i + 1));
        return !TYPE_OR_EXPRESSION.matcher(header).find();
    }

    /** Whether a line is part of a declaration that goes on below it. */
    private static boolean continues(String line) {
        String t = line.strip();
        return !t.isEmpty() && !t.endsWith(";") && !t.endsWith("{") && !t.endsWith("}") && !t.endsWith("*/")
                && !t.startsWith("@") && !t.startsWith("//") && !t.startsWith("*");
    }

    /** The line of the '}' that closes the '{' ending line {@code start} (braces in literals and comments ignored). */
    private static int closingLine(List<String> lines, int start) {
        int depth = 0;
        for (int j = start; j < lines.size(); j++) {
            String code = LITERAL_OR_COMMENT.matcher(lines.get(j)).replaceAll("");
            for (int k = 0; k < code.length(); k++) {
                char c = code.charAt(k);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            }
            if (depth <= 0) {
                return j;
            }
        }
        return lines.size() - 1;
    }

    private static List<Path> mainSources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
