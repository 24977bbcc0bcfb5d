package io.trainchain.engine.chain;

import com.sun.net.httpserver.HttpServer;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.docker.TestDocker;
import io.trainchain.engine.store.RunStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a Python image build does beyond the recipes, for real: trainchain.yaml's install layer pip-installs a
 * requirement the image lacks from the repository's own wheels (offline) and from a package index (a real HTTP
 * index on this host, reached from the build over Docker's bridge, as a private index would be), a requirement no
 * index has is bad input naming it, and a TensorFlow repository trains with a recipe of its own under the Python
 * contract (TensorFlow itself cannot be installed here: that recipe is the scikit-learn one, which is the point:
 * the engine does not care what the recipe holds).
 */
class PythonBuildIT extends ChainFixture {

    /** examples/sklearn-fashion, needing {@code requirement} too, printing the module's VALUE first. */
    private Path repo(String name, String requirement, String install) throws IOException {
        Path repo = Files.createDirectories(tmp.resolve(name));
        Path example = ROOT.resolve("examples/sklearn-fashion");
        try (Stream<Path> s = Files.list(example)) {
            for (Path f : s.toList()) {
                Files.copy(f, repo.resolve(f.getFileName()));
            }
        }
        String module = requirement.split("[=<>]")[0];
        Files.writeString(repo.resolve("train.py"), "import " + module + "\nprint('" + module + " value', " + module
                + ".VALUE, flush=True)\n" + Files.readString(repo.resolve("train.py")));
        Files.writeString(repo.resolve("requirements.txt"), requirement + "\n", StandardOpenOption.APPEND);
        Files.writeString(repo.resolve("trainchain.yaml"), "install: " + install + "\n",
                StandardOpenOption.APPEND);
        return repo;
    }

    private ChainResult run(Path repo, Path dockerfiles, List<String> lines) {
        ChainRequest req = ChainRequest.of(repo, null, dockerfiles).withOutput(tmp.resolve("out-" + repo.getFileName()),
                null).withImages(2000, null).withGate(new GateOverride(null, 0.5, null));
        return new ChainRunner(() -> DockerConnector.fromEnvironment().connect()).run(req, store, (step, line) -> {
            System.out.println("[" + step + "] " + line);
            lines.add(line);
        });
    }

    @Test
    void theInstallLayerInstallsWhatTheImageLacksFromTheRepositorysWheelsAndFromAnIndex() throws IOException {
        // Offline: only the repository's wheels/ (pip --no-index).
        Path offline = repo("wheels", "tcdemo>=1.0", "{find_links: wheels}");
        // ... listed in a file requirements.txt includes: checked and installed alike.
        Files.writeString(offline.resolve("requirements.txt"), Files.readString(offline.resolve("requirements.txt"))
                .replace("tcdemo>=1.0\n", "-r req/extra.txt\n"));
        Files.createDirectories(offline.resolve("req"));
        Files.writeString(offline.resolve("req/extra.txt"), "tcdemo>=1.0\n");
        Files.createDirectories(offline.resolve("wheels"));
        Files.write(offline.resolve("wheels/tcdemo-1.0-py3-none-any.whl"), Wheels.pure("tcdemo", "1.0", "VALUE = 1\n"));
        List<String> lines = new CopyOnWriteArrayList<>();
        ChainResult r = run(offline, ROOT.resolve("dockerfiles"), lines);
        assertEquals(RunStatus.PASSED, r.status(), r.gate().message());
        assertTrue(lines.contains("tcdemo value 1"), "the script imported the installed module");
        assertTrue(lines.stream().anyMatch(x -> x.contains("Successfully installed tcdemo-1.0")), "pip's own line");
        assertTrue(lines.stream().anyMatch(x -> x.contains("pip-installing 3 requirement(s) of requirements.txt from "
                + "the repository's wheels/")), "says what it installs from where");

        // A code change alone rebuilds only the code layer: the install step is not run again.
        Files.writeString(offline.resolve("train.py"), "# changed\n" + Files.readString(offline.resolve("train.py")));
        lines.clear();
        assertEquals(RunStatus.PASSED, run(offline, ROOT.resolve("dockerfiles"), lines).status());
        assertTrue(lines.stream().anyMatch(x -> x.startsWith("building trainchain/train-sklearn:")), "rebuilt");
        assertTrue(lines.stream().noneMatch(x -> x.contains("pip-installing")), "install layer reused");

        // An index: a real HTTP one with tcdemo 2.0, reached from the build over the bridge.
        List<String> requested = new CopyOnWriteArrayList<>();
        HttpServer index = Wheels.index(Map.of("tcdemo", Wheels.pure("tcdemo", "2.0", "VALUE = 2\n")), requested);
        try {
            String url = "http://" + bridgeGateway() + ":" + index.getAddress().getPort() + "/simple";
            lines.clear();
            ChainResult fromIndex = run(repo("index", "tcdemo>=1.0", "{index_url: '" + url + "'}"),
                    ROOT.resolve("dockerfiles"), lines);
            assertEquals(RunStatus.PASSED, fromIndex.status(), fromIndex.gate().message());
            assertTrue(lines.contains("tcdemo value 2"), lines.toString());
            assertEquals(List.of("/simple/tcdemo/", "/files/tcdemo-2.0-py3-none-any.whl"), requested,
                    "only what the image lacks is fetched: scikit-learn and numpy are the image's own");
            assertTrue(lines.stream().anyMatch(x -> x.contains("plain http")), "warned");

            // A requirement the index does not have: bad input naming it, before anything trains.
            lines.clear();
            Path missing = repo("missing", "tcmissing==3.1", "{index_url: '" + url + "'}");
            ChainException e = assertThrows(ChainException.class, () -> run(missing, ROOT.resolve("dockerfiles"),
                    lines));
            assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("cannot be met from " + url + ": tcmissing==3.1"), e.getMessage());
            assertTrue(lines.stream().noneMatch(x -> x.startsWith("container ")), "no training container started");

            // An index that cannot be reached is not the repository's fault.
            String closed = "http://" + bridgeGateway() + ":" + freePort() + "/simple";
            ChainException down = assertThrows(ChainException.class, () -> run(repo("down", "tcdemo>=1.0",
                    "{index_url: '" + closed + "'}"), ROOT.resolve("dockerfiles"), lines));
            assertEquals(TrainchainException.Kind.INFRASTRUCTURE, down.kind(), down.getMessage());
            assertTrue(down.getMessage().contains("from " + closed + ": the index could not be reached"),
                    down.getMessage());
        } finally {
            index.stop(0);
        }
    }

    @Test
    void aTensorflowRepositoryTrainsWithARecipeOfItsOwnUnderThePythonContract() throws IOException {
        Path repo = repo("tf", "tcdemo", "{find_links: wheels}");
        Files.createDirectories(repo.resolve("wheels"));
        Files.write(repo.resolve("wheels/tcdemo-1.0-py3-none-any.whl"), Wheels.pure("tcdemo", "1.0", "VALUE = 3\n"));
        Files.writeString(repo.resolve("trainchain.yaml"), Files.readString(repo.resolve("trainchain.yaml"))
                .replace("framework: sklearn", "framework: tensorflow"));
        Path dockerfiles = Files.createDirectories(tmp.resolve("dockerfiles/tensorflow"));
        Files.copy(ROOT.resolve("dockerfiles/sklearn/Dockerfile"), dockerfiles.resolve("Dockerfile"));
        List<String> lines = new CopyOnWriteArrayList<>();
        ChainResult r = run(repo, dockerfiles.getParent(), lines);
        assertEquals(Framework.TENSORFLOW, r.detection().framework());
        assertEquals(RunStatus.PASSED, r.status(), r.gate().message());
        assertTrue(lines.contains("tcdemo value 3"), "its own recipe got the install layer and the launcher");
        assertTrue(r.model().getFileName().toString().endsWith(".joblib"), "the model collected: " + r.model());
        assertEquals("tensorflow", store.getRun(r.runId()).orElseThrow().framework());

        // The same repository without the install layer in its recipe: told what to add, before any build.
        Files.writeString(dockerfiles.resolve("Dockerfile"), Files.readString(dockerfiles.resolve("Dockerfile"))
                .lines().filter(l -> !l.contains("trainchain-install") && !l.contains("trainchain_install"))
                .reduce("", (a, b) -> a + b + "\n"));
        ChainException e = assertThrows(ChainException.class, () -> run(repo, dockerfiles.getParent(), lines));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("has no install layer; add, before its USER and code lines:"),
                e.getMessage());
        assertFalse(e.getMessage().contains("image build failed"), e.getMessage());
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String bridgeGateway() {
        var ipam = TestDocker.connection().client().inspectNetworkCmd().withNetworkId("bridge").exec().getIpam();
        return ipam.getConfig().get(0).getGateway();
    }
}
