package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.docker.ContainerSpec;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.TrainInContainer;
import io.trainchain.engine.store.AttemptRecord;
import io.trainchain.engine.store.RunStore;
import io.trainchain.engine.watch.Attempt;
import io.trainchain.engine.watch.WatchContainer;
import io.trainchain.engine.watch.WatchPolicy;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The chain's trainInContainer step: the locked-down container under the watcher ({@code --restarts 0} leaves
 * one container), every container's end recorded in the run store as an attempt.
 */
final class TrainStep {

    private TrainStep() {
    }

    /** @param adapt turns the built-in trainer's container into the one that runs (the user's script) */
    static WatchContainer.Result run(DockerConnection connection, Supplier<DockerConnection> reconnect,
                                     TrainInContainer.Request request, UnaryOperator<ContainerSpec> adapt,
                                     WatchPolicy policy, RunStore store, String runId, ChainListener l) {
        ContainerSpec spec = adapt.apply(new TrainInContainer(connection.client()).spec(request));
        WatchContainer watch = new WatchContainer(connection, reconnect);
        try {
            return watch.run(new WatchContainer.Request(spec, request.outputDir(), TrainInContainer.containerName(),
                    null, policy, request.timeout(), request.keepContainer(), l, a -> record(store, runId, a, l)));
        } finally {
            if (watch.connection() != connection) {
                watch.connection().close(); // the engine came back under a new connection
            }
        }
    }

    /** The policy for {@code framework}'s trainer: only the built-in one knows {@code --standby}. */
    static WatchPolicy policyFor(Framework framework, WatchPolicy policy, ChainListener l) {
        if (policy.hotStandby() && framework != Framework.DL4J) {
            l.log(TrainInContainer.STEP, "watch: no hot standby for " + framework.displayName() + " code (only the "
                    + "built-in trainer can wait for a signal); restarts start a new container");
            return policy.withHotStandby(false);
        }
        return policy;
    }

    private static void record(RunStore store, String runId, Attempt a, ChainListener l) {
        try {
            store.recordAttempt(runId, new AttemptRecord(a.number(), a.startedAt(), a.seconds(), a.cause().name(),
                    a.exitCode(), a.oomKilled(), a.containerId(), a.memoryBytes() > 0 ? a.memoryBytes() : null,
                    a.resumedFrom(), a.lostSeconds(), a.message()));
        } catch (RuntimeException e) {
            l.log(TrainInContainer.STEP, "could not record attempt " + a.number() + ": " + e.getMessage());
        }
    }
}
