package io.trainchain.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `trainchain train` end to end: the CLI starts the packaged trainer JVM on real Fashion-MNIST. */
class TrainCommandIT {
    private static final Path DIST = Path.of("../trainer/target/dist").toAbsolutePath().normalize();

    @Test
    void trainsOnTheHostAndPrintsTheEvaluation(@TempDir Path tmp) throws Exception {
        Path params = Files.writeString(tmp.resolve("params.json"), "{\"epochs\": 1}");
        Result r = run("train", "--trainer-dist", DIST.toString(), "--out", tmp.resolve("out").toString(),
                "--params", params.toString(), "--limit", "2000");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("runtime: "), r.out);
        assertTrue(r.out.contains("OMP_NUM_THREADS="), r.out);
        assertTrue(r.out.matches("(?s).*Evaluation \\(fashion-mnist, 2000 test images\\): accuracy 0\\.[6-9]\\d+.*"),
                r.out);
        assertTrue(r.out.contains("Ankle boot"), r.out);
        assertTrue(Files.exists(tmp.resolve("out/model.zip")));
    }

    @Test
    void badParamsExitTwoWithTheTrainersMessage(@TempDir Path tmp) throws Exception {
        Path params = Files.writeString(tmp.resolve("params.json"), "{\"epochs\": 0}");
        Result r = run("train", "--trainer-dist", DIST.toString(), "--out", tmp.toString(), "--params",
                params.toString());
        assertEquals(2, r.code);
        assertTrue(r.out.contains("field 'epochs' is 0"), r.out);
        assertTrue(r.err.contains("the trainer exited with code 2"), r.err);
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = TrainchainCommand.commandLine().execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }
}
