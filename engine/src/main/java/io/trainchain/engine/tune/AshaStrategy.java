package io.trainchain.engine.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ASHA (asynchronous successive halving, Li et al. 2018) in its stopping form: configurations come from a random
 * sampler; rungs sit at minEpochs·η^k epochs below the trial's full epochs; a trial reaching a rung goes on only
 * while its value is among the best max(1, ⌊n/η⌋) of the n values recorded at that rung so far (itself included),
 * so no trial waits for others and a bad one stops at its first rung. Optuna's SuccessiveHalvingPruner decides
 * the same way.
 */
final class AshaStrategy implements Strategy {
    private final Strategy sampler;
    private final List<Integer> rungs = new ArrayList<>();
    private final int eta;
    private final boolean higherIsBetter;

    AshaStrategy(Strategy sampler, int minEpochs, int maxEpochs, int eta, boolean higherIsBetter) {
        this.sampler = sampler;
        this.eta = eta;
        this.higherIsBetter = higherIsBetter;
        for (long r = minEpochs; r < maxEpochs; r *= eta) {
            rungs.add((int) r);
        }
    }

    @Override
    public Optional<Map<String, Object>> suggest(int number) {
        return sampler.suggest(number);
    }

    @Override
    public List<Integer> rungs() {
        return List.copyOf(rungs);
    }

    @Override
    public Decision atEpoch(int trial, int epoch, double value, List<Map<Integer, Double>> others) {
        int rung = rungs.indexOf(epoch);
        if (rung < 0) {
            return Decision.GO_ON;
        }
        List<Double> values = new ArrayList<>();
        values.add(value);
        for (Map<Integer, Double> o : others) {
            Double v = o.get(epoch);
            if (v != null && !v.isNaN()) {
                values.add(v);
            }
        }
        values.sort(higherIsBetter ? (a, b) -> Double.compare(b, a) : Double::compare);
        int keep = Math.max(1, values.size() / eta);
        double cut = values.get(keep - 1);
        boolean goOn = higherIsBetter ? value >= cut : value <= cut;
        return new Decision(!goOn, rung, cut, values.size());
    }
}
