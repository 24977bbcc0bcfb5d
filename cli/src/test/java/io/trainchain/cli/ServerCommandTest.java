package io.trainchain.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `trainchain server` refuses to start on bad input, saying what to do, and never prints the secret. */
class ServerCommandTest {
    @TempDir
    Path tmp;

    private Path config() throws Exception {
        return Files.writeString(tmp.resolve("server.yaml"), "listen: 127.0.0.1:0\nrepositories: []\n");
    }

    @Test
    void withoutASecretItRefusesToStart() throws Exception {
        // the build's environment has no TRAINCHAIN_WEBHOOK_SECRET; with one this test would start a server
        assertTrue(System.getenv(ServerCommand.SECRET_ENV) == null, "unset " + ServerCommand.SECRET_ENV);
        TrainCommandIT.Result r = TrainCommandIT.run("server", "--config", config().toString(), "--store",
                tmp.resolve("runs.db").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("no webhook secret") && r.err().contains("--insecure-no-secret"), r.err());
    }

    @Test
    void anUnreadableSecretFileIsNamedButNothingOfItIsPrinted() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "s3cr3t-value");
        TrainCommandIT.Result r = TrainCommandIT.run("server", "--config", config().toString(), "--secret-file",
                tmp.resolve("missing").toString(), "--store", tmp.resolve("runs.db").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("cannot read the secret file " + tmp.resolve("missing")), r.err());
        TrainCommandIT.Result bad = TrainCommandIT.run("server", "--config", tmp.resolve("nope.yaml").toString(),
                "--secret-file", secret.toString(), "--store", tmp.resolve("runs.db").toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("nope.yaml"), bad.err());
        assertFalse((r.out() + r.err() + bad.out() + bad.err()).contains("s3cr3t-value"));
    }

    @Test
    void aPortInUseIsSaid() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "x");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            TrainCommandIT.Result r = TrainCommandIT.run("server", "--config", config().toString(), "--secret-file",
                    secret.toString(), "--listen", "127.0.0.1:" + taken.getLocalPort(), "--store",
                    tmp.resolve("runs.db").toString());
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
            assertTrue(r.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), r.err());
        }
    }

    @Test
    void aBadListenOptionSaysTheForm() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "x");
        TrainCommandIT.Result r = TrainCommandIT.run("server", "--config", config().toString(), "--secret-file",
                secret.toString(), "--listen", "localhost", "--store", tmp.resolve("runs.db").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("HOST:PORT"), r.err());
    }
}
