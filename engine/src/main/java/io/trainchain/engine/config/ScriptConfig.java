package io.trainchain.engine.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a Python script is run and read (trainchain.yaml's top-level {@code entrypoint}, {@code args},
 * {@code data_path}, {@code metrics}, {@code resume_args}, {@code checkpoint_dir}, {@code model_path},
 * {@code entry_point}, {@code evaluate}, {@code install}), in the spirit of Katib's trial templates and metrics
 * collectors.
 *
 * @param entrypoint    the script, relative to the repository root (default train.py, or the MLproject's command)
 * @param args          the script's own arguments with {@code {param}} placeholders; present = template mode
 * @param dataPath      where the dataset must appear, relative to the working directory (e.g. data/)
 * @param metrics       what to read from the output or from a file the script writes
 * @param resumeArgs    extra arguments for a restart that resumes (template mode)
 * @param checkpointDir where the script keeps its checkpoints, relative to the working directory
 * @param modelPath     the model file the script leaves, relative to the working directory
 * @param mlprojectEntry the MLproject entry point to run (default main)
 * @param evaluate      a script that evaluates a saved model on the test set (--model FILE, --data, --out, --limit;
 *                      writes evaluation.json), so the registry can measure a champion on a challenger's test set
 * @param install       pip-install the requirements the image lacks when the image is built ({@code install:})
 */
public record ScriptConfig(Optional<String> entrypoint, Optional<List<String>> args, Optional<String> dataPath,
                           List<MetricRule> metrics, List<String> resumeArgs, Optional<String> checkpointDir,
                           Optional<String> modelPath, Optional<String> mlprojectEntry, Optional<String> evaluate,
                           Optional<PipInstall> install) {

    public static final ScriptConfig NONE = new ScriptConfig(Optional.empty(), Optional.empty(), Optional.empty(),
            List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public ScriptConfig(Optional<String> entrypoint, Optional<List<String>> args, Optional<String> dataPath,
                        List<MetricRule> metrics, List<String> resumeArgs, Optional<String> checkpointDir,
                        Optional<String> modelPath, Optional<String> mlprojectEntry) {
        this(entrypoint, args, dataPath, metrics, resumeArgs, checkpointDir, modelPath, mlprojectEntry,
                Optional.empty(), Optional.empty());
    }

    public ScriptConfig {
        args = args.map(List::copyOf);
        metrics = List.copyOf(metrics);
        resumeArgs = List.copyOf(resumeArgs);
    }

    /** When a metric is read: each match is an epoch's value, or the last match is the final value. */
    public enum Per { EPOCH, FINAL }

    /**
     * One metric: {@code regex}'s first group (times {@code scale}) from each output line, or from the file
     * {@code file} (relative to the working directory) once the script has ended.
     */
    public record MetricRule(String name, Pattern regex, String file, double scale, Per per) {
    }

    /** Whether anything of it was given (a script written for Trainchain needs none of it). */
    public boolean isTemplate() {
        return args.isPresent() || !metrics.isEmpty();
    }
}
