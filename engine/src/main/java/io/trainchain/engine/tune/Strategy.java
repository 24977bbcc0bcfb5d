package io.trainchain.engine.tune;

import io.trainchain.engine.config.SearchSpace;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a search picks configurations and, for ASHA, which running trials go on. Suggestions are a pure function of
 * the seed and the trial number, so a resumed search asks again and gets the same configurations.
 */
public interface Strategy {

    /** The params of trial {@code number} (from 1), or empty when the space has no more points. */
    Optional<Map<String, Object>> suggest(int number);

    /**
     * Whether a running trial goes on after {@code epoch} (from 1) with this value of the rung metric.
     *
     * @param others every other trial's per-epoch values (epoch → value), finished or running
     */
    default Decision atEpoch(int trial, int epoch, double value, List<Map<Integer, Double>> others) {
        return Decision.GO_ON;
    }

    /** The rungs (epochs at which a trial may be stopped); empty without early stopping. */
    default List<Integer> rungs() {
        return List.of();
    }

    /**
     * @param stop     whether the trial ends here
     * @param rung     the rung's index (0 for the first), or -1 when the epoch is no rung
     * @param cut      the value a trial needed at this rung to go on (null when it was no decision)
     * @param compared how many trials' values at this rung were compared
     */
    record Decision(boolean stop, int rung, Double cut, int compared) {
        public static final Decision GO_ON = new Decision(false, -1, null, 0);

        public boolean atRung() {
            return rung >= 0;
        }
    }

    static Strategy of(TuneSettings s) {
        return switch (s.strategy()) {
            case "grid" -> new GridStrategy(s.space(), s.gridPoints());
            case "random" -> new RandomStrategy(s.space(), s.seed());
            case "asha" -> new AshaStrategy(new RandomStrategy(s.space(), s.seed()), s.minEpochs(), s.trialEpochs(),
                    s.reductionFactor(), s.higherIsBetter());
            default -> throw new IllegalArgumentException("strategy " + s.strategy());
        };
    }

    /** A dimension's values as a grid would take them. */
    static List<Object> gridValues(SearchSpace.Dimension d, int points) {
        if (d instanceof SearchSpace.Choice c) {
            return c.values();
        }
        if (d instanceof SearchSpace.IntRange r) {
            return java.util.stream.LongStream.rangeClosed(r.low(), r.high())
                    .mapToObj(v -> v <= Integer.MAX_VALUE && v >= Integer.MIN_VALUE ? (Object) (int) v : (Object) v)
                    .toList();
        }
        SearchSpace.Uniform u = (SearchSpace.Uniform) d;
        List<Object> values = new java.util.ArrayList<>();
        for (int i = 0; i < points; i++) {
            double f = points == 1 ? 0.5 : (double) i / (points - 1);
            double v = u.log() ? Math.exp(Math.log(u.low()) + f * (Math.log(u.high()) - Math.log(u.low())))
                    : u.low() + f * (u.high() - u.low());
            values.add(round(v));
        }
        return values;
    }

    /** Six significant digits: params files and tables stay readable, and the trainer gets what the table shows. */
    static double round(double v) {
        return v == 0 ? 0 : new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }
}
