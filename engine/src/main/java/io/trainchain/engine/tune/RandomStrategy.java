package io.trainchain.engine.tune;

import io.trainchain.engine.config.SearchSpace;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Seeded random search. A space of choices and integer ranges only is drawn without replacement (a seeded
 * permutation of its grid, so no configuration is trained twice and the search ends when all were tried); any
 * continuous range makes every trial an independent draw from the seed and its number.
 */
final class RandomStrategy implements Strategy {
    private final SearchSpace space;
    private final long seed;
    private final GridStrategy grid;
    private final long[] order;

    RandomStrategy(SearchSpace space, long seed) {
        this.space = space;
        this.seed = seed;
        long finite = space.finiteSize();
        if (finite > 0 && finite <= 1_000_000) {
            grid = new GridStrategy(space, 1);
            order = new long[(int) finite];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
                int j = r.nextInt(i + 1);
                long t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        } else {
            grid = null;
            order = null;
        }
    }

    @Override
    public Optional<Map<String, Object>> suggest(int number) {
        if (number < 1) {
            return Optional.empty();
        }
        if (order != null) {
            return number > order.length ? Optional.empty() : grid.suggest((int) order[number - 1] + 1);
        }
        // One generator per trial: trial n's draw does not depend on how many trials ran before it.
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + number);
        Map<String, Object> point = new LinkedHashMap<>();
        for (Map.Entry<String, SearchSpace.Dimension> e : space.dimensions().entrySet()) {
            point.put(e.getKey(), draw(e.getValue(), r));
        }
        return Optional.of(point);
    }

    private static Object draw(SearchSpace.Dimension d, SplittableRandom r) {
        if (d instanceof SearchSpace.Choice c) {
            return c.values().get(r.nextInt(c.values().size()));
        }
        if (d instanceof SearchSpace.IntRange i) {
            long v = i.low() + r.nextLong(i.high() - i.low() + 1);
            return v <= Integer.MAX_VALUE && v >= Integer.MIN_VALUE ? (Object) (int) v : (Object) v;
        }
        SearchSpace.Uniform u = (SearchSpace.Uniform) d;
        double f = r.nextDouble();
        double v = u.log() ? Math.exp(Math.log(u.low()) + f * (Math.log(u.high()) - Math.log(u.low())))
                : u.low() + f * (u.high() - u.low());
        return Strategy.round(v);
    }
}
