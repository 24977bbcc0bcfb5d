package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.StepRequest;

import java.util.Arrays;
import java.util.List;

/**
 * A step's fields (Pipeline step and freestyle builder alike) bound to its engine request, with the global
 * configuration filling what the step leaves empty. Nothing else: every default beyond these is the engine's.
 */
public final class Requests {

    private Requests() {
    }

    public static StepRequest.Detect detect(String repository) {
        return new StepRequest.Detect(trim(repository));
    }

    public static StepRequest.Image image(String repository, String baseImage) {
        return new StepRequest.Image(trim(repository), trim(baseImage));
    }

    public static StepRequest.Train train(String repository, String data, String params, Integer epochs, Integer limit,
                                          String memory, Double cpus, Integer restarts, Long timeoutMinutes,
                                          boolean keepContainer, String metric, Double threshold, String outputDir,
                                          Defaults d) {
        return new StepRequest.Train(trim(repository), trim(data), trim(params), epochs, limit, trim(memory), cpus,
                restarts, timeoutMinutes == null ? StepRequest.Train.DEFAULT_TIMEOUT_MINUTES : timeoutMinutes,
                keepContainer, new StepRequest.Gate(null, trim(metric), threshold, null), trim(outputDir),
                fallback(d));
    }

    public static StepRequest.Gate gate(String evaluation, String metric, Double threshold, String direction,
                                        Defaults d) {
        return new StepRequest.Gate(trim(evaluation), or(trim(metric), trim(d.metric())),
                threshold != null ? threshold : d.threshold(), trim(direction));
    }

    public static StepRequest.Tune tune(String repository, String parentRunId, String strategy, String space,
                                        Integer maxTrials,
                                        Integer maxEpochs, Double maxMinutes, Integer trialEpochs, String owners,
                                        String metric, Double threshold, String data, Integer limit, Defaults d) {
        StepRequest.Mail mail = d.jenkinsMail() ? StepRequest.Mail.deferredToCaller()
                : StepRequest.Mail.engine(d.smtp());
        return new StepRequest.Tune(trim(repository), trim(data), limit, trim(parentRunId), trim(strategy),
                entries(space), maxTrials, maxEpochs, maxMinutes, trialEpochs, null, emails(trim(owners)),
                new StepRequest.Gate(null, trim(metric), threshold, null), mail, fallback(d),
                emails(trim(d.ownerEmail())));
    }

    /** The configured gate defaults, below trainchain.yaml (the engine decides where the file is silent). */
    static StepRequest.Gate fallback(Defaults d) {
        return trim(d.metric()) == null && d.threshold() == null ? null
                : new StepRequest.Gate(null, trim(d.metric()), d.threshold(), null);
    }

    public static StepRequest.Watch watch(String container, String outputDir, Integer restarts, Long timeoutMinutes) {
        return new StepRequest.Watch(trim(container), trim(outputDir), restarts,
                timeoutMinutes == null ? StepRequest.Train.DEFAULT_TIMEOUT_MINUTES : timeoutMinutes);
    }

    /** "lr=choice:0.001,0.004; batch_size=choice:64,128" (or one per line) to its entries. */
    static List<String> entries(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("[;\n]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** "a@x.org, b@y.org" or "a@x.org b@y.org" to a list; empty for none. */
    static List<String> emails(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("[,;\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }
}
