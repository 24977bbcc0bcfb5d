package io.trainchain.engine.docker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads apt's source lists for {@link BaseImage}: debootstrap downloads from the mirror this machine already uses. */
final class AptSources {

    private AptSources() {
    }

    /**
     * The Debian mirror apt uses here: the first URI of a deb822 stanza in sources.list.d/*.sources, else the
     * first "deb" line of sources.list, skipping security mirrors (they only carry updates); null when none.
     */
    static String firstMirror(Path aptDir) {
        List<Path> files = new ArrayList<>();
        Path dir = aptDir.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.sources")) {
                ds.forEach(files::add);
            } catch (IOException ignored) {
                // unreadable: fall through to sources.list
            }
        }
        files.sort(null);
        for (Path f : files) {
            String uri = firstDeb822Uri(f);
            if (uri != null) {
                return uri;
            }
        }
        Path list = aptDir.resolve("sources.list");
        if (Files.isRegularFile(list)) {
            try {
                for (String line : Files.readAllLines(list)) {
                    String[] parts = line.trim().split("\\s+");
                    if (parts.length >= 3 && parts[0].equals("deb")) {
                        int i = 1;
                        if (parts[i].startsWith("[")) { // options like [arch=amd64 signed-by=...]
                            while (i < parts.length && !parts[i].endsWith("]")) {
                                i++;
                            }
                            i++;
                        }
                        if (i < parts.length && usableMirror(parts[i])) {
                            return parts[i];
                        }
                    }
                }
            } catch (IOException ignored) {
                // unreadable: none (the caller falls back to the default)
            }
        }
        return null;
    }

    private static String firstDeb822Uri(Path file) {
        try {
            String text = Files.readString(file);
            for (String stanza : text.split("\\n\\s*\\n")) {
                boolean deb = false;
                String uris = null;
                for (String line : stanza.split("\\n")) {
                    String l = line.trim();
                    String lower = l.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("types:")) {
                        deb = List.of(l.substring(6).trim().split("\\s+")).contains("deb");
                    } else if (lower.startsWith("uris:")) {
                        uris = l.substring(5).trim();
                    }
                }
                if (deb && uris != null) {
                    for (String u : uris.split("\\s+")) {
                        if (usableMirror(u)) {
                            return u;
                        }
                    }
                }
            }
        } catch (IOException ignored) {
            // unreadable: next file
        }
        return null;
    }

    private static boolean usableMirror(String uri) {
        return (uri.startsWith("http://") || uri.startsWith("https://")) && !uri.contains("security");
    }
}
