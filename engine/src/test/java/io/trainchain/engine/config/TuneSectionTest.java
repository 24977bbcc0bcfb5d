package io.trainchain.engine.config;

import io.trainchain.engine.TrainchainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trainchain.yaml's tune: section: every field read, each bad input named with its file, line and key. */
class TuneSectionTest {
    @TempDir
    Path repo;

    private TuneOptions load(String yaml) throws IOException {
        Files.writeString(repo.resolve("trainchain.yaml"), yaml);
        return ProjectConfig.load(repo).tune();
    }

    private String fails(String yaml) throws IOException {
        Files.writeString(repo.resolve("trainchain.yaml"), yaml);
        TrainchainException e = assertThrows(TrainchainException.class, () -> ProjectConfig.load(repo));
        assertEquals(TrainchainException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(repo.resolve("trainchain.yaml").toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void everyFieldIsRead() throws IOException {
        TuneOptions t = load("""
                epochs: 2
                tune:
                  strategy: grid
                  seed: 7
                  space:
                    learning_rate: {log_uniform: [0.0005, 0.01]}
                    batch_size: [64, 128]
                    dropout: {uniform: [0, 0.5]}
                    layers: {int: [1, 3]}
                    dense_units: {choice: [[256], [500]]}
                  budget: {trials: 12, epochs: 30, minutes: 20.5}
                  epochs: 3
                  asha: {min_epochs: 1, reduction_factor: 2}
                  grid_points: 4
                  stop: budget
                  concurrency: 2
                  max_failures: 5
                  keep_checkpoints: true
                  notify: [a@example.com, b@example.com]
                """);
        assertTrue(t.present());
        assertEquals("grid", t.strategy());
        assertEquals(7L, t.seed());
        Map<String, SearchSpace.Dimension> d = t.space().dimensions();
        assertEquals(List.of("learning_rate", "batch_size", "dropout", "layers", "dense_units"), List.copyOf(d.keySet()));
        assertEquals(new SearchSpace.Uniform(0.0005, 0.01, true), d.get("learning_rate"));
        assertEquals(new SearchSpace.Choice(List.of(64, 128)), d.get("batch_size"));
        assertEquals(new SearchSpace.Uniform(0, 0.5, false), d.get("dropout"));
        assertEquals(new SearchSpace.IntRange(1, 3), d.get("layers"));
        assertEquals(new SearchSpace.Choice(List.of(List.of(256), List.of(500))), d.get("dense_units"));
        assertEquals(12, t.maxTrials());
        assertEquals(30, t.maxEpochs());
        assertEquals(20.5, t.maxMinutes());
        assertEquals(3, t.trialEpochs());
        assertEquals(1, t.minEpochs());
        assertEquals(2, t.reductionFactor());
        assertEquals(4, t.gridPoints());
        assertFalse(t.stopAtFirstPass());
        assertEquals(2, t.concurrency());
        assertEquals(5, t.maxFailures());
        assertTrue(t.keepCheckpoints());
        assertEquals(List.of("a@example.com", "b@example.com"), t.owners());
    }

    @Test
    void noSectionIsNoSearch() throws IOException {
        assertFalse(load("epochs: 2\n").present());
    }

    @Test
    void eachBadInputNamesItsLineAndKey() throws IOException {
        assertTrue(fails("tune:\n  strategy: bayes\n").contains(":2: 'tune.strategy' is \"bayes\""));
        assertTrue(fails("tune:\n  budget: {}\n").contains(":2: tune.budget is empty"));
        assertTrue(fails("tune:\n  budget: {trials: 0}\n").contains("'tune.budget.trials' is 0"));
        assertTrue(fails("tune:\n  budget: {minutes: -1}\n").contains("'tune.budget.minutes' is -1"));
        assertTrue(fails("tune:\n  budget: {hours: 2}\n").contains("key 'tune.budget.hours' is not known"));
        assertTrue(fails("tune:\n  space: {lr: {gauss: [1, 2]}}\n").contains(":2: 'tune.space.lr' is"));
        assertTrue(fails("tune:\n  space:\n    lr: {uniform: [0.1, 0.01]}\n")
                .contains(":3: tune.space.lr: uniform [0.1, 0.01] is empty"));
        assertTrue(fails("tune:\n  space:\n    lr: {log_uniform: [0, 0.01]}\n").contains("log_uniform needs LOW > 0"));
        assertTrue(fails("tune:\n  space:\n    n: {int: [1.5, 3]}\n").contains("int takes two whole numbers"));
        assertTrue(fails("tune:\n  space:\n    b: [64, 64]\n").contains("repeats a value"));
        assertTrue(fails("tune:\n  space: []\n").contains("'tune.space' is"));
        assertTrue(fails("tune:\n  stop: never\n").contains("'tune.stop' is \"never\""));
        assertTrue(fails("tune:\n  asha: {reduction_factor: 1}\n").contains("at least 2"));
        assertTrue(fails("tune:\n  notify: someone\n").contains("an e-mail address"));
        assertTrue(fails("tune:\n  keep_checkpoints: yes please\n").contains("true or false"));
        assertTrue(fails("tune:\n  colour: blue\n").contains("key 'tune.colour' is not known"));
    }
}
