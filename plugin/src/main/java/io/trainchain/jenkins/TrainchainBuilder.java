package io.trainchain.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.trainchain.engine.pipeline.StepRequest;
import jenkins.tasks.SimpleBuildStep;

import java.io.IOException;
import java.util.function.UnaryOperator;

/** The six freestyle build steps: the same fields and the same {@link StepRunner} path as the Pipeline steps. */
public abstract class TrainchainBuilder extends Builder implements SimpleBuildStep {

    /** The fields as the engine request, each text field through {@code env} (the build's ${VAR} expansion). */
    abstract StepRequest request(Defaults defaults, UnaryOperator<String> env);

    /** The fields as they are, unexpanded. */
    StepRequest request(Defaults defaults) {
        return request(defaults, UnaryOperator.identity());
    }

    String belowGateResult() {
        return null;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        Defaults defaults = TrainchainConfig.defaultsNow();
        StepRunner.perform(request(defaults, env::expand), belowGateResult(), defaults, run, workspace, listener);
    }

    /** Applicable to every kind of freestyle-style project. */
    public abstract static class DescriptorBase extends BuildStepDescriptor<Builder> {
        @Override
        @SuppressWarnings("rawtypes") // the overridden method's own signature
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }
    }
}
