package io.trainchain.cli;

import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.registry.ModelRegistry;
import io.trainchain.engine.store.ModelRecord;
import io.trainchain.engine.store.PromotionRecord;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code trainchain models}: the model registry. Every model that passed the gate is a registered version; the
 * {@code champion} alias moves by the chain's rule or by hand here, each decision recorded.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        subcommands = {ModelsCommand.Show.class, ModelsCommand.Promote.class, ModelsCommand.Rollback.class},
        description = {"List registered model versions, newest first ('models show REF' for one with its run and "
                + "the champion's history; 'models promote NAME VERSION', 'models rollback NAME').",
                "REF: NAME@champion, NAME/VERSION, NAME (its champion) or a SHA-256 prefix."})
final class ModelsCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this registered model.")
    String name;

    @Mixin
    StoreOption store = new StoreOption();

    @Override
    public Integer call() {
        return withRegistry(store, (runs, registry) -> {
            List<ModelRecord> models = runs.models(name, null);
            PrintStream o = System.out;
            if (models.isEmpty()) {
                o.println("no registered models" + (name == null ? "" : " named " + name)
                        + " (a run that passes its gate registers its model)");
                return 0;
            }
            String format = "%-24s %-8s %-9s %-12s %-10s %-12s %-19s %s%n";
            o.printf(Locale.ROOT, format, "MODEL", "VERSION", "ALIAS", "METRIC", "VALUE", "SHA-256", "REGISTERED (UTC)",
                    "RUN");
            for (ModelRecord m : models) {
                boolean champion = runs.alias(m.name(), ModelRegistry.CHAMPION).orElse(-1) == m.version();
                o.printf(Locale.ROOT, format, m.name(), "v" + m.version(), champion ? "champion" : "-", m.metric(),
                        String.format(Locale.ROOT, "%.4f", m.value()), m.sha256().substring(0, 12),
                        RunsCommand.TIME.format(m.registeredAt()), m.runId());
            }
            return 0;
        });
    }

    /** Runs the body on the existing store and its registry. */
    static int withRegistry(StoreOption store, Body body) {
        return store.withExisting((runs, db) -> body.run(runs, new ModelRegistry(runs)));
    }

    @FunctionalInterface
    interface Body {
        int run(RunStore runs, ModelRegistry registry);
    }

    static String decision(PromotionRecord p) {
        Function<Double, String> f = v -> v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
        return String.format(Locale.ROOT, "%3d  %-19s %-14s v%-3d %s  (was %s, %s)  %s", p.seq(),
                RunsCommand.TIME.format(p.decidedAt()), p.action(), p.version(), f.apply(p.value()),
                p.previousVersion() == null ? "none" : "v" + p.previousVersion(), f.apply(p.previousValue()),
                ConsolePrinter.ascii(p.reason()));
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One registered version: its file, metric, test set and run (lineage), and the champion's "
                    + "history of its registered model.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REF", description = "NAME@champion, NAME/VERSION, NAME or a SHA-256 "
                + "prefix.")
        String ref;

        @Mixin
        StoreOption store = new StoreOption();

        @Override
        public Integer call() {
            return withRegistry(store, (runs, registry) -> {
                ModelRecord m = registry.resolve(ref);
                PrintStream o = System.out;
                Optional<ModelRecord> champion = registry.champion(m.name());
                o.println(m.label() + (champion.isPresent() && champion.get().version() == m.version()
                        ? " (champion)" : ""));
                o.printf(Locale.ROOT, "  file       %s (%d bytes)%n  sha256     %s%n  %-10s %.4f (%s)%n"
                                + "  test set   %s%n  registered %s%n", m.path(), m.bytes(), m.sha256(), m.metric(),
                        m.value(), m.direction().toLowerCase(Locale.ROOT), m.testSet(),
                        RunsCommand.TIME.format(m.registeredAt()));
                Optional<RunRecord> run = runs.getRun(m.runId());
                o.println("  run        " + m.runId() + run.map(r -> " (" + r.status() + ", " + r.repository()
                        + (r.git() == null || r.git().commitId() == null ? "" : " at " + r.git().commitId()
                        + (r.git().dirty() ? " with uncommitted changes" : "")) + ", image " + r.imageId()
                        + ")").orElse(" (no longer in the store)"));
                run.ifPresent(r -> o.println("  params     " + r.paramsJson()));
                runs.environment(m.runId()).ifPresent(e -> o.println("  trained by " + e.trainer() + " in "
                        + e.imageTag() + " (content hash " + e.imageHash() + "), " + e.limits()));
                runs.trialOf(m.runId()).ifPresent(t -> o.println("  search     " + t.searchId() + ", trial "
                        + t.number()));
                run.map(RunRecord::dataset).filter(d -> d.json() != null)
                        .ifPresent(d -> o.println("  data       " + d.name() + " " + d.json()));
                o.println("  champion history of " + m.name() + ":");
                for (PromotionRecord p : runs.promotions(m.name(), ModelRegistry.CHAMPION)) {
                    o.println("    " + decision(p));
                }
                return 0;
            });
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make VERSION the champion of NAME (recorded like the chain's promotions).")
    static final class Promote implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION", description = "A version number, e.g. 3 or v3.")
        String version;

        @Option(names = "--force", description = "Promote a version measured on another test set than the champion.")
        boolean force;

        @Mixin
        StoreOption store = new StoreOption();

        @Override
        public Integer call() {
            return withRegistry(store, (runs, registry) -> {
                int v;
                try {
                    v = Integer.parseInt(version.startsWith("v") ? version.substring(1) : version);
                } catch (NumberFormatException e) {
                    throw TrainchainException.badInput("VERSION '" + version + "' is not a version number; give e.g. 3");
                }
                System.out.println(decision(registry.promote(name, v, force)));
                return 0;
            });
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Point NAME's champion back at the champion before it (recorded like a promotion).")
    static final class Rollback implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        StoreOption store = new StoreOption();

        @Override
        public Integer call() {
            return withRegistry(store, (runs, registry) -> {
                System.out.println(decision(registry.rollback(name)));
                return 0;
            });
        }
    }
}
