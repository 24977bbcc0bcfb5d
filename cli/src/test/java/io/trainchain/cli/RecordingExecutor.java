package io.trainchain.cli;

import io.trainchain.engine.server.ChainExecutor;
import org.eclipse.jgit.api.Git;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what the workers hand over, with the commit actually checked out, and returns at once. Not a mock of the
 * chain: these tests check the HTTP front, the queue and the JGit checkout, and a real training per delivery would
 * make them minutes long while testing nothing more of the server (ServerRestartIT runs the real chain).
 */
final class RecordingExecutor implements ChainExecutor {
    /** One execution: the job and the HEAD commit and branch of its checkout. */
    record Execution(Job job, String checkedOut, String branch) {
    }

    final List<Execution> executions = new CopyOnWriteArrayList<>();

    @Override
    public Result execute(Job job) {
        try (Git git = Git.open(job.checkout().toFile())) {
            executions.add(new Execution(job, git.getRepository().resolve("HEAD").getName(),
                    git.getRepository().getBranch()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return new Result(null, "recorded (no chain: the front's test)");
    }
}
