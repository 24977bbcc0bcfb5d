package io.trainchain.engine.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.PipInstall;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstallLayerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path repo;
    @TempDir
    Path recipe;
    private Path config;

    @BeforeEach
    void realRecipe() throws IOException {
        Files.copy(Path.of("..", "dockerfiles", "pytorch", "Dockerfile"), recipe.resolve("Dockerfile"));
        config = repo.resolve("trainchain.yaml");
    }

    private JsonNode manifest(Map<String, byte[]> files) throws IOException {
        return JSON.readTree(files.get(InstallLayer.CONTEXT_DIR + "install.json"));
    }

    @Test
    void withoutInstallOnlyAnEmptyManifestSoTheRecipesCopyFindsItsFolder() throws IOException {
        Files.writeString(repo.resolve("requirements.txt"), "numpy\n");
        Map<String, byte[]> files = InstallLayer.contextFiles(repo, Optional.empty(), recipe, config);
        assertEquals(List.of(InstallLayer.CONTEXT_DIR + "install.json"), List.copyOf(files.keySet()));
        assertEquals(0, manifest(files).size());
    }

    @Test
    void theRequirementFilesTheWheelsAndWhereFromGoIntoTheLayer() throws IOException {
        Files.writeString(repo.resolve("requirements.txt"), "tcdemo>=1\n");
        Files.writeString(repo.resolve("pyproject.toml"), "[project]\ndependencies = [\"x\"]\n");
        Files.createDirectories(repo.resolve("wheels"));
        Files.write(repo.resolve("wheels/tcdemo-1.0-py3-none-any.whl"), new byte[]{1, 2, 3});
        Files.writeString(repo.resolve("wheels/README"), "not a wheel");
        Map<String, byte[]> files = InstallLayer.contextFiles(repo, Optional.of(new PipInstall(
                Optional.of(URI.create("https://pypi.example.com/simple")), Optional.of("wheels"))), recipe, config);
        assertEquals(List.of("trainchain-install/requirements.txt", "trainchain-install/pyproject.toml",
                "trainchain-install/wheels/tcdemo-1.0-py3-none-any.whl", "trainchain-install/install.json"),
                List.copyOf(files.keySet()));
        assertArrayEquals(new byte[]{1, 2, 3}, files.get("trainchain-install/wheels/tcdemo-1.0-py3-none-any.whl"));
        JsonNode m = manifest(files);
        assertEquals("[\"requirements.txt\",\"pyproject.toml\"]", m.get("files").toString());
        assertEquals("https://pypi.example.com/simple", m.get("index_url").asText());
        assertEquals("wheels", m.get("find_links").asText());
        assertFalse(m.get("no_index").asBoolean());

        Map<String, byte[]> offline = InstallLayer.contextFiles(repo, Optional.of(new PipInstall(Optional.empty(),
                Optional.of("wheels"))), recipe, config);
        assertTrue(manifest(offline).get("no_index").asBoolean(), "wheels alone: pip --no-index");
    }

    @Test
    void filesARequirementsFileIncludesGoAlongAtTheirPaths() throws IOException {
        Files.createDirectories(repo.resolve("req"));
        Files.writeString(repo.resolve("requirements.txt"), "-r req/base.txt  # shared\nnumpy\n-r absent.txt\n");
        Files.writeString(repo.resolve("req/base.txt"), "--requirement=../extra.txt\n-r base.txt\ntcdemo\n");
        Files.writeString(repo.resolve("extra.txt"), "tcother\n");
        Map<String, byte[]> files = InstallLayer.contextFiles(repo, Optional.of(PipInstall.DEFAULT_INDEX), recipe,
                config);
        assertEquals(List.of("trainchain-install/requirements.txt", "trainchain-install/req/base.txt",
                "trainchain-install/extra.txt", "trainchain-install/install.json"), List.copyOf(files.keySet()),
                "a cycle is copied once; a missing include is left to the installer's check, which names its line");
        assertEquals("[\"requirements.txt\"]", manifest(files).get("files").toString());
    }

    @Test
    void eachBadInstallNamesTheKeyAndWhatToDo() throws IOException {
        String none = fails(PipInstall.DEFAULT_INDEX).getMessage();
        assertTrue(none.startsWith(config + ": install is set, but " + repo + " has no requirements.txt or "
                + "pyproject.toml to install from"), none);

        Files.writeString(repo.resolve("requirements.txt"), "tcdemo\n");
        PipInstall links = new PipInstall(Optional.empty(), Optional.of("wheels"));
        assertTrue(fails(links).getMessage().contains("install.find_links 'wheels' is not a folder in " + repo));
        Files.createDirectories(repo.resolve("wheels"));
        assertTrue(fails(links).getMessage().contains("install.find_links 'wheels' holds no wheel or source archive"
                + " (.whl, .tar.gz, .zip); build them with `pip wheel -r requirements.txt -w wheels`"));

        // A recipe of the user's own without the install layer: the lines to add, not a build failure later.
        Files.writeString(recipe.resolve("Dockerfile"), "FROM x\nCOPY code/ /opt/trainchain/code/\n");
        String message = fails(PipInstall.DEFAULT_INDEX).getMessage();
        assertTrue(message.contains("the image recipe " + recipe.resolve("Dockerfile") + " has no install layer"),
                message);
        assertTrue(message.contains("COPY trainchain-install/ /opt/trainchain/install/"), message);
        assertTrue(message.contains("RUN [\"python3\", \"/opt/trainchain/python/trainchain_install.py\""), message);
    }

    private TrainchainException fails(PipInstall install) {
        TrainchainException e = assertThrows(TrainchainException.class,
                () -> InstallLayer.contextFiles(repo, Optional.of(install), recipe, config));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        return e;
    }
}
