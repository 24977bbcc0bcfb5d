package io.trainchain.jenkins;

import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.trainchain.engine.pipeline.StepRequest;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

import java.util.Map;
import java.util.Set;

/**
 * The six Pipeline steps: each binds its fields to an engine request ({@link #request}) and runs it through the
 * shared {@link StepRunner}. The execution runs off the CPS thread (the engine's work takes minutes to hours);
 * aborting the build interrupts it, which reaches the agent, where the engine stops and removes its container.
 */
public abstract class TrainchainStep extends Step {

    /** This step's fields as its engine request, the global configuration filling what is empty. */
    abstract StepRequest request(Defaults defaults);

    /** The build result below the gate this step asks for (null: the global configuration's). */
    String belowGateResult() {
        return null;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient TrainchainStep step;

        Execution(TrainchainStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext c = getContext();
            Defaults defaults = TrainchainConfig.defaultsNow();
            return ReturnMaps.of(StepRunner.perform(step.request(defaults), step.belowGateResult(), defaults,
                    c.get(Run.class), c.get(FilePath.class), c.get(TaskListener.class)));
        }
    }

    /** What every Trainchain step needs from its context: the build, the workspace (on an agent) and the log. */
    public abstract static class DescriptorBase extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, TaskListener.class);
        }
    }
}
