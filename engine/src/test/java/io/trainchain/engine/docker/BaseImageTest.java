package io.trainchain.engine.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BaseImageTest {

    @Test
    void mirrorComesFromDeb822SourcesSkippingSecurity(@TempDir Path apt) throws Exception {
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list.d/debian.sources"), """
                Types: deb
                URIs: http://security.debian.org/debian-security
                Suites: bookworm-security

                Types: deb deb-src
                URIs: http://mirror.example/debian
                Suites: bookworm bookworm-updates
                Components: main
                """);
        assertEquals("http://mirror.example/debian", BaseImage.detectMirror(apt));
    }

    @Test
    void mirrorFromClassicSourcesListWithOptions(@TempDir Path apt) throws Exception {
        Files.writeString(apt.resolve("sources.list"), """
                # comment
                deb [arch=amd64 signed-by=/x.gpg] https://mirror2.example/debian bookworm main
                """);
        assertEquals("https://mirror2.example/debian", BaseImage.detectMirror(apt));
    }

    @Test
    void defaultWhenNothingIsConfigured(@TempDir Path apt) {
        assertEquals(BaseImage.DEFAULT_MIRROR, BaseImage.detectMirror(apt));
    }
}
