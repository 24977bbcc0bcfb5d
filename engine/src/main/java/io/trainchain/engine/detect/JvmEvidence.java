package io.trainchain.engine.detect;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Evidence from the JVM side: Java imports and the dependencies of pom.xml and build.gradle(.kts). */
final class JvmEvidence {

    private static final Pattern JAVA_IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)");
    private static final Pattern POM_GROUP = Pattern.compile("<groupId>\\s*([\\w.\\-]+)\\s*</groupId>");
    private static final Pattern GRADLE_COORD = Pattern.compile("['\"]([\\w.\\-]+):[\\w.\\-]+(?::[^'\"]*)?['\"]");
    private static final Pattern GRADLE_GROUP = Pattern.compile("group\\s*[:=]\\s*['\"]([\\w.\\-]+)['\"]");

    private final EvidenceCollector out;

    JvmEvidence(EvidenceCollector out) {
        this.out = out;
    }

    void java(String file, String text) {
        String[] lines = EvidenceCollector.lines(text);
        String[] code = stripCComments(lines);
        for (int i = 0; i < code.length; i++) {
            Matcher m = JAVA_IMPORT.matcher(code[i]);
            if (m.find()) {
                int line = i + 1;
                String snippet = lines[i];
                Packages.javaName(m.group(1))
                        .ifPresent(f -> out.add(f, file, line, snippet, Evidence.Kind.JAVA_IMPORT));
            }
        }
    }

    void pom(String file, String text) {
        String[] lines = EvidenceCollector.lines(text);
        boolean inComment = false;
        for (int i = 0; i < lines.length; i++) {
            StringBuilder code = new StringBuilder();
            String l = lines[i];
            int k = 0;
            while (k < l.length()) {
                if (inComment) {
                    int end = l.indexOf("-->", k);
                    if (end < 0) {
                        k = l.length();
                    } else {
                        inComment = false;
                        k = end + 3;
                    }
                } else {
                    int start = l.indexOf("<!--", k);
                    if (start < 0) {
                        code.append(l, k, l.length());
                        k = l.length();
                    } else {
                        code.append(l, k, start);
                        inComment = true;
                        k = start + 4;
                    }
                }
            }
            Matcher m = POM_GROUP.matcher(code);
            while (m.find()) {
                int line = i + 1;
                Packages.javaName(m.group(1))
                        .ifPresent(f -> out.add(f, file, line, lines[line - 1], Evidence.Kind.BUILD_DEPENDENCY));
            }
        }
    }

    void gradle(String file, String text) {
        String[] lines = EvidenceCollector.lines(text);
        String[] code = stripCComments(lines);
        for (int i = 0; i < code.length; i++) {
            int line = i + 1;
            for (Pattern p : List.of(GRADLE_COORD, GRADLE_GROUP)) {
                Matcher m = p.matcher(code[i]);
                while (m.find()) {
                    Packages.javaName(m.group(1))
                            .ifPresent(f -> out.add(f, file, line, lines[line - 1], Evidence.Kind.BUILD_DEPENDENCY));
                }
            }
        }
    }

    /** Blanks out // and block comments in Java/Groovy/Kotlin lines, keeping line numbers. */
    private static String[] stripCComments(String[] lines) {
        String[] out = new String[lines.length];
        boolean inBlock = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            StringBuilder code = new StringBuilder();
            int k = 0;
            while (k < l.length()) {
                if (inBlock) {
                    int end = l.indexOf("*/", k);
                    if (end < 0) {
                        k = l.length();
                    } else {
                        inBlock = false;
                        k = end + 2;
                    }
                } else if (l.startsWith("/*", k)) {
                    inBlock = true;
                    k += 2;
                } else if (l.startsWith("//", k)) {
                    k = l.length();
                } else {
                    code.append(l.charAt(k));
                    k++;
                }
            }
            out[i] = code.toString();
        }
        return out;
    }
}
