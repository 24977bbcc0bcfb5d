package io.trainchain.engine.registry;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.gate.Direction;
import io.trainchain.engine.store.ModelRecord;
import io.trainchain.engine.store.PromotionRecord;
import io.trainchain.engine.store.PromotionRecord.Action;
import io.trainchain.engine.store.RunStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The model registry: a model that passes the gate is copied, content-addressed, into the store's own folder
 * ({@code models/sha256/<hash>/<file>}) as the next version of its registered model; the {@code champion} alias
 * moves by a rule (the first version; later a challenger that beats the champion by the margin on the same test
 * set), or by hand ({@link #promote}, {@link #rollback}). Every decision is recorded with both figures.
 */
public final class ModelRegistry {
    public static final String CHAMPION = "champion";

    private final RunStore store;
    private final Path modelsDir;

    public ModelRegistry(RunStore store) {
        this(store, store.path().toAbsolutePath().getParent().resolve("models"));
    }

    public ModelRegistry(RunStore store, Path modelsDir) {
        this.store = store;
        this.modelsDir = modelsDir;
    }

    /** Copies the model file in (once per content) and records it as the next version of {@code name}. */
    public ModelRecord register(String name, String runId, Path modelFile, String metric, double value,
                                Direction direction, String testSet) {
        if (modelFile == null || !Files.isRegularFile(modelFile)) {
            throw TrainchainException.badInput("run " + runId + " has no model file to register (" + modelFile + ")");
        }
        String sha = sha256(modelFile);
        Path target = modelsDir.resolve("sha256").resolve(sha).resolve(modelFile.getFileName().toString());
        try {
            if (!Files.isRegularFile(target)) {
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), ".copy-", ".tmp");
                Files.copy(modelFile, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return store.registerModel(name, runId, sha, target.toString(), Files.size(target), metric, value,
                    direction.name(), testSet);
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot copy the model " + modelFile + " into the registry "
                    + target.getParent() + ": " + e.getMessage() + "; check that the folder is writable", e);
        }
    }

    /**
     * Measures a champion's model on a challenger's test set (the chain runs the trainer's {@code --evaluate} in the
     * challenger's locked-down container), so that two models measured on different data still compare.
     */
    @FunctionalInterface
    public interface Remeasure {
        Remeasured measure(ModelRecord champion);
    }

    /**
     * @param value   the champion's gate metric on the challenger's test set, null when it could not be measured
     * @param testSet the key of the test set it was measured on ({@link TestSet#key})
     * @param problem why not, when {@code value} is null
     */
    public record Remeasured(Double value, String testSet, String problem) {
        public static Remeasured failed(String problem) {
            return new Remeasured(null, null, problem);
        }
    }

    /** {@link #decide(ModelRecord, double, Remeasure)} without re-measuring: other test sets are not comparable. */
    public PromotionRecord decide(ModelRecord challenger, double margin) {
        return decide(challenger, margin, null);
    }

    /**
     * The chain's rule for a new version: champion when there is none; else when it beats the champion's metric by
     * more than {@code margin} on the same test set. When the champion was measured on another test set, it is
     * measured again on the challenger's ({@code remeasure}) and compared there; when that cannot be done, the
     * result is not comparable and nothing moves.
     */
    public PromotionRecord decide(ModelRecord challenger, double margin, Remeasure remeasure) {
        Optional<ModelRecord> champion = champion(challenger.name());
        if (champion.isEmpty()) {
            return store.decide(challenger.name(), CHAMPION, Action.PROMOTED, challenger.version(), null,
                    challenger.value(), null, "the first version that passed the gate");
        }
        ModelRecord c = champion.get();
        if (c.testSet().equals(challenger.testSet())) {
            return compare(challenger, c, c.value(), margin, TestSet.weak(c.testSet())
                    ? " (same dataset name and test count; no checksums to compare)" : "");
        }
        String other = "measured on another test set than " + c.label() + " (" + challenger.testSet() + " vs "
                + c.testSet() + ")";
        Remeasured again = remeasure == null ? Remeasured.failed("no way to re-evaluate it here")
                : remeasure.measure(c);
        if (again.value() != null && challenger.testSet().equals(again.testSet())) {
            return compare(challenger, c, again.value(), margin, String.format(Locale.ROOT,
                    " on this version's test set (%s re-evaluated on it; %.4f on its own)", c.label(), c.value()));
        }
        String why = again.value() == null ? again.problem()
                : "its re-evaluation ran on yet another test set (" + again.testSet() + ")";
        return store.decide(challenger.name(), CHAMPION, Action.NOT_COMPARABLE, challenger.version(), c.version(),
                challenger.value(), c.value(), other + "; re-evaluating " + c.label() + " on this test set failed: "
                        + why + "; promote by hand with --force");
    }

    /** Promoted when {@code challenger} beats {@code championValue} (both on one test set) by the margin, else kept. */
    private PromotionRecord compare(ModelRecord challenger, ModelRecord c, double championValue, double margin,
                                    String note) {
        boolean higher = Direction.valueOf(challenger.direction()) == Direction.AT_LEAST;
        double gain = higher ? challenger.value() - championValue : championValue - challenger.value();
        String figures = String.format(Locale.ROOT, "%s %.4f against %s's %.4f", challenger.metric(),
                challenger.value(), c.label(), championValue) + note;
        if (gain > margin) {
            return store.decide(challenger.name(), CHAMPION, Action.PROMOTED, challenger.version(), c.version(),
                    challenger.value(), championValue, figures);
        }
        return store.decide(challenger.name(), CHAMPION, Action.KEPT, challenger.version(), c.version(),
                challenger.value(), championValue, figures + String.format(Locale.ROOT,
                        ": not better by more than the margin %.4f", margin));
    }

    /** Points the champion at a version by hand; another test set than the champion's needs {@code force}. */
    public PromotionRecord promote(String name, int version, boolean force) {
        ModelRecord v = store.model(name, version).orElseThrow(() -> TrainchainException.badInput("no version "
                + version + " of model " + name + "; trainchain models list " + name + " shows them"));
        Optional<ModelRecord> c = champion(name);
        if (c.isPresent() && c.get().version() == version) {
            throw TrainchainException.badInput(v.label() + " is already the champion");
        }
        boolean comparable = c.isEmpty() || c.get().testSet().equals(v.testSet());
        if (!comparable && !force) {
            throw TrainchainException.badInput(v.label() + " was measured on another test set than the champion "
                    + c.get().label() + "; their figures do not compare: add --force to promote it anyway");
        }
        return store.decide(name, CHAMPION, comparable ? Action.PROMOTED : Action.FORCED, version,
                c.map(ModelRecord::version).orElse(null), v.value(), c.map(ModelRecord::value).orElse(null),
                comparable ? "promoted by hand" : "promoted by hand with --force across test sets");
    }

    /**
     * Points the champion back at the one before it: the champions form a stack (a promotion pushes, a rollback
     * pops), so rolling back twice goes two champions back.
     */
    public PromotionRecord rollback(String name) {
        ModelRecord current = champion(name).orElseThrow(() -> TrainchainException.badInput("model " + name
                + " has no champion to roll back"));
        Deque<Integer> champions = new ArrayDeque<>();
        for (PromotionRecord p : store.promotions(name, CHAMPION)) {
            if (p.action() == Action.ROLLED_BACK) {
                champions.pop();
            } else if (p.moved()) {
                champions.push(p.version());
            }
        }
        champions.pop();
        if (champions.isEmpty()) {
            throw TrainchainException.badInput(current.label() + " is the first champion of " + name
                    + "; there is no earlier one to roll back to");
        }
        ModelRecord back = store.model(name, champions.peek()).orElseThrow();
        return store.decide(name, CHAMPION, Action.ROLLED_BACK, back.version(), current.version(), back.value(),
                current.value(), "rolled back from " + current.label());
    }

    public Optional<ModelRecord> champion(String name) {
        return store.alias(name, CHAMPION).flatMap(v -> store.model(name, v));
    }

    /** A model by NAME@ALIAS, NAME/VERSION, NAME (its champion) or a SHA-256 prefix of 8 or more hex digits. */
    public ModelRecord resolve(String ref) {
        if (ref.contains("@")) {
            String[] p = ref.split("@", 2);
            return store.alias(p[0], p[1]).flatMap(v -> store.model(p[0], v)).orElseThrow(() -> notFound(ref));
        }
        if (ref.contains("/")) {
            String[] p = ref.split("/", 2);
            try {
                return store.model(p[0], Integer.parseInt(p[1])).orElseThrow(() -> notFound(ref));
            } catch (NumberFormatException e) {
                throw notFound(ref);
            }
        }
        if (ref.matches("[0-9a-f]{8,64}")) {
            List<ModelRecord> found = store.models(null, ref);
            if (found.size() > 1 && found.stream().map(ModelRecord::sha256).distinct().count() > 1) {
                throw TrainchainException.badInput("SHA-256 prefix " + ref + " matches " + found.size()
                        + " models; give more digits");
            }
            if (!found.isEmpty()) {
                return found.get(found.size() - 1); // the first version registered with that content
            }
        }
        return champion(ref).orElseThrow(() -> notFound(ref));
    }

    private static TrainchainException notFound(String ref) {
        return TrainchainException.badInput("no registered model '" + ref + "'; give NAME@champion, NAME/VERSION, "
                + "NAME or a SHA-256 prefix (trainchain models list shows them)");
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot read the model " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw TrainchainException.internal("no SHA-256 in this JVM", e);
        }
    }
}
