package io.trainchain.engine.server;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.chain.ChainRequest;
import io.trainchain.engine.chain.ChainResult;
import io.trainchain.engine.chain.ChainRunner;
import io.trainchain.engine.chain.GateOverride;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.store.RunStore;

import java.nio.file.Path;
import java.util.function.Supplier;

/** The real chain for a queued commit: {@link ChainRunner} in the chain's folder, resumed there when interrupted. */
public final class ChainRunnerExecutor implements ChainExecutor {
    private final ChainRunner runner;
    private final RunStore store;
    private final Path trainerDist;
    private final Path dockerfiles;
    private final ChainListener listener;

    public ChainRunnerExecutor(Supplier<DockerConnection> docker, RunStore store, Path trainerDist, Path dockerfiles,
                               ChainListener listener) {
        this.runner = new ChainRunner(docker);
        this.store = store;
        this.trainerDist = trainerDist;
        this.dockerfiles = dockerfiles;
        this.listener = listener;
    }

    @Override
    public Result execute(Job job) {
        ServerConfig.ChainOptions o = job.repository().chain();
        ChainRequest request = ChainRequest.of(job.checkout(), trainerDist, dockerfiles)
                .withImages(o.limit(), o.epochs())
                .withGate(new GateOverride(null, o.threshold(), null))
                .withData(o.data(), null)
                .withOutput(job.runDir(), null)
                .withTrigger(job.chain().trigger());
        ChainResult r = job.resume() ? runner.resume(request, store, listener) : runner.run(request, store, listener);
        return new Result(r.runId(), "run " + r.runId() + " " + r.status()
                + (job.resume() ? " (resumed from its checkpoint)" : ""));
    }
}
