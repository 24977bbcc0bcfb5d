package io.trainchain.engine.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostTrainerTest {

    @Test
    void buildsTheCommandAsAnArgumentList() {
        HostTrainRequest r = new HostTrainRequest(Path.of("/d"), Optional.of(Path.of("/data dir")), Path.of("/o"),
                Optional.of(Path.of("p.json")), 500, true, 2);
        List<String> cmd = HostTrainer.command(r);
        assertTrue(cmd.get(0).endsWith("/bin/java"), cmd.get(0));
        assertEquals(List.of("-jar", "/d/trainchain-trainer.jar", "--out", "/o", "--data", "/data dir", "--params",
                "p.json", "--limit", "500", "--resume"), cmd.subList(1, cmd.size()));
    }

    @Test
    void leavesOutWhatIsNotGiven() {
        HostTrainRequest r = new HostTrainRequest(Path.of("/d"), Optional.empty(), Path.of("/o"), Optional.empty(), 0,
                false, 1);
        assertEquals(List.of("-jar", "/d/trainchain-trainer.jar", "--out", "/o"),
                HostTrainer.command(r).subList(1, 5));
        assertEquals(5, HostTrainer.command(r).size());
    }

    @Test
    void missingTrainerSaysHowToBuildIt(@TempDir Path dir) {
        HostTrainRequest r = new HostTrainRequest(dir, Optional.empty(), dir, Optional.empty(), 0, false, 1);
        IOException e = assertThrows(IOException.class, () -> HostTrainer.run(r, s -> { }));
        assertTrue(e.getMessage().contains("trainchain-trainer.jar not found: build the trainer first"), e.getMessage());
    }
}
