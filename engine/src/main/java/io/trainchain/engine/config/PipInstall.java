package io.trainchain.engine.config;

import java.net.URI;
import java.util.Optional;

/**
 * trainchain.yaml's {@code install:}: the repository's requirements.txt / pyproject.toml dependencies that the
 * training image lacks are pip-installed when the image is built (never in the training container, which has no
 * network). {@code install: true} uses pip's default index as the build's network reaches it.
 *
 * @param indexUrl  the package index (pip's {@code --index-url}); http(s), no credentials (they would stay in the
 *                  image's layers)
 * @param findLinks a folder of wheels in the repository (pip's {@code --find-links}); alone, the install is offline
 *                  ({@code --no-index})
 */
public record PipInstall(Optional<URI> indexUrl, Optional<String> findLinks) {
    public static final PipInstall DEFAULT_INDEX = new PipInstall(Optional.empty(), Optional.empty());

    /** Whether pip may reach a package index at all (false: only the repository's wheels). */
    public boolean usesIndex() {
        return indexUrl.isPresent() || findLinks.isEmpty();
    }
}
