package io.trainchain.jenkins;

import io.trainchain.engine.pipeline.EngineSetup;
import io.trainchain.engine.pipeline.SmtpSettings;

/**
 * What the global configuration supplies to every step, as plain values (no Jenkins types, so the binding of a
 * step's fields to its engine request is tested without Jenkins). Null fields: the engine's defaults.
 *
 * @param threshold      the gate threshold a step without one uses
 * @param metric         the gate metric a step without one uses
 * @param ownerEmail     the owners' e-mail (comma-separated) when neither a tuning step nor tune.notify names any
 * @param belowGate      the build result of a model below the gate: UNSTABLE (default) or FAILURE
 * @param jenkinsMail    send the owner's e-mail through Jenkins' Mailer plugin (else the engine's SMTP)
 */
public record Defaults(EngineSetup setup, Double threshold, String metric, String ownerEmail, String belowGate,
                       boolean jenkinsMail, SmtpSettings smtp) {

    /** No global configuration at all: the engine's defaults everywhere. */
    public static final Defaults NONE = new Defaults(new EngineSetup(null, null, null), null, null, null, null,
            false, SmtpSettings.NONE);

    public Defaults {
        setup = setup == null ? new EngineSetup(null, null, null) : setup;
        smtp = smtp == null ? SmtpSettings.NONE : smtp;
    }
}
