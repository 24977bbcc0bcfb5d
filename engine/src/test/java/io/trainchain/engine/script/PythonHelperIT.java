package io.trainchain.engine.script;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.ContainerRun;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.TestDocker;
import io.trainchain.engine.docker.TrainInContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python helper's own tests (src/test/python: trainchain.py and trainchain_launch.py) run by unittest inside
 * the real training images, in a container locked down like a training one (uid 1000, no network, read-only root,
 * tmpfs /tmp), with the tests and the working tree's helper mounted read-only. The images are built as the chain
 * builds them for the examples (same recipe, base, code and helper: the same content hash), so PythonChainIT and
 * this IT share one build of each. Tests marked {@code @needs("torch")} / {@code @needs("sklearn")} must run (and
 * print a marker) in the image that has the package and be skipped in the other: the counts come from the sources.
 */
class PythonHelperIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TESTS = ROOT.resolve("engine/src/test/python");
    private static final Path HELPER = ROOT.resolve("engine/src/main/resources/io/trainchain/engine/python");
    private static final String IN_CONTAINER = "/opt/trainchain/tests";
    private static final Duration BUILD = Duration.ofMinutes(20);
    private static final Duration RUN = Duration.ofMinutes(5);
    private static final String MARKER = "TRAINCHAIN-TEST-RAN-WITH ";

    @BeforeAll
    static void docker() {
        TestDocker.connection(); // fails here, loudly, without a Docker engine
    }

    @Test
    void helperTestsPassInTheScikitLearnImage() throws IOException {
        runIn("sklearn", "sklearn-fashion", "sklearn", "torch");
    }

    @Test
    void helperTestsPassInThePytorchImage() throws IOException {
        runIn("pytorch", "pytorch-fashion", "torch", "sklearn");
    }

    private static void runIn(String recipe, String example, String has, String lacks) throws IOException {
        String sources = testSources();
        int total = count(Pattern.compile("(?m)^[ \\t]+def test_"), sources);
        int needsHas = count(Pattern.compile(Pattern.quote("@needs(\"" + has + "\")")), sources);
        int needsLacks = count(Pattern.compile(Pattern.quote("@needs(\"" + lacks + "\")")), sources);
        assertTrue(needsHas > 0 && total > needsHas + needsLacks, "tests for every image and some for " + has);

        List<String> lines = run(image(recipe, example), recipe);
        String output = String.join("\n", lines);
        Matcher ran = Pattern.compile("(?m)^Ran (\\d+) tests? in ").matcher(output);
        assertTrue(ran.find(), "unittest's summary in the output");
        assertEquals(total, Integer.parseInt(ran.group(1)), "every test_ method of src/test/python ran");
        assertTrue(lines.contains(needsLacks == 0 ? "OK" : "OK (skipped=" + needsLacks + ")"),
                "only the tests that need " + lacks + " are skipped in the " + recipe + " image");
        assertEquals(needsHas, lines.stream().filter(l -> l.startsWith(MARKER + has + ": ")).count(),
                "each test that needs " + has + " ran in the " + recipe + " image");
        assertTrue(lines.stream().noneMatch(l -> l.startsWith(MARKER + lacks + ": ")), lacks + " tests ran?");
    }

    /** The training image as the chain builds it for {@code example}: cached by content hash after the first. */
    private static String image(String recipe, String example) {
        var log = new TestDocker.Recording("build-" + recipe);
        String base = new BaseImage(TestDocker.connection())
                .ensure(BaseImage.Request.of(BaseImage.Flavor.DEBIAN, log)).image();
        return new BuildTrainingImage(TestDocker.connection().client()).run(new BuildTrainingImage.Request(
                ROOT.resolve("dockerfiles").resolve(recipe), null, ROOT.resolve("examples").resolve(example), base,
                Map.of(), BUILD, log, PythonImage.contextFiles())).tag();
    }

    /** unittest in a locked-down container; returns its output lines (also echoed to stdout as they come). */
    private static List<String> run(String image, String recipe) {
        List<Bind> binds = List.of(new Bind(TESTS.toString(), new Volume(IN_CONTAINER), AccessMode.ro),
                new Bind(HELPER.toString(), new Volume(PythonImage.DIR), AccessMode.ro));
        ContainerSpec spec = ContainerSpec.lockedDown(image, List.of(), Map.of(), binds,
                        TrainInContainer.Limits.DEFAULT, TrainInContainer.CONTAINER_UID + ":"
                                + TrainInContainer.CONTAINER_GID, Map.of("io.trainchain.step", "python-helper-it"))
                .withEntrypoint(List.of("python3", "-m", "unittest", "discover", "-v", "-s", IN_CONTAINER));
        assertEquals("none", spec.host().getNetworkMode());
        assertTrue(spec.host().getReadonlyRootfs() && spec.host().getTmpFs().containsKey("/tmp"));

        var log = new TestDocker.Recording("python-" + recipe);
        ContainerRun container = new ContainerRun(TestDocker.connection().client(), log, "unittest");
        String name = "trainchain-pyhelper-it-" + recipe + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> lines = new CopyOnWriteArrayList<>();
        long created = System.nanoTime();
        String id = container.create(spec, name);
        try {
            ContainerRun.Exit exit = container.startAndFollow(id, name, created + RUN.toNanos(), line -> {
                System.out.println("[python-" + recipe + "] " + line);
                lines.add(line);
            }, () -> { }, created);
            assertEquals(ContainerRun.End.EXITED, exit.end(), "ended within " + RUN + ": " + exit);
            assertEquals(0, exit.exitCode(), "unittest's exit code in the " + recipe + " image (output above)");
        } finally {
            container.remove(id);
        }
        return lines;
    }

    private static String testSources() throws IOException {
        try (Stream<Path> files = Files.list(TESTS)) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(f -> f.getFileName().toString().matches("test.*\\.py")).sorted().toList()) {
                all.append(Files.readString(f)).append('\n');
            }
            return all.toString();
        }
    }

    private static int count(Pattern p, String text) {
        return (int) p.matcher(text).results().count();
    }
}
