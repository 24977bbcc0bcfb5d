package io.trainchain.jenkins;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.trainchain.engine.pipeline.EngineSetup;
import io.trainchain.engine.pipeline.PipelineSteps;
import io.trainchain.engine.pipeline.StepRequest;
import io.trainchain.engine.pipeline.StepResult;
import jenkins.MasterToSlaveFileCallable;

import java.io.File;

/**
 * Runs one step's engine work where the workspace is (the agent), so the agent's Docker and files are used; the
 * engine's events go to the build log. An aborted build interrupts this call on the agent; the engine then stops
 * and removes its container before it returns.
 */
final class EngineCallable extends MasterToSlaveFileCallable<StepResult> {
    private static final long serialVersionUID = 1L;

    private final StepRequest request;
    private final EngineSetup setup;
    private final TaskListener listener;

    EngineCallable(StepRequest request, EngineSetup setup, TaskListener listener) {
        this.request = request;
        this.setup = setup;
        this.listener = listener;
    }

    @Override
    public StepResult invoke(File workspace, VirtualChannel channel) {
        return new PipelineSteps(setup, workspace.toPath(), new ConsoleListener(listener.getLogger())).run(request);
    }
}
