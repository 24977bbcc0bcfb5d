package io.trainchain.engine.tune;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.gate.GateSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search's settings: defaults, no unbounded mode, the spec a resumed search must match. */
class TuneSettingsTest {
    private static final SearchSpace LR = SearchSpace.parseOption("learning_rate=log_uniform:0.0005,0.01", "--param");

    private static TuneOptions options(Integer trials, Integer epochs, Double minutes) {
        return new TuneOptions(null, LR, null, trials, epochs, minutes, null, null, null, null, null, null, null,
                null, null);
    }

    @Test
    void defaultsAreAshaSeed42FirstPassOneAtATime() {
        TuneSettings s = TuneSettings.resolve(options(12, null, null), GateSpec.defaults(), 3);
        assertEquals("asha", s.strategy());
        assertEquals(42, s.seed());
        assertEquals(3, s.trialEpochs());
        assertEquals(1, s.minEpochs());
        assertEquals(3, s.reductionFactor());
        assertTrue(s.stopAtFirstPass());
        assertEquals(1, s.concurrency());
        assertEquals(3, s.maxFailures());
        assertEquals("12 trials", s.budget());
    }

    @Test
    void aMissingZeroOrNegativeBudgetIsRefused() {
        TrainchainException none = assertThrows(TrainchainException.class,
                () -> TuneSettings.resolve(options(null, null, null), GateSpec.defaults(), 3));
        assertTrue(none.getMessage().contains("no budget") && none.getMessage().contains("never unbounded"),
                none.getMessage());
        assertEquals(TrainchainException.Kind.BAD_INPUT, none.kind());
        assertTrue(assertThrows(TrainchainException.class, () -> TuneSettings.resolve(options(0, null, null),
                GateSpec.defaults(), 3)).getMessage().contains("trials budget"));
        assertTrue(assertThrows(TrainchainException.class, () -> TuneSettings.resolve(options(null, -4, null),
                GateSpec.defaults(), 3)).getMessage().contains("epochs budget"));
        assertTrue(assertThrows(TrainchainException.class, () -> TuneSettings.resolve(options(null, null, 0.0),
                GateSpec.defaults(), 3)).getMessage().contains("time budget"));
    }

    @Test
    void anEmptySpaceAndAshaWithoutRoomForARungAreRefused() {
        TuneOptions empty = new TuneOptions(null, null, null, 5, null, null, null, null, null, null, null, null, null,
                null, null);
        assertTrue(assertThrows(TrainchainException.class, () -> TuneSettings.resolve(empty, GateSpec.defaults(), 3))
                .getMessage().contains("no space"));
        TrainchainException oneEpoch = assertThrows(TrainchainException.class,
                () -> TuneSettings.resolve(options(5, null, null), GateSpec.defaults(), 1));
        assertTrue(oneEpoch.getMessage().contains("min_epochs 1) must be below the epochs of a trial (1)"),
                oneEpoch.getMessage());
    }

    @Test
    void theSpecChangesWithWhatDecidesTheTrials() {
        TuneSettings a = TuneSettings.resolve(options(12, null, null), GateSpec.defaults(), 3);
        TuneSettings b = TuneSettings.resolve(options(13, null, null), GateSpec.defaults(), 3);
        assertEquals(a.specJson("{}", "fashion-mnist"), a.specJson("{}", "fashion-mnist"));
        assertNotEquals(a.specJson("{}", "fashion-mnist"), b.specJson("{}", "fashion-mnist"));
        assertNotEquals(a.specJson("{}", "fashion-mnist"), a.specJson("{\"epochs\":3}", "fashion-mnist"));
    }

    @Test
    void commandLineParamsParseAndBadOnesSayWhatToWrite() {
        SearchSpace s = SearchSpace.parseOption("batch_size=choice:64,128", "--param");
        assertEquals(new SearchSpace.Choice(java.util.List.of(64, 128)), s.dimensions().get("batch_size"));
        assertEquals(new SearchSpace.IntRange(1, 4), SearchSpace.parseOption("n=int:1,4", "--param")
                .dimensions().get("n"));
        for (String bad : new String[] {"lr", "lr=gauss:1,2", "lr=uniform:2,1", "lr=log_uniform:0,1",
                "lr=uniform:a,b", "n=int:1.5,3", "b=choice:1,1"}) {
            TrainchainException e = assertThrows(TrainchainException.class,
                    () -> SearchSpace.parseOption(bad, "--param"), bad);
            assertTrue(e.getMessage().startsWith("--param"), e.getMessage());
        }
    }

    @Test
    void aScriptWithoutAnEpochsParamGetsRandomAndNoEpochsAndAshaIsRefused() {
        TuneSettings s = TuneSettings.resolve(options(4, null, null), GateSpec.defaults(), 2, false);
        assertEquals("random", s.strategy());
        assertTrue(!s.epochsParam());
        assertEquals(1, s.trialEpochs(), "a trial's cost against the epochs budget: the one result it reports");
        TuneOptions asha = new TuneOptions("asha", LR, null, 4, null, null, null, null, null, null, null, null, null,
                null, null);
        assertTrue(assertThrows(TrainchainException.class, () -> TuneSettings.resolve(asha, GateSpec.defaults(), 2,
                false)).getMessage().contains("no 'epochs' to set"));
        TuneOptions withEpochs = new TuneOptions("asha", LR, null, 4, null, null, 3, null, null, null, null, null, null,
                null, null);
        assertTrue(TuneSettings.resolve(withEpochs, GateSpec.defaults(), 2, false).epochsParam(),
                "tune.epochs given: the script is told its epochs");
    }

    @Test
    void theMainJobsExampleSearchesBelowItsGate() {
        io.trainchain.engine.config.ProjectConfig c = io.trainchain.engine.config.ProjectConfig.load(
                java.nio.file.Path.of("..", "examples", "fashion-tune"));
        TuneSettings s = TuneSettings.resolve(c.tune(), c.gate(), 1);
        assertEquals("asha", s.strategy());
        assertEquals(6, s.space().finiteSize());
        assertEquals(2, s.trialEpochs());
        assertEquals(0.87, s.gate().threshold());
        assertEquals("6 trials, 10 epochs, 20.0 min", s.budget());
    }

    @Test
    void aSearchsFolderIsSearchesIdUnderOutTheWorkFolderOrTheStoresNeverOutItself(@org.junit.jupiter.api.io.TempDir
                                                                                    java.nio.file.Path tmp) {
        io.trainchain.engine.chain.ChainRequest req = io.trainchain.engine.chain.ChainRequest.of(tmp, null, tmp);
        try (io.trainchain.engine.store.RunStore store = io.trainchain.engine.store.RunStore.open(
                tmp.resolve("db").resolve("runs.db"))) {
            assertEquals(tmp.resolve("db/searches/s1"), TuneHyperparameters.searchDir(req, store, "s1"));
            assertEquals(tmp.resolve("w/searches/s1"), TuneHyperparameters.searchDir(req.withOutput(null,
                    tmp.resolve("w")), store, "s1"));
            assertEquals(tmp.resolve("out/searches/s1"), TuneHyperparameters.searchDir(req.withOutput(
                    tmp.resolve("out"), null), store, "s1"), "the run's own report.html stays the run's");
        }
    }
}
