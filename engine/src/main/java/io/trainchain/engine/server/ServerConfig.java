package io.trainchain.engine.server;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * What {@code trainchain server} serves (see {@link ServerConfigParser} for the file).
 *
 * @param host         address to listen on
 * @param port         port (0: any free one)
 * @param maxBodyBytes larger deliveries are refused (413) unread
 * @param workers      chains that may run at once, over all repositories
 * @param perBranch    chains that may run at once on one repository and branch
 * @param supersede    a newer push replaces a queued (not yet running) chain of the same branch
 * @param workDir      clone cache and run folders; null: next to the run database
 */
public record ServerConfig(String host, int port, int maxBodyBytes, int workers, int perBranch, boolean supersede,
                           Path workDir, List<Repository> repositories) {

    public static final int DEFAULT_MAX_BODY = 1 << 20;

    public ServerConfig {
        repositories = List.copyOf(repositories);
    }

    /**
     * One repository the server builds.
     *
     * @param name      its name here (runs and the queue use it)
     * @param url       https:// or file:// remote the commits are fetched from
     * @param aliases   how the forges' payloads name it (full name "acme/fashion", clone URLs); name and url count too
     * @param branches  pushes to these branches start the chain; empty: every branch
     * @param tokenEnv  environment variable holding an https token, or null
     * @param chain     options of the chain it runs
     * @param schedules cron schedules on this repository
     */
    public record Repository(String name, String url, List<String> aliases, List<String> branches, String tokenEnv,
                             ChainOptions chain, List<Schedule> schedules) {
        public Repository {
            aliases = List.copyOf(aliases);
            branches = List.copyOf(branches);
            schedules = List.copyOf(schedules);
        }

        boolean builds(String branch) {
            return branches.isEmpty() || branches.contains(branch);
        }

        boolean namedBy(List<String> payloadNames) {
            for (String n : payloadNames) {
                String bare = n.endsWith(".git") ? n.substring(0, n.length() - 4) : n;
                for (String mine : List.of(name, url)) {
                    if (n.equals(mine) || bare.equals(mine) || aliases.contains(n) || aliases.contains(bare)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** Overrides of the repository's trainchain.yaml, as `trainchain run` takes them; null: the file decides. */
    public record ChainOptions(Integer limit, Integer epochs, Double threshold, Path data) {
        public static final ChainOptions NONE = new ChainOptions(null, null, null, null);
    }

    /**
     * Starts the chain on a branch's head at the cron's times.
     *
     * @param name                   unique over the file; the queue records it with the fire time
     * @param cron                   a Unix cron expression (5 fields)
     * @param zone                   the time zone the expression is read in
     * @param onlyWhenDatasetChanged fire only when the files under {@code dataset} changed since the last fire
     * @param dataset                the folder whose identity is compared (required with the flag)
     */
    public record Schedule(String name, String cron, ZoneId zone, String branch, boolean onlyWhenDatasetChanged,
                           Path dataset) {
    }

    /** The configured repository a push payload names, if any. */
    public Optional<Repository> repositoryNamed(List<String> payloadNames) {
        return repositories.stream().filter(r -> r.namedBy(payloadNames)).findFirst();
    }

    public Optional<Repository> repository(String name) {
        return repositories.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
