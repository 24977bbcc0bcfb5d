package io.trainchain.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.trainchain.engine.docker.BaseImage.Flavor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Turns a rootfs directory into a local image for {@link BaseImage}: the {@code tar | docker import} half. */
final class RootfsImport {

    private final DockerClient docker;
    private final DockerHttpClient http;

    RootfsImport(DockerClient docker, DockerHttpClient http) {
        this.docker = docker;
        this.http = http;
    }

    /** tar (root only can read everything and keep owners) piped into the engine's import endpoint. */
    String importRootfs(Path root, Flavor flavor, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("tar", "--numeric-owner", "-C", root.toString(), "-c", ".");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process tar = pb.start();
        try (InputStream in = tar.getInputStream()) {
            postImport(in, flavor);
        } finally {
            try {
                if (!tar.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    tar.destroyForcibly();
                    throw new DockerStepException("tar of the rootfs did not finish within " + timeout);
                }
                if (tar.exitValue() != 0) {
                    throw new DockerStepException("tar of the rootfs exited with " + tar.exitValue());
                }
            } catch (InterruptedException e) {
                tar.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new DockerStepException("interrupted while importing the base image", e);
            }
        }
        String id = BaseImage.existingImageId(docker, flavor.image());
        if (id == null) {
            throw new DockerStepException("import finished but " + flavor.image() + " is not there");
        }
        return id;
    }

    /**
     * POST /images/create?fromSrc=- by hand: docker-java's createImageCmd returns after the first progress message
     * and closes the connection while the engine is still reading the tar (the import then silently fails).
     * Unversioned path: the engine serves its own API version.
     */
    private void postImport(InputStream tar, Flavor flavor) throws IOException {
        String path = "/images/create?fromSrc=-&repo=" + URLEncoder.encode(flavor.repository, StandardCharsets.UTF_8)
                + "&tag=" + URLEncoder.encode(flavor.tag, StandardCharsets.UTF_8);
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(path)
                .putHeader("Content-Type", "application/x-tar")
                .body(tar)
                .build();
        String lastError = null;
        try (DockerHttpClient.Response response = http.execute(request);
             BufferedReader body = new BufferedReader(
                     new InputStreamReader(response.getBody(), StandardCharsets.UTF_8))) {
            // Read the progress stream to its end: that is what keeps the upload going.
            StringBuilder all = new StringBuilder();
            String line;
            while ((line = body.readLine()) != null) {
                all.append(line).append('\n');
                if (line.contains("\"error\"")) {
                    lastError = line;
                }
            }
            if (response.getStatusCode() / 100 != 2) {
                throw new DockerStepException("docker import answered " + response.getStatusCode() + ": " + all);
            }
        }
        if (lastError != null) {
            throw new DockerStepException("docker import failed: " + lastError);
        }
    }
}
