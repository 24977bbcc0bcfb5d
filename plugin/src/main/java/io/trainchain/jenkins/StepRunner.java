package io.trainchain.jenkins;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.trainchain.engine.pipeline.StepFailedException;
import io.trainchain.engine.pipeline.StepRequest;
import io.trainchain.engine.pipeline.StepResult;

import java.io.IOException;
import java.util.concurrent.CancellationException;

/**
 * The one path from a Pipeline step or a freestyle builder into the engine (the pattern of warnings-ng): send the
 * bound request to the workspace's machine, then apply the outcome to the build: the gate's verdict as the build
 * result, the run summary as a build action, the owner's e-mail through Jenkins' Mailer where it was deferred.
 */
final class StepRunner {

    private StepRunner() {
    }

    static StepResult perform(StepRequest request, String belowGate, Defaults defaults, Run<?, ?> run,
                              FilePath workspace, TaskListener listener) throws IOException, InterruptedException {
        if (workspace == null) {
            throw new AbortException(request.step() + " needs a workspace: run it inside node { ... }");
        }
        Outcome belowGateOutcome;
        try {
            belowGateOutcome = Outcome.belowGate(request, belowGate, defaults.belowGate());
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
        StepResult result;
        try {
            result = workspace.act(new EngineCallable(request, defaults.setup(), listener));
        } catch (StepFailedException e) {
            // The engine's message says what was wrong and what to do; a stack trace would bury it.
            throw new AbortException(e.describe());
        } catch (CancellationException e) {
            // Interrupted where the engine ran (an aborted build): the container is already stopped and removed.
            throw new InterruptedException(e.getMessage());
        }
        Outcome outcome = Outcome.of(result, belowGateOutcome);
        if (outcome != Outcome.SUCCESS) {
            listener.getLogger().println("[trainchain] " + request.step() + ": below the gate; build result "
                    + outcome);
            run.setResult(outcome == Outcome.FAILURE ? Result.FAILURE : Result.UNSTABLE);
        }
        RunSummary.of(result).ifPresent(s -> TrainchainAction.attach(run, s, reportHtml(result), listener));
        if (result instanceof StepResult.Tuned t && t.outgoing() != null) {
            JenkinsMail.send(t.outgoing(), listener);
        }
        return result;
    }

    private static String reportHtml(StepResult result) {
        if (result instanceof StepResult.Trained t) {
            return t.reportHtml();
        }
        return result instanceof StepResult.Tuned t ? t.reportHtml() : null;
    }
}
