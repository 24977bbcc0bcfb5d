package io.trainchain.engine.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildContextTest {

    @Test
    void layoutExcludesAndHashBehaveAsDocumented(@TempDir Path tmp) throws Exception {
        Path recipe = Files.createDirectories(tmp.resolve("dl4j"));
        Files.writeString(recipe.resolve("Dockerfile"), "FROM x\n");
        Path dist = TestFiles.fakeDist(tmp.resolve("dist"), "v1");
        Path code = Files.createDirectories(tmp.resolve("code"));
        Files.writeString(code.resolve("train.py"), "print(1)\n");
        for (String junk : new String[] {".git/HEAD", "target/x.jar", "__pycache__/a.pyc", "sub/.venv/bin/py"}) {
            Files.createDirectories(code.resolve(junk).getParent());
            Files.writeString(code.resolve(junk), "junk");
        }
        Files.writeString(code.resolve("b.pyc"), "junk");

        BuildContext ctx = BuildContext.assemble(recipe, dist, code);
        assertEquals(java.util.List.of("Dockerfile", "code/train.py", "lib/dep-a.jar", "lib/dep-b.jar",
                "trainchain-trainer.jar", "warmup/io/trainchain/trainer/NativesWarmup.class"),
                java.util.List.copyOf(ctx.files().keySet()));

        String h1 = ctx.contentHash("dl4j", "sha256:base", Map.of("A", "1"));
        assertEquals(h1, BuildContext.assemble(recipe, dist, code).contentHash("dl4j", "sha256:base",
                Map.of("A", "1")), "stable");
        assertNotEquals(h1, ctx.contentHash("dl4j", "sha256:other", Map.of("A", "1")), "base id counts");
        assertNotEquals(h1, ctx.contentHash("dl4j", "sha256:base", Map.of("A", "2")), "build args count");
        Files.writeString(code.resolve(".git/HEAD"), "changed");
        assertEquals(h1, BuildContext.assemble(recipe, dist, code).contentHash("dl4j", "sha256:base",
                Map.of("A", "1")), "excluded files do not count");
        Files.writeString(code.resolve("train.py"), "print(2)\n");
        assertNotEquals(h1, BuildContext.assemble(recipe, dist, code).contentHash("dl4j", "sha256:base",
                Map.of("A", "1")), "code counts");

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        ctx.writeTar(tar, n -> { });
        assertTrue(tar.size() > 512 * 6, "tar written: " + tar.size());
    }

    @Test
    void aTrainerJarWithoutTheWarmupClassIsNamed(@TempDir Path tmp) throws Exception {
        Path recipe = Files.createDirectories(tmp.resolve("dl4j"));
        Files.writeString(recipe.resolve("Dockerfile"), "FROM x\n");
        Path dist = Files.createDirectories(tmp.resolve("dist/lib")).getParent();
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(dist.resolve("trainchain-trainer.jar")))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("io/trainchain/trainer/TrainerMain.class"));
            zip.closeEntry();
        }
        var e = assertThrows(DockerStepException.class, () -> BuildContext.assemble(recipe, dist, null));
        assertTrue(e.getMessage().contains("NativesWarmup"), e.getMessage());
    }

    @Test
    void noCodeStillGivesACodeFolder(@TempDir Path tmp) throws Exception {
        Path recipe = Files.createDirectories(tmp.resolve("r"));
        Files.writeString(recipe.resolve("Dockerfile"), "FROM x\n");
        BuildContext ctx = BuildContext.assemble(recipe, null, null);
        assertTrue(ctx.files().containsKey("code/.keep"));
        assertFalse(ctx.files().keySet().stream().anyMatch(k -> k.startsWith("lib/")));
    }
}
