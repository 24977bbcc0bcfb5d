package io.trainchain.jenkins;

import io.trainchain.jenkins.ConfigChecks.Check;
import io.trainchain.jenkins.ConfigChecks.Check.Kind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The form validations of the steps and the global configuration (the doCheck methods only add the permission). */
class ConfigChecksTest {

    private static void assertKind(Kind kind, Check c, String mentions) {
        assertEquals(kind, c.kind(), String.valueOf(c.message()));
        if (mentions != null) {
            assertTrue(c.message() != null && c.message().contains(mentions), c.message());
        }
    }

    @Test
    void thresholds() {
        assertKind(Kind.OK, ConfigChecks.threshold("0.80"), null);
        assertKind(Kind.OK, ConfigChecks.threshold(""), "0.80");
        assertKind(Kind.ERROR, ConfigChecks.threshold("eighty"), "'eighty' is not a number");
        assertKind(Kind.ERROR, ConfigChecks.threshold("NaN"), "finite");
        assertKind(Kind.WARNING, ConfigChecks.threshold("80"), "outside 0..1");
    }

    @Test
    void metricsDirectionsAndBuildResults() {
        assertKind(Kind.OK, ConfigChecks.metric("macro_f1"), null);
        assertKind(Kind.ERROR, ConfigChecks.metric("acc uracy"), "key of evaluation.json");
        assertKind(Kind.OK, ConfigChecks.direction("AT_MOST"), null);
        assertKind(Kind.ERROR, ConfigChecks.direction("up"), "at_least");
        assertKind(Kind.OK, ConfigChecks.belowGate("failure"), null);
        assertKind(Kind.OK, ConfigChecks.belowGate(null), "UNSTABLE");
        assertKind(Kind.ERROR, ConfigChecks.belowGate("ABORTED"), "'ABORTED'");
    }

    @Test
    void numbersAndSizes() {
        assertKind(Kind.OK, ConfigChecks.atLeast("0", 0, "restarts"), null);
        assertKind(Kind.ERROR, ConfigChecks.atLeast("-1", 0, "restarts"), "restarts must be 0 or more");
        assertKind(Kind.ERROR, ConfigChecks.atLeast("2.5", 1, "epochs"), "not a whole number");
        assertKind(Kind.OK, ConfigChecks.between("100", 0, 100, "restarts"), null);
        assertKind(Kind.OK, ConfigChecks.between("", 0, 100, "restarts"), null);
        assertKind(Kind.ERROR, ConfigChecks.between("101", 0, 100, "restarts"), "restarts must be 0 to 100, not 101");
        assertKind(Kind.ERROR, ConfigChecks.between("-1", 0, 100, "restarts"), "restarts must be 0 or more");
        assertKind(Kind.OK, ConfigChecks.positive("1.5", "cpus"), null);
        assertKind(Kind.ERROR, ConfigChecks.positive("0", "cpus"), "positive");
        assertKind(Kind.OK, ConfigChecks.memory("2g"), null);
        assertKind(Kind.OK, ConfigChecks.memory("1.5GiB"), null);
        assertKind(Kind.ERROR, ConfigChecks.memory("lots"), "2g");
        assertKind(Kind.OK, ConfigChecks.strategy("ASHA"), null);
        assertKind(Kind.ERROR, ConfigChecks.strategy("bayes"), "grid, random or asha");
        assertKind(Kind.ERROR, ConfigChecks.required(" ", "repository"), "repository is required");
    }

    @Test
    void searchSpaces() {
        assertKind(Kind.OK, ConfigChecks.space("learning_rate=choice:0.001,0.004; batch_size=int:32,128"), null);
        assertKind(Kind.OK, ConfigChecks.space(""), "trainchain.yaml");
        assertKind(Kind.ERROR, ConfigChecks.space("learning_rate=choice:0.1; dropout"), "'dropout'");
    }

    @Test
    void emails() {
        assertKind(Kind.OK, ConfigChecks.emails("a@example.org, b@example.org"), null);
        assertKind(Kind.ERROR, ConfigChecks.emails("a@example.org, bob"), "'bob'");
    }

    @Test
    void dockerHosts() {
        assertKind(Kind.OK, ConfigChecks.dockerHost("unix:///var/run/docker.sock"), null);
        assertKind(Kind.OK, ConfigChecks.dockerHost("tcp://docker.example.org:2376"), null);
        assertKind(Kind.OK, ConfigChecks.dockerHost(""), "DOCKER_HOST");
        assertKind(Kind.WARNING, ConfigChecks.dockerHost("tcp://10.0.0.5:2375"), "unencrypted");
        assertKind(Kind.ERROR, ConfigChecks.dockerHost("tcp://docker.example.org"), "host and a port");
        assertKind(Kind.ERROR, ConfigChecks.dockerHost("http://docker:2376"), "unix:///");
        assertKind(Kind.ERROR, ConfigChecks.dockerHost("unix://"), "unix:///var/run/docker.sock");
    }

    @Test
    void runStoresAndPorts() {
        assertKind(Kind.OK, ConfigChecks.runStore("/var/lib/trainchain/runs.db"), null);
        assertKind(Kind.ERROR, ConfigChecks.runStore("/var/lib/trainchain/"), "is a folder");
        assertKind(Kind.WARNING, ConfigChecks.runStore("runs.db"), "per workspace");
        assertKind(Kind.OK, ConfigChecks.smtpPort("587"), null);
        assertKind(Kind.ERROR, ConfigChecks.smtpPort("70000"), "1 to 65535");
        assertKind(Kind.ERROR, ConfigChecks.smtpPort("0"), "1 or more");
        assertKind(Kind.OK, ConfigChecks.smtpSecurity("TLS"), null);
        assertKind(Kind.WARNING, ConfigChecks.smtpSecurity("none"), "unencrypted");
        assertKind(Kind.ERROR, ConfigChecks.smtpSecurity("ssl"), "'ssl'");
    }
}
