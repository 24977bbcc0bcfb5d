package io.trainchain.engine.tune;

import io.trainchain.engine.chain.Project;

/** Tells the model's owner how a search ended. Never throws: the search's result does not depend on the mail. */
public interface SearchMailer {

    /** @return one line: to whom it was sent, where it was queued and why, or why none was sent */
    String send(SearchResult result, Project project, TuneListener out);

    SearchMailer NONE = (result, project, out) -> "no e-mail (none asked for)";
}
