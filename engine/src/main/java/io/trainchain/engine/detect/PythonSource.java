package io.trainchain.engine.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A small Python tokenizer: enough to tell a real {@code import torch} from the word torch in a comment,
 * a string or a docstring. Comments are dropped; string literals (any prefix, triple-quoted, multi-line)
 * become single STRING tokens so their text can never look like code.
 */
final class PythonSource {

    enum Type { NAME, NUMBER, STRING, OP, NEWLINE }

    record Token(Type type, String text, int line) {
        boolean is(Type t, String s) {
            return type == t && text.equals(s);
        }
    }

    /** A module named by an import statement: "torch.nn" from {@code from torch.nn import Linear}. */
    record Import(String module, int line) {
        String topLevel() {
            int dot = module.indexOf('.');
            return dot < 0 ? module : module.substring(0, dot);
        }
    }

    private static final Set<String> STRING_PREFIXES =
            Set.of("r", "u", "b", "f", "br", "rb", "fr", "rf");

    private PythonSource() {
    }

    static List<Token> tokenize(String src) {
        List<Token> out = new ArrayList<>();
        int n = src.length();
        int i = 0;
        int line = 1;
        int depth = 0;
        while (i < n) {
            char c = src.charAt(i);
            if (c == '\n') {
                // Inside brackets a newline does not end the statement.
                if (depth == 0 && !out.isEmpty() && out.get(out.size() - 1).type() != Type.NEWLINE) {
                    out.add(new Token(Type.NEWLINE, "\n", line));
                }
                line++;
                i++;
            } else if (c == '#') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\\' && i + 1 < n && (src.charAt(i + 1) == '\n' || src.charAt(i + 1) == '\r')) {
                // Explicit line continuation.
                i += src.startsWith("\r\n", i + 1) ? 3 : 2;
                line++;
            } else if (c == '"' || c == '\'') {
                i = readString(src, i, line, out);
                line = out.get(out.size() - 1).line() + countNewlines(out.get(out.size() - 1).text());
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                    i++;
                }
                String word = src.substring(start, i);
                if (i < n && (src.charAt(i) == '"' || src.charAt(i) == '\'')
                        && STRING_PREFIXES.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                    i = readString(src, i, line, out);
                    line = out.get(out.size() - 1).line() + countNewlines(out.get(out.size() - 1).text());
                } else {
                    out.add(new Token(Type.NAME, word, line));
                }
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_'
                        || src.charAt(i) == '.')) {
                    i++;
                }
                out.add(new Token(Type.NUMBER, src.substring(start, i), line));
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                    depth--;
                }
                out.add(new Token(Type.OP, String.valueOf(c), line));
                i++;
            }
        }
        return out;
    }

    /** Reads the literal starting at the quote at {@code i}; returns the index after it. Unterminated ends at EOL/EOF. */
    private static int readString(String src, int i, int line, List<Token> out) {
        int n = src.length();
        char q = src.charAt(i);
        boolean triple = i + 2 < n && src.charAt(i + 1) == q && src.charAt(i + 2) == q;
        int j = i + (triple ? 3 : 1);
        StringBuilder text = new StringBuilder();
        while (j < n) {
            char c = src.charAt(j);
            if (c == '\\' && j + 1 < n) {
                // Even in raw strings a backslash keeps the next quote from closing the literal.
                text.append(c).append(src.charAt(j + 1));
                j += 2;
            } else if (triple && c == q && src.startsWith(String.valueOf(q).repeat(3), j)) {
                j += 3;
                break;
            } else if (!triple && c == q) {
                j++;
                break;
            } else if (!triple && c == '\n') {
                break;
            } else {
                text.append(c);
                j++;
            }
        }
        out.add(new Token(Type.STRING, text.toString(), line));
        return j;
    }

    private static int countNewlines(String s) {
        int count = 0;
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                count++;
            }
        }
        return count;
    }

    /** Absolute imports only: relative ones ({@code from . import x}) name the project's own modules. */
    static List<Import> imports(List<Token> tokens) {
        List<Import> out = new ArrayList<>();
        boolean statementStart = true;
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (statementStart && t.is(Type.NAME, "import")) {
                int j = k + 1;
                while (j < tokens.size()) {
                    int line = tokens.get(j).line();
                    StringBuilder module = new StringBuilder();
                    j = dottedName(tokens, j, module);
                    if (module.length() == 0) {
                        break;
                    }
                    out.add(new Import(module.toString(), line));
                    if (j + 1 < tokens.size() && tokens.get(j).is(Type.NAME, "as")) {
                        j += 2;
                    }
                    if (j < tokens.size() && tokens.get(j).is(Type.OP, ",")) {
                        j++;
                    } else {
                        break;
                    }
                }
            } else if (statementStart && t.is(Type.NAME, "from") && k + 1 < tokens.size()) {
                StringBuilder module = new StringBuilder();
                int j = dottedName(tokens, k + 1, module);
                if (module.length() > 0 && j < tokens.size() && tokens.get(j).is(Type.NAME, "import")) {
                    out.add(new Import(module.toString(), t.line()));
                }
            }
            // "if x: import torch" and "a; import torch" start a new simple statement too.
            statementStart = t.type() == Type.NEWLINE || t.is(Type.OP, ";") || t.is(Type.OP, ":");
        }
        return out;
    }

    private static int dottedName(List<Token> tokens, int j, StringBuilder into) {
        while (j < tokens.size() && tokens.get(j).type() == Type.NAME) {
            into.append(tokens.get(j).text());
            j++;
            if (j + 1 < tokens.size() && tokens.get(j).is(Type.OP, ".") && tokens.get(j + 1).type() == Type.NAME) {
                into.append('.');
                j++;
            } else {
                break;
            }
        }
        return j;
    }
}
