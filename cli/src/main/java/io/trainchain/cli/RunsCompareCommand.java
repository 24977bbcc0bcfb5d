package io.trainchain.cli;

import io.trainchain.engine.report.CompareReport;
import io.trainchain.engine.report.Comparison;
import io.trainchain.engine.store.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code trainchain runs compare ID ID...}: runs side by side, as text and as an HTML page with their curves. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare runs: params and metrics side by side, differences marked with *,",
                "and an HTML page with the same table and the runs' learning curves together."})
final class RunsCompareCommand implements Callable<Integer> {
    /** Wider values are cut: a terminal line should hold three runs. */
    static final int WIDTH = 36;

    @Parameters(arity = "2..*", paramLabel = "ID", description = "Two run ids or more ('trainchain runs').")
    List<String> ids;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "compare.html",
            description = "The HTML file. Default: ${DEFAULT-VALUE} in the current folder.")
    Path out;

    @Mixin
    StoreOption store = new StoreOption();

    @Override
    public Integer call() {
        return store.withExisting((runs, db) -> {
            List<RunRecord> found = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (String id : new LinkedHashSet<>(ids)) {
                Optional<RunRecord> r = runs.getRun(id);
                r.ifPresentOrElse(found::add, () -> unknown.add(id));
            }
            if (!unknown.isEmpty()) {
                System.err.println("error: no run " + String.join(", ", unknown) + " in " + db
                        + "; `trainchain runs` lists the ids");
                return ExitCodes.BAD_INPUT;
            }
            if (found.size() < 2) {
                System.err.println("error: give two different runs or more to compare");
                return ExitCodes.BAD_INPUT;
            }
            Comparison c = Comparison.of(found);
            print(c, System.out);
            Path written = CompareReport.write(found, out);
            System.out.println("html: " + written.toAbsolutePath());
            return 0;
        });
    }

    /** One line a property, one column a run; a leading * marks where the runs differ. */
    static void print(Comparison c, PrintStream o) {
        List<String> names = c.rows().stream().map(r -> r.group() + " " + r.name()).toList();
        int first = Math.min(WIDTH, names.stream().mapToInt(String::length).max().orElse(0));
        List<Integer> widths = new ArrayList<>();
        for (int i = 0; i < c.runs().size(); i++) {
            int col = i;
            widths.add(Math.min(WIDTH, Math.max(c.runs().get(i).id().length(),
                    c.rows().stream().mapToInt(r -> r.values().get(col).length()).max().orElse(0))));
        }
        StringBuilder head = new StringBuilder("  ").append(pad("", first));
        for (int i = 0; i < c.runs().size(); i++) {
            head.append("  ").append(pad(c.runs().get(i).id(), widths.get(i)));
        }
        o.println(head.toString().stripTrailing());
        for (int r = 0; r < c.rows().size(); r++) {
            Comparison.Row row = c.rows().get(r);
            StringBuilder line = new StringBuilder(row.differs() ? "* " : "  ").append(pad(names.get(r), first));
            for (int i = 0; i < row.values().size(); i++) {
                line.append("  ").append(pad(row.values().get(i), widths.get(i)));
            }
            o.println(line.toString().stripTrailing());
        }
        o.println(c.differences().size() + " of " + c.rows().size() + " rows differ (marked *)");
    }

    private static String pad(String s, int width) {
        String one = s.replace('\n', ' ');
        String cut = one.length() <= width ? one : one.substring(0, width - 3) + "...";
        return cut + " ".repeat(width - cut.length());
    }
}
