package io.trainchain.engine.tune;

import io.trainchain.engine.config.SearchSpace;
import io.trainchain.engine.config.TuneOptions;
import io.trainchain.engine.gate.GateSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each strategy's decisions on scripted inputs: grid order, seeded draws, ASHA's rungs and cuts. */
class StrategyTest {

    private static SearchSpace space27() {
        Map<String, SearchSpace.Dimension> d = new LinkedHashMap<>();
        d.put("learning_rate", new SearchSpace.Choice(List.of(0.001, 0.002, 0.004)));
        d.put("batch_size", new SearchSpace.Choice(List.of(64, 128, 256)));
        d.put("filters", new SearchSpace.IntRange(1, 3));
        return new SearchSpace(d);
    }

    private static TuneSettings settings(String strategy, SearchSpace space, long seed) {
        return TuneSettings.resolve(new TuneOptions(strategy, space, seed, 100, null, null, 9, 1, 3, 3, true, 1, 3,
                false, null), GateSpec.defaults(), 9);
    }

    @Test
    void gridVisitsEveryPointOnceLastParamFastestThenEnds() {
        Strategy grid = Strategy.of(settings("grid", space27(), 1));
        assertEquals(Map.of("learning_rate", 0.001, "batch_size", 64, "filters", 1), grid.suggest(1).orElseThrow());
        assertEquals(Map.of("learning_rate", 0.001, "batch_size", 64, "filters", 2), grid.suggest(2).orElseThrow());
        assertEquals(Map.of("learning_rate", 0.001, "batch_size", 128, "filters", 1), grid.suggest(4).orElseThrow());
        assertEquals(Map.of("learning_rate", 0.004, "batch_size", 256, "filters", 3), grid.suggest(27).orElseThrow());
        assertEquals(Optional.empty(), grid.suggest(28));
        Set<Map<String, Object>> seen = new HashSet<>();
        for (int i = 1; i <= 27; i++) {
            seen.add(grid.suggest(i).orElseThrow());
        }
        assertEquals(27, seen.size());
    }

    @Test
    void gridSplitsContinuousRangesIntoPoints() {
        SearchSpace s = new SearchSpace(Map.of("lr", new SearchSpace.Uniform(0.0001, 0.01, true)));
        Strategy grid = Strategy.of(settings("grid", s, 1));
        assertEquals(0.0001, (double) grid.suggest(1).orElseThrow().get("lr"), 1e-12);
        assertEquals(0.001, (double) grid.suggest(2).orElseThrow().get("lr"), 1e-12);
        assertEquals(0.01, (double) grid.suggest(3).orElseThrow().get("lr"), 1e-12);
        assertTrue(grid.suggest(4).isEmpty());
    }

    @Test
    void randomOverAFiniteSpaceIsASeededPermutationWithoutRepeats() {
        Strategy a = Strategy.of(settings("random", space27(), 7));
        Strategy b = Strategy.of(settings("random", space27(), 7));
        Strategy c = Strategy.of(settings("random", space27(), 8));
        Set<Map<String, Object>> seen = new HashSet<>();
        List<Map<String, Object>> orderA = new ArrayList<>();
        List<Map<String, Object>> orderC = new ArrayList<>();
        for (int i = 1; i <= 27; i++) {
            assertEquals(a.suggest(i), b.suggest(i), "same seed, same trial " + i);
            seen.add(a.suggest(i).orElseThrow());
            orderA.add(a.suggest(i).orElseThrow());
            orderC.add(c.suggest(i).orElseThrow());
        }
        assertEquals(27, seen.size(), "no configuration twice");
        assertFalse(orderA.equals(orderC), "another seed, another order");
        assertTrue(a.suggest(28).isEmpty());
    }

    @Test
    void randomOverRangesDrawsInsideThemPerTrialFromTheSeed() {
        Map<String, SearchSpace.Dimension> d = new LinkedHashMap<>();
        d.put("lr", new SearchSpace.Uniform(0.0001, 0.01, true));
        d.put("dropout", new SearchSpace.Uniform(0, 0.5, false));
        d.put("units", new SearchSpace.IntRange(10, 20));
        Strategy r = Strategy.of(settings("random", new SearchSpace(d), 3));
        int below = 0;
        for (int i = 1; i <= 200; i++) {
            Map<String, Object> p = r.suggest(i).orElseThrow();
            double lr = (double) p.get("lr");
            assertTrue(lr >= 0.0001 && lr <= 0.01, "lr " + lr);
            below += lr < 0.001 ? 1 : 0; // log-uniform: half the draws below the geometric middle
            double dropout = (double) p.get("dropout");
            assertTrue(dropout >= 0 && dropout <= 0.5);
            int units = (int) p.get("units");
            assertTrue(units >= 10 && units <= 20);
            assertEquals(p, Strategy.of(settings("random", new SearchSpace(d), 3)).suggest(i).orElseThrow());
        }
        assertTrue(below > 70 && below < 130, "log-uniform draws below 0.001: " + below + " of 200");
    }

    @Test
    void ashaRungsAreMinEpochsTimesPowersOfEtaBelowTheTrialsEpochs() {
        assertEquals(List.of(1, 3), Strategy.of(settings("asha", space27(), 1)).rungs());
        AshaStrategy a = new AshaStrategy(Strategy.of(settings("random", space27(), 1)), 2, 20, 2, true);
        assertEquals(List.of(2, 4, 8, 16), a.rungs());
    }

    @Test
    void ashaKeepsTheBestThirdAtEachRungAndTheFirstComerGoesOn() {
        Strategy asha = Strategy.of(settings("asha", space27(), 1));
        List<Map<Integer, Double>> none = List.of();
        assertFalse(asha.atEpoch(1, 1, 0.70, none).stop(), "alone at the rung: the best of one");
        assertEquals(Strategy.Decision.GO_ON, asha.atEpoch(1, 2, 0.70, none), "epoch 2 is no rung");

        List<Map<Integer, Double>> two = List.of(Map.of(1, 0.70), Map.of(1, 0.80));
        Strategy.Decision worse = asha.atEpoch(3, 1, 0.75, two);
        assertTrue(worse.stop(), "3 values, keep 1: only the best (0.80) goes on");
        assertEquals(0.80, worse.cut());
        assertEquals(3, worse.compared());
        assertEquals(0, worse.rung());
        assertFalse(asha.atEpoch(3, 1, 0.85, two).stop(), "a new best goes on");

        List<Map<Integer, Double>> five = new ArrayList<>();
        for (double v : new double[] {0.60, 0.65, 0.70, 0.90, 0.95}) {
            five.add(Map.of(1, v));
        }
        // 6 values at rung 0, keep 2 (0.95, 0.90): 0.91 is second, goes on; 0.89 third, stops.
        assertFalse(asha.atEpoch(6, 1, 0.91, five).stop());
        assertTrue(asha.atEpoch(6, 1, 0.89, five).stop());
        // Rung 1 (epoch 3) compares only values at epoch 3.
        List<Map<Integer, Double>> atThree = List.of(Map.of(1, 0.9, 3, 0.93), Map.of(1, 0.5));
        Strategy.Decision r1 = asha.atEpoch(7, 3, 0.92, atThree);
        assertEquals(1, r1.rung());
        assertEquals(2, r1.compared());
        assertTrue(r1.stop());
    }

    @Test
    void ashaOnALossKeepsTheLowest() {
        AshaStrategy a = new AshaStrategy(Strategy.of(settings("random", space27(), 1)), 1, 9, 3, false);
        List<Map<Integer, Double>> two = List.of(Map.of(1, 0.5), Map.of(1, 0.4));
        assertFalse(a.atEpoch(3, 1, 0.3, two).stop());
        assertTrue(a.atEpoch(3, 1, 0.45, two).stop());
    }
}
