package io.trainchain.trainer;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerArgsTest {

    @Test
    void parsesEveryOption() {
        TrainerArgs a = TrainerArgs.parse(new String[]{"--data", "/d", "--out", "/o", "--params", "p.json", "--limit",
                "300", "--resume"});
        assertEquals(new TrainerArgs(Path.of("/d"), Path.of("/o"), Path.of("p.json"), 300, true, false), a);
        assertNull(TrainerArgs.parse(new String[]{"--data", "auto", "--out", "o"}).data());
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
}
