package io.trainchain.trainer;

import io.trainchain.trainer.train.CheckpointPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerArgsTest {

    @Test
    void parsesEveryOption() {
        TrainerArgs a = TrainerArgs.parse(new String[]{"--data", "/d", "--out", "/o", "--params", "p.json", "--limit",
                "300", "--resume"});
        assertEquals(new TrainerArgs(Path.of("/d"), Path.of("/o"), Path.of("p.json"), 300, true, false,
                CheckpointPolicy.DEFAULT), a);
        assertNull(TrainerArgs.parse(new String[]{"--data", "auto", "--out", "o"}).data());
    }

    @Test
    void aStandbyImpliesResumeAndCannotDownload() {
        TrainerArgs a = TrainerArgs.parse(new String[]{"--out", "/o", "--standby", "/o/.standby/x.go"});
        assertEquals(Path.of("/o/.standby/x.go"), a.standby());
        assertTrue(a.resume());
        assertNull(TrainerArgs.parse(new String[]{"--out", "/o"}).standby());
        BadInputException e = assertThrows(BadInputException.class, () -> TrainerArgs.parse(new String[]{"--out",
                "/o", "--data", "/d", "--download-cifar", "--standby", "/o/go"}));
        assertTrue(e.getMessage().contains("--standby and --download-cifar"), e.getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> TrainerArgs.parse(new String[]{"--out", "/o",
                "--standby"})).getMessage().startsWith("--standby needs a value"));
    }

    @Test
    void checkpointIntervals() {
        assertEquals(new CheckpointPolicy(1, 0), TrainerArgs.parse(new String[]{"--out", "o"}).checkpoints());
        assertEquals(new CheckpointPolicy(3, 0),
                TrainerArgs.parse(new String[]{"--out", "o", "--checkpoint-every-epochs", "3"}).checkpoints());
        assertEquals(new CheckpointPolicy(1, 0.5),
                TrainerArgs.parse(new String[]{"--checkpoint-every-minutes", "0.5", "--out", "o"}).checkpoints());
        assertEquals(new CheckpointPolicy(2, 0.01), TrainerArgs.parse(new String[]{"--out", "o",
                "--checkpoint-every-epochs", "2", "--checkpoint-every-minutes", ".01"}).checkpoints());
        assertEquals(new CheckpointPolicy(1, 10),
                TrainerArgs.parse(new String[]{"--out", "o", "--checkpoint-every-minutes", "10"}).checkpoints());
    }

    @Test
    void badCheckpointIntervalsNameTheOptionTheValueAndWhatIsExpected() {
        for (String v : List.of("0", "-1", "1.5", "two", "99999999999")) {
            String e = error("--out", "o", "--checkpoint-every-epochs", v);
            assertTrue(e.startsWith("--checkpoint-every-epochs " + v + ": expected a whole number ≥ 1"), e);
        }
        for (String v : List.of("0", "0.0", "-1", "NaN", "Infinity", "1e3", "0x1p3", "2d", "soon", ".")) {
            String e = error("--out", "o", "--checkpoint-every-minutes", v);
            assertTrue(e.startsWith("--checkpoint-every-minutes " + v + ": expected a decimal number > 0"), e);
        }
        assertTrue(error("--out", "o", "--checkpoint-every-minutes").contains("--checkpoint-every-minutes needs a "
                + "value"));
        assertTrue(TrainerArgs.USAGE.contains("[--checkpoint-every-epochs N] [--checkpoint-every-minutes M]"));
    }

    @Test
    void badArgumentsSayWhatToDo() {
        assertTrue(error("--data", "/d").contains("--out DIR is required"));
        assertTrue(error("--out", "o", "--limit", "-5").contains("--limit -5: expected a whole number"));
        assertTrue(error("--out", "o", "--limit", "many").contains("--limit many"));
        assertTrue(error("--out", "o", "--epochs", "3").contains("unknown argument '--epochs'"));
        assertTrue(error("--out").contains("--out needs a value"));
        assertTrue(error("--out", "o", "--download-cifar").contains("--download-cifar needs --data DIR"));
    }

    private static String error(String... args) {
        return assertThrows(BadInputException.class, () -> TrainerArgs.parse(args)).getMessage();
    }

    @Test
    void evaluateTakesOnlyDataOutAndLimit() {
        TrainerArgs a = TrainerArgs.parse(new String[]{"--evaluate", "/out/champion.zip", "--out", "/out",
                "--data", "/data", "--limit", "600"});
        assertEquals(Path.of("/out/champion.zip"), a.evaluate());
        assertEquals(600, a.limit());
        for (String other : new String[]{"--resume", "--download-cifar"}) {
            String m = assertThrows(BadInputException.class, () -> TrainerArgs.parse(
                    new String[]{"--evaluate", "m.zip", "--out", "/o", "--data", "/d", other})).getMessage();
            assertTrue(m.startsWith("--evaluate only evaluates a saved model"), m);
        }
    }
}
