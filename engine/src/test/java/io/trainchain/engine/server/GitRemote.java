package io.trainchain.engine.server;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real bare repository on disk (the "forge") and a working clone the test commits in and pushes from. Shared
 * with the CLI's server tests through the engine's test-jar.
 */
public final class GitRemote implements AutoCloseable {
    public final Path bare;
    private final Git work;

    public GitRemote(Path dir) throws Exception {
        bare = dir.resolve("remote.git");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
        work = Git.cloneRepository().setURI(bare.toUri().toString()).setDirectory(dir.resolve("work").toFile()).call();
    }

    /** The bare repository's file:///... URL, as the clone above uses it. */
    public String url() {
        return bare.toUri().toString();
    }

    /** Commits a file on {@code branch} (created from HEAD when new), pushes it and returns the commit id. */
    public String push(String branch, String file, String content) throws Exception {
        Path root = work.getRepository().getWorkTree().toPath();
        boolean exists = work.getRepository().exactRef("refs/heads/" + branch) != null;
        if (work.getRepository().resolve("HEAD") != null) {
            work.checkout().setName(branch).setCreateBranch(!exists).call();
        }
        Files.writeString(root.resolve(file), content);
        work.add().addFilepattern(file).call();
        RevCommit c = work.commit().setMessage("change " + file).setAuthor("Ada", "ada@example.org")
                .setCommitter("Ada", "ada@example.org").call();
        if (!branch.equals(work.getRepository().getBranch())) {
            work.branchRename().setNewName(branch).call(); // the first commit went on the initial branch
        }
        work.push().setRefSpecs(new RefSpec("refs/heads/" + branch + ":refs/heads/" + branch)).call();
        return c.getName();
    }

    /** Copies a folder's files (not its target/) into the working clone, commits them all and pushes. */
    public String pushCopyOf(Path source, String branch) throws Exception {
        Path root = work.getRepository().getWorkTree().toPath();
        try (java.util.stream.Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = source.relativize(f);
                if (rel.startsWith("target")) {
                    continue;
                }
                Files.createDirectories(root.resolve(rel).getParent());
                Files.copy(f, root.resolve(rel), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        work.add().addFilepattern(".").call();
        RevCommit c = work.commit().setMessage("copy of " + source.getFileName()).setAuthor("Ada", "ada@example.org")
                .setCommitter("Ada", "ada@example.org").call();
        if (!branch.equals(work.getRepository().getBranch())) {
            work.branchRename().setNewName(branch).call();
        }
        work.push().setRefSpecs(new RefSpec("refs/heads/" + branch + ":refs/heads/" + branch)).call();
        return c.getName();
    }

    @Override
    public void close() {
        work.close();
    }
}
