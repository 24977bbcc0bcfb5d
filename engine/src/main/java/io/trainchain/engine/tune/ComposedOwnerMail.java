package io.trainchain.engine.tune;

import io.trainchain.engine.chain.Project;
import io.trainchain.engine.notify.Mail;

import java.util.List;
import java.util.Optional;

/**
 * The owner's e-mail composed exactly as {@link OwnerMail} composes it, but kept for the caller to send through its
 * own mail service (Jenkins' Mailer plugin, whose SMTP session lives on the controller, not where the search ran).
 */
public final class ComposedOwnerMail implements SearchMailer {
    private volatile Mail mail;

    @Override
    public String send(SearchResult result, Project project, TuneListener out) {
        List<String> to = OwnerMail.recipients(result, project);
        if (to.isEmpty()) {
            String why = "no e-mail: no owner (set tune.notify in trainchain.yaml or the step's owners; the "
                    + "repository has no commit author)";
            out.log(TuneListener.STEP, why);
            return why;
        }
        mail = OwnerMail.compose(result, project, to);
        String line = "e-mail to " + String.join(", ", to) + " composed; the caller sends it";
        out.log(TuneListener.STEP, line);
        return line;
    }

    /** The composed mail, once the search has ended with an owner to write to. */
    public Optional<Mail> mail() {
        return Optional.ofNullable(mail);
    }
}
