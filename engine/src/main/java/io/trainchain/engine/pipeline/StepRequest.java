package io.trainchain.engine.pipeline;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One Pipeline/freestyle step as its caller asks for it, 1:1 with the steps of the Jenkins plugin. Serializable: the
 * Jenkins adapter sends it to the agent that holds the workspace. Paths are strings relative to the workspace (or
 * absolute); a null optional field means "trainchain.yaml decides, else the engine's default".
 */
public sealed interface StepRequest extends Serializable {

    /** The step's name as the Pipeline symbol spells it. */
    String step();

    /** detectFramework. */
    record Detect(String repository) implements StepRequest {
        public Detect {
            repository = orDot(repository);
        }

        public String step() {
            return "detectFramework";
        }
    }

    /** buildTrainingImage. */
    record Image(String repository, String baseImage) implements StepRequest {
        public Image {
            repository = orDot(repository);
        }

        public String step() {
            return "buildTrainingImage";
        }
    }

    /**
     * trainInContainer: the chain's training and its gate, recorded in the run store.
     *
     * @param restarts  the watcher's restarts; 0 turns the watcher off; null: trainchain.yaml, else 3
     * @param timeoutMinutes the container is killed after this long
     * @param gate      the step's own gate fields (over trainchain.yaml)
     * @param fallback  the caller's defaults (Jenkins' global configuration): used where neither the step nor
     *                  trainchain.yaml sets the metric or threshold; null for none
     */
    record Train(String repository, String data, String params, Integer epochs, Integer limit, String memory,
                 Double cpus, Integer restarts, long timeoutMinutes, boolean keepContainer, Gate gate,
                 String outputDir, Gate fallback) implements StepRequest {
        public static final long DEFAULT_TIMEOUT_MINUTES = 720;
        /** The watcher's restarts at most (its policy refuses more). */
        public static final int MAX_RESTARTS = io.trainchain.engine.watch.WatchPolicy.MAX_RESTARTS_LIMIT;

        public Train {
            repository = orDot(repository);
            gate = gate == null ? new Gate(null, null, null, null) : gate;
        }

        public String step() {
            return "trainInContainer";
        }
    }

    /**
     * checkAccuracy over an evaluation.json (or the folder holding it, or a run folder with train/evaluation.json).
     *
     * @param direction at_least (scores) or at_most (losses); null: at_least
     */
    record Gate(String evaluation, String metric, Double threshold, String direction) implements StepRequest {
        public String step() {
            return "checkAccuracy";
        }
    }

    /**
     * tuneHyperparameters, bounded by its budget; the owner's e-mail at its end.
     *
     * @param parentRunId the run below the gate that started the search (its runId), or null
     * @param space       searched params as the CLI's --param takes them ("learning_rate=choice:0.001,0.004");
     *                    empty: the tune: section of trainchain.yaml
     * @param owners      who gets the e-mail; empty: tune.notify, else {@code fallbackOwners}, else the commit's
     *                    author
     * @param mail        how the e-mail leaves
     * @param fallback    as for {@link Train}
     * @param fallbackOwners the caller's default owners (Jenkins' global configuration): used only where neither
     *                    the step nor trainchain.yaml's tune.notify names any; empty for none
     */
    record Tune(String repository, String data, Integer limit, String parentRunId, String strategy,
                List<String> space, Integer maxTrials, Integer maxEpochs, Double maxMinutes, Integer trialEpochs, Integer concurrency,
                List<String> owners, Gate gate, Mail mail, Gate fallback, List<String> fallbackOwners)
            implements StepRequest {
        /** The search strategies the engine knows. */
        public static final List<String> STRATEGIES = io.trainchain.engine.config.TuneOptions.STRATEGIES;

        public Tune {
            repository = orDot(repository);
            owners = owners == null ? List.of() : List.copyOf(owners);
            fallbackOwners = fallbackOwners == null ? List.of() : List.copyOf(fallbackOwners);
            space = space == null ? List.of() : List.copyOf(space);
            gate = gate == null ? new Gate(null, null, null, null) : gate;
            mail = mail == null ? Mail.engine(SmtpSettings.NONE) : mail;
        }

        public String step() {
            return "tuneHyperparameters";
        }
    }

    /** watchContainer: follow a container something else started, restarting it from its checkpoints. */
    record Watch(String container, String outputDir, Integer restarts, long timeoutMinutes) implements StepRequest {
        public Watch {
            Objects.requireNonNull(container, "container");
        }

        public String step() {
            return "watchContainer";
        }
    }

    /**
     * How the owner's e-mail leaves: through the engine's SMTP (the settings given, over the agent's
     * TRAINCHAIN_SMTP_* environment), or composed only and handed back to the caller to send (Jenkins' Mailer).
     */
    record Mail(boolean deferred, SmtpSettings smtp) implements Serializable {
        public static Mail engine(SmtpSettings smtp) {
            return new Mail(false, smtp == null ? SmtpSettings.NONE : smtp);
        }

        public static Mail deferredToCaller() {
            return new Mail(true, SmtpSettings.NONE);
        }
    }

    private static String orDot(String repository) {
        return repository == null || repository.isBlank() ? "." : repository;
    }
}
