package io.trainchain.engine.server;

import io.trainchain.engine.TrainchainException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Commits fetched with JGit into a cache of bare clones (one per repository, fetched again for each chain), and
 * checked out at the exact pushed commit into the chain's own folder, on a local branch of the pushed name so the
 * run records the branch.
 */
public final class Checkouts {
    private final Path cache;
    private final UnaryOperator<String> env;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** @param env reads the environment (the https tokens); never logged */
    public Checkouts(Path cache, UnaryOperator<String> env) {
        this.cache = cache;
        this.env = env;
    }

    /** Checks {@code commit} of {@code repo} out into {@code dir} (kept for a resumed chain) as {@code branch}. */
    public Path checkout(ServerConfig.Repository repo, String branch, String commit, Path dir) {
        Path bare = fetch(repo);
        try {
            if (!Files.isDirectory(dir.resolve(".git"))) {
                Files.createDirectories(dir);
                Git.init().setDirectory(dir.toFile()).call().close();
            }
            try (Git git = Git.open(dir.toFile())) {
                git.fetch().setRemote(bare.toUri().toString())
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*")).call();
                ObjectId id = ObjectId.fromString(commit);
                try (RevWalk walk = new RevWalk(git.getRepository())) {
                    walk.parseCommit(id);
                } catch (org.eclipse.jgit.errors.MissingObjectException e) {
                    throw TrainchainException.badInput("commit " + commit + " is not on " + repo.url()
                            + " (any branch); was it force-pushed away?");
                }
                git.checkout().setName(commit).setForced(true).call(); // detached first: the branch may be HEAD
                git.branchCreate().setName(branch).setStartPoint(commit).setForce(true).call();
                git.checkout().setName(branch).setForced(true).call();
            }
            return dir;
        } catch (IOException | GitAPIException | IllegalArgumentException e) {
            throw TrainchainException.infrastructure("cannot check out " + commit + " of " + repo.name() + " into "
                    + dir + ": " + e.getMessage(), e);
        }
    }

    /** The commit at the head of {@code branch} on the remote (what a schedule builds). */
    public String head(ServerConfig.Repository repo, String branch) {
        Path bare = fetch(repo);
        try (Git git = Git.open(bare.toFile())) {
            Ref ref = git.getRepository().exactRef("refs/heads/" + branch);
            if (ref == null) {
                throw TrainchainException.badInput("branch " + branch + " is not on " + repo.url()
                        + "; fix the schedule's branch");
            }
            return ref.getObjectId().getName();
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot read " + bare + ": " + e.getMessage(), e);
        }
    }

    /** The repository's bare clone in the cache, fetched now. One fetch per repository at a time. */
    private Path fetch(ServerConfig.Repository repo) {
        Path bare = cache.resolve(repo.name() + ".git");
        synchronized (locks.computeIfAbsent(repo.name(), k -> new Object())) {
            try {
                if (!Files.isDirectory(bare)) {
                    Files.createDirectories(cache);
                    Git.init().setBare(true).setDirectory(bare.toFile()).call().close();
                }
                try (Git git = Git.open(bare.toFile())) {
                    git.fetch().setRemote(repo.url()).setCredentialsProvider(credentials(repo))
                            .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*")).setRemoveDeletedRefs(true).call();
                }
                return bare;
            } catch (IOException | GitAPIException e) {
                // the message names the URL, never the token (which JGit does not put in URLs it reports)
                throw TrainchainException.infrastructure("cannot fetch " + repo.url() + " into " + bare + ": "
                        + e.getMessage() + "; check the URL and, for https, the token in "
                        + (repo.tokenEnv() == null ? "token_env" : "$" + repo.tokenEnv()), e);
            }
        }
    }

    private CredentialsProvider credentials(ServerConfig.Repository repo) {
        if (repo.tokenEnv() == null || !repo.url().startsWith("https://")) {
            return null;
        }
        String token = env.apply(repo.tokenEnv());
        if (token == null || token.isBlank()) {
            throw TrainchainException.badInput("$" + repo.tokenEnv() + " is not set; it holds the token for "
                    + repo.url());
        }
        // GitHub, GitLab and Gitea all take a token as the password with any user name
        return new UsernamePasswordCredentialsProvider("x-access-token", token);
    }
}
