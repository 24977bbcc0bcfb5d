package io.trainchain.engine.store;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.NoWorkTreeException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which code a run trained: the commit, the branch, and whether the working tree had uncommitted
 * or untracked changes (then the commit alone does not reproduce the run).
 *
 * @param commitId full SHA-1 of HEAD, or null in a repository without commits
 * @param branch   short branch name, or the commit id when HEAD is detached
 */
public record GitInfo(String commitId, String branch, boolean dirty) {

    private static final Logger LOG = LoggerFactory.getLogger(GitInfo.class);

    /** Empty for a folder that is not inside a Git repository; also empty (with a warning) if Git cannot be read. */
    public static Optional<GitInfo> read(Path repo) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(repo.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try (Repository repository = builder.setMustExist(true).build(); Git git = new Git(repository)) {
            ObjectId head = repository.resolve(Constants.HEAD);
            boolean dirty;
            try {
                dirty = !git.status().call().isClean();
            } catch (NoWorkTreeException e) {
                dirty = false; // a bare repository has nothing to be dirty
            }
            return Optional.of(new GitInfo(head == null ? null : head.getName(), repository.getBranch(), dirty));
        } catch (IOException | GitAPIException | RuntimeException e) {
            // Commit metadata is worth recording, not worth failing a training run over.
            LOG.warn("cannot read Git information of {}: {}; the run is recorded without a commit", repo, e.toString());
            return Optional.empty();
        }
    }

    /** The e-mail address of HEAD's author (a search's default owner), if the repository has one. */
    public static Optional<String> authorEmail(Path repo) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(repo.toAbsolutePath().toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try (Repository repository = builder.setMustExist(true).build();
             org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repository)) {
            ObjectId head = repository.resolve(Constants.HEAD);
            if (head == null) {
                return Optional.empty();
            }
            String email = walk.parseCommit(head).getAuthorIdent().getEmailAddress();
            return email == null || email.isBlank() ? Optional.empty() : Optional.of(email);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the author of {}'s HEAD: {}", repo, e.toString());
            return Optional.empty();
        }
    }
}
