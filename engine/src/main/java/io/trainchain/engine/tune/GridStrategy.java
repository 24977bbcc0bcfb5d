package io.trainchain.engine.tune;

import io.trainchain.engine.config.SearchSpace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every combination, the last param varying fastest; a continuous range is split into {@code points} values. */
final class GridStrategy implements Strategy {
    private final List<String> names = new ArrayList<>();
    private final List<List<Object>> values = new ArrayList<>();
    private final long size;

    GridStrategy(SearchSpace space, int points) {
        long n = 1;
        for (Map.Entry<String, SearchSpace.Dimension> e : space.dimensions().entrySet()) {
            names.add(e.getKey());
            List<Object> v = Strategy.gridValues(e.getValue(), points);
            values.add(v);
            n = Math.multiplyExact(n, v.size());
        }
        size = n;
    }

    long size() {
        return size;
    }

    @Override
    public Optional<Map<String, Object>> suggest(int number) {
        if (number < 1 || number > size) {
            return Optional.empty();
        }
        long index = number - 1;
        Map<String, Object> point = new LinkedHashMap<>();
        for (int i = names.size() - 1; i >= 0; i--) {
            List<Object> v = values.get(i);
            point.put(names.get(i), v.get((int) (index % v.size())));
            index /= v.size();
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        names.forEach(n -> ordered.put(n, point.get(n)));
        return Optional.of(ordered);
    }
}
