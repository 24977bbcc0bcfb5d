package io.trainchain.engine.server;

import io.trainchain.engine.TrainchainException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigParserTest {
    private static final Path FILE = Path.of("/etc/trainchain/server.yaml");

    @Test
    void readsTheDocumentedFile() {
        ServerConfig c = ServerConfigParser.parse(FILE, """
                listen: 127.0.0.1:9090
                workers: 2
                supersede: false
                repositories:
                  - name: fashion
                    url: https://github.com/acme/fashion.git
                    aliases: [acme/fashion]
                    branches: [main]
                    token_env: FASHION_TOKEN
                    chain: {limit: 2000, epochs: 2, threshold: 0.8}
                    schedules:
                      - {name: weekly, cron: "0 3 * * 1", zone: Europe/Berlin, branch: main}
                """);
        assertEquals("127.0.0.1", c.host());
        assertEquals(9090, c.port());
        assertEquals(2, c.workers());
        assertEquals(1, c.perBranch());
        assertEquals(false, c.supersede());
        ServerConfig.Repository r = c.repositories().get(0);
        assertEquals(2000, r.chain().limit());
        assertEquals(0.8, r.chain().threshold());
        assertEquals(ZoneId.of("Europe/Berlin"), r.schedules().get(0).zone());
        assertTrue(c.repositoryNamed(List.of("acme/fashion")).isPresent());
        assertTrue(c.repositoryNamed(List.of("https://github.com/acme/fashion.git")).isPresent());
        assertTrue(c.repositoryNamed(List.of("acme/other")).isEmpty());
    }

    @Test
    void mistakesNameTheKeyAndWhatIsExpected() {
        assertBad("repositories: [{name: a, url: https://x/a.git, schedules: [{name: s, cron: \"61 * * * *\", "
                + "zone: UTC, branch: main}]}]", "s.cron");
        assertBad("repositories: [{name: a, url: https://x/a.git, schedules: [{name: s, cron: \"0 3 * * 1\", "
                + "zone: Mars/Olympus, branch: main}]}]", "time zone");
        assertBad("repositories: [{name: a, url: https://x/a.git, schedules: [{name: s, cron: \"0 3 * * 1\", "
                + "branch: main}]}]", "'zone' is missing");
        assertBad("repositories: [{name: a, url: git@github.com:a.git}]", "https:// or file://");
        assertBad("listen: 8080x", "host:port");
        assertBad("workers: 0", "positive");
        assertBad("repository: []", "key 'repository'");
        assertBad("repositories: [{name: a, url: https://x/a.git}, {name: a, url: https://x/b.git}]", "used once");
    }

    private static void assertBad(String yaml, String expected) {
        TrainchainException e = assertThrows(TrainchainException.class, () -> ServerConfigParser.parse(FILE, yaml));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
    }
}
