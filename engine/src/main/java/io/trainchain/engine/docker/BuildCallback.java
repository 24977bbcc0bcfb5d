package io.trainchain.engine.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.docker.BuildTrainingImage.BuildFailedException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Streams build output line by line, remembering the current step and its output for failure reports. */
final class BuildCallback extends ResultCallback.Adapter<BuildResponseItem> {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final Pattern STEP_LINE = Pattern.compile("^Step \\d+/\\d+ : .*");

    private final ChainListener out;
    private final List<String> stepOutput = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    volatile String currentStep;
    volatile String error;

    BuildCallback(ChainListener out) {
        this.out = out;
    }

    @Override
    public void onNext(BuildResponseItem item) {
        if (item.isErrorIndicated()) {
            flushPartial();
            error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                    ? item.getErrorDetail().getMessage() : item.getError();
            out.log(BuildTrainingImage.STEP, "ERROR: " + error);
            return;
        }
        String text = item.getStream() != null ? item.getStream() : item.getStatus();
        if (text == null) {
            return;
        }
        // The engine sends chunks, not lines: split on newlines and keep the tail for the next chunk.
        synchronized (partial) {
            partial.append(text);
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                line(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
        }
    }

    private void flushPartial() {
        synchronized (partial) {
            if (partial.length() > 0) {
                line(partial.toString());
                partial.setLength(0);
            }
        }
    }

    private void line(String raw) {
        // Drop colour codes and a trailing CR (tools inside RUN steps print them).
        String line = ANSI.matcher(raw).replaceAll("");
        line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        Matcher m = STEP_LINE.matcher(line);
        if (m.matches()) {
            currentStep = line;
            synchronized (stepOutput) {
                stepOutput.clear();
            }
        } else if (!line.startsWith(" ---> ") && !line.startsWith("Removing intermediate container")) {
            synchronized (stepOutput) {
                stepOutput.add(line);
            }
        }
        out.log(BuildTrainingImage.STEP, line);
    }

    @Override
    public void onComplete() {
        flushPartial();
        super.onComplete();
    }

    BuildFailedException failure() {
        String output;
        synchronized (stepOutput) {
            output = String.join("\n", stepOutput);
        }
        return new BuildFailedException(currentStep, output, error);
    }
}
