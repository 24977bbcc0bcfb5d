package io.trainchain.engine.docker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildTrainingImageIT {

    @AfterAll
    static void removeTestImages() {
        TestDocker.removeImages("small");
    }


    @Test
    void buildsThenReusesTheTagWithoutBuildingUntilSomethingChanges(@TempDir Path tmp) throws Exception {
        String base = TestDocker.jreBase();
        var docker = TestDocker.connection().client();
        Path dist = TestFiles.fakeDist(tmp.resolve("dist"), "trainer v1");
        Path code = Files.createDirectories(tmp.resolve("code"));
        // A fresh nonce so the first build really builds, whatever earlier runs left behind.
        Files.writeString(code.resolve("params.yaml"), "nonce: " + UUID.randomUUID() + "\n");
        Files.createDirectories(code.resolve(".git"));
        Files.writeString(code.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        var step = new BuildTrainingImage(docker);

        var first = new TestDocker.Recording("build1");
        var r1 = step.run(new BuildTrainingImage.Request(TestFiles.recipe("small"), dist, code, base, first));
        System.out.printf("[it] first build %s in %.2f s%n", r1.tag(), r1.seconds());
        assertFalse(r1.cached());
        assertTrue(r1.tag().matches("trainchain/train-small:[0-9a-f]{12}"), r1.tag());
        assertTrue(first.lines.stream().anyMatch(l -> l.startsWith("Step 1/")), "build output streamed");
        // .git stayed out of the context; the code and warm-up made it in (the RUN step lists /opt/trainchain).
        assertTrue(first.lines.stream().anyMatch(l -> l.contains("params.yaml")), "code in image");
        assertTrue(first.lines.stream().anyMatch(l -> l.contains("NativesWarmup.class")), "warm-up in image");
        assertFalse(first.lines.stream().anyMatch(l -> l.contains("HEAD")), ".git must not be in the image");

        var second = new TestDocker.Recording("build2");
        var r2 = step.run(new BuildTrainingImage.Request(TestFiles.recipe("small"), dist, code, base, second));
        System.out.printf("[it] cached build %s in %.3f s%n", r2.tag(), r2.seconds());
        assertTrue(r2.cached());
        assertEquals(r1.tag(), r2.tag());
        assertEquals(r1.imageId(), r2.imageId());
        assertFalse(second.lines.stream().anyMatch(l -> l.startsWith("Step ")), "nothing was built");

        // Excluded files do not change the hash; real changes do.
        Files.writeString(code.resolve(".git/HEAD"), "ref: refs/heads/other\n");
        var r3 = step.run(new BuildTrainingImage.Request(TestFiles.recipe("small"), dist, code, base, null));
        assertTrue(r3.cached());
        Files.writeString(code.resolve("params.yaml"), "changed: " + UUID.randomUUID() + "\n");
        var r4 = step.run(new BuildTrainingImage.Request(TestFiles.recipe("small"), dist, code, base,
                new TestDocker.Recording("build4")));
        assertFalse(r4.cached());
        assertNotEquals(r1.tag(), r4.tag());
    }

    @Test
    void aFailingStepIsReportedWithItsOutput(@TempDir Path tmp) throws Exception {
        String base = TestDocker.jreBase();
        Path code = Files.createDirectories(tmp.resolve("code"));
        Files.writeString(code.resolve("x.txt"), UUID.randomUUID().toString());
        var listener = new TestDocker.Recording("fail");
        var step = new BuildTrainingImage(TestDocker.connection().client());

        var e = assertThrows(BuildTrainingImage.BuildFailedException.class, () -> step.run(
                new BuildTrainingImage.Request(TestFiles.recipe("failing"), null, code, base, listener)));
        System.out.println("[it] " + e.getMessage());
        assertTrue(e.step().matches("Step 4/\\d+ : RUN echo \"preparing the thing\".*"), e.step());
        assertTrue(e.output().contains("preparing the thing"), e.output());
        assertTrue(e.output().contains("bad thing happened"), e.output());
        assertFalse(e.output().contains("never reached"), e.output());
        assertTrue(e.getMessage().contains("returned a non-zero code: 3"), e.getMessage());
    }

    @Test
    void aMissingBaseImageIsAClearError(@TempDir Path tmp) {
        var step = new BuildTrainingImage(TestDocker.connection().client());
        var e = assertThrows(DockerStepException.class, () -> step.run(new BuildTrainingImage.Request(
                TestFiles.recipe("small"), null, tmp, "trainchain/no-such-base:never", null)));
        assertTrue(e.getMessage().contains("trainchain base-image"), e.getMessage());
    }
}
