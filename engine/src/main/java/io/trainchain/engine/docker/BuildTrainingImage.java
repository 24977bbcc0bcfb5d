package io.trainchain.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.trainchain.engine.ChainListener;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds the training image of a recipe (e.g. {@code dockerfiles/dl4j}) with the trainer dist and the user's code,
 * tagged by a hash of everything that goes in: {@code trainchain/train-<recipe>:<hash12>}. When that tag exists
 * nothing is sent to the engine at all (the cached path is a hash and one inspect).
 */
public final class BuildTrainingImage {

    public static final String STEP = "build-image";
    public static final String HASH_LABEL = "io.trainchain.content-sha256";

    /**
     * @param recipeDir   the recipe's folder (holds the Dockerfile), e.g. {@code <repo>/dockerfiles/dl4j}
     * @param trainerDist trainer/target/dist (trainchain-trainer.jar + lib/), or null for non-JVM recipes
     * @param codeDir     the user's code, copied under /opt/trainchain/code; null for none
     * @param baseImage   passed as build arg BASE_IMAGE; must exist locally (no registry)
     * @param buildArgs   more build args (part of the hash)
     */
    /**
     * @param extraFiles more context files by context path (e.g. the Python helper under trainchain-python/)
     */
    public record Request(Path recipeDir, Path trainerDist, Path codeDir, String baseImage,
                          Map<String, String> buildArgs, Duration timeout, ChainListener listener,
                          Map<String, byte[]> extraFiles) {
        public Request {
            Objects.requireNonNull(recipeDir, "recipeDir");
            Objects.requireNonNull(baseImage, "baseImage");
            buildArgs = buildArgs == null ? Map.of() : Map.copyOf(buildArgs);
            timeout = timeout == null ? Duration.ofMinutes(30) : timeout;
            listener = listener == null ? ChainListener.NONE : listener;
            extraFiles = extraFiles == null ? Map.of() : Map.copyOf(extraFiles);
        }

        public Request(Path recipeDir, Path trainerDist, Path codeDir, String baseImage,
                       Map<String, String> buildArgs, Duration timeout, ChainListener listener) {
            this(recipeDir, trainerDist, codeDir, baseImage, buildArgs, timeout, listener, Map.of());
        }

        public Request(Path recipeDir, Path trainerDist, Path codeDir, String baseImage, ChainListener listener) {
            this(recipeDir, trainerDist, codeDir, baseImage, Map.of(), null, listener, Map.of());
        }
    }

    public record Result(String imageId, String tag, boolean cached, double seconds, String contentHash) {
    }

    /** A Dockerfile instruction failed; {@link #step()} is the "Step n/m : ..." line, {@link #output()} its output. */
    public static final class BuildFailedException extends DockerStepException {
        private final String step;
        private final String output;

        BuildFailedException(String step, String output, String error) {
            super("image build failed at " + (step == null ? "(before the first step)" : "'" + step + "'") + ": "
                    + error + (output.isBlank() ? "" : "\n--- output of that step ---\n" + output));
            this.step = step;
            this.output = output;
        }

        public String step() {
            return step;
        }

        public String output() {
            return output;
        }
    }

    private final DockerClient docker;

    public BuildTrainingImage(DockerClient docker) {
        this.docker = Objects.requireNonNull(docker, "docker");
    }

    public Result run(Request request) {
        long start = System.nanoTime();
        ChainListener out = request.listener();
        out.stepStarted(STEP);
        String recipe = request.recipeDir().toAbsolutePath().normalize().getFileName().toString();
        String baseId = BaseImage.existingImageId(docker, request.baseImage());
        if (baseId == null) {
            throw new DockerStepException("base image " + request.baseImage() + " not found locally; build it "
                    + "first with `trainchain base-image` (images cannot be pulled here)");
        }
        Map<String, String> args = new LinkedHashMap<>(request.buildArgs());
        args.put("BASE_IMAGE", request.baseImage());

        BuildContext context;
        String hash;
        try {
            context = BuildContext.assemble(request.recipeDir(), request.trainerDist(), request.codeDir(),
                    request.extraFiles());
            hash = context.contentHash(recipe, baseId, args);
        } catch (IOException e) {
            throw new DockerStepException("reading the build context failed: " + e.getMessage(), e);
        }
        for (String s : context.skipped()) {
            out.log(STEP, "not in the image: " + s);
        }
        String tag = "trainchain/train-" + recipe + ":" + hash.substring(0, 12);

        String cachedId = cachedImage(tag, hash);
        if (cachedId != null) {
            Result r = new Result(cachedId, tag, true, seconds(start), hash);
            out.log(STEP, String.format("%s is up to date (%s); not rebuilt (%.2f s)", tag, cachedId, r.seconds()));
            out.stepFinished(STEP, true, "cached " + tag);
            return r;
        }
        try {
            out.log(STEP, String.format("building %s from %d files (%.1f MB)", tag, context.files().size(),
                    context.totalBytes() / 1e6));
        } catch (IOException e) {
            throw new DockerStepException("reading the build context failed: " + e.getMessage(), e);
        }
        build(context, tag, hash, args, request.timeout(), out);
        String id = cachedImage(tag, hash);
        if (id == null) {
            throw new DockerStepException("the build reported success but " + tag + " is missing");
        }
        Result r = new Result(id, tag, false, seconds(start), hash);
        out.log(STEP, String.format("built %s (%s) in %.1f s", tag, id, r.seconds()));
        out.stepFinished(STEP, true, "built " + tag);
        return r;
    }

    /** The id of {@code tag} if it exists and carries the full hash (guards against a 12-char collision). */
    private String cachedImage(String tag, String hash) {
        try {
            InspectImageResponse inspect = docker.inspectImageCmd(tag).exec();
            Map<String, String> labels = inspect.getConfig() == null ? null : inspect.getConfig().getLabels();
            if (labels != null && hash.equals(labels.get(HASH_LABEL))) {
                return inspect.getId();
            }
            return null;
        } catch (NotFoundException e) {
            return null;
        }
    }

    private void build(BuildContext context, String tag, String hash, Map<String, String> args, Duration timeout,
                       ChainListener out) {
        BuildCallback callback = new BuildCallback(out);
        AtomicReference<Throwable> tarError = new AtomicReference<>();
        PipedInputStream tarIn;
        PipedOutputStream tarOut;
        try {
            tarIn = new PipedInputStream(1 << 20);
            tarOut = new PipedOutputStream(tarIn);
        } catch (IOException e) {
            throw new DockerStepException("could not set up the build context stream", e);
        }
        // The tar is produced while the engine reads it: no temp copy of the jars, no gzip.
        Thread writer = new Thread(() -> {
            try (PipedOutputStream o = tarOut) {
                context.writeTar(o, name -> { });
            } catch (IOException | RuntimeException e) {
                tarError.set(e);
            }
        }, "build context for " + tag);
        writer.setDaemon(true);
        writer.start();

        var cmd = docker.buildImageCmd()
                .withTarInputStream(tarIn)
                .withTags(java.util.Set.of(tag))
                .withLabels(Map.of(HASH_LABEL, hash))
                .withPull(false) // no registry here; the base is local
                .withRemove(true)
                .withForcerm(true); // remove intermediate containers of failed steps too
        args.forEach(cmd::withBuildArg);
        try {
            cmd.exec(callback);
            boolean done = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                DockerConnector.closeQuietly(callback); // aborts the request; the engine cancels the build
                throw new DockerStepException("image build of " + tag + " did not finish within " + timeout
                        + "; last step: " + callback.currentStep);
            }
        } catch (InterruptedException e) {
            DockerConnector.closeQuietly(callback);
            Thread.currentThread().interrupt();
            throw new DockerStepException("image build of " + tag + " interrupted", e);
        } catch (RuntimeException e) {
            if (e instanceof DockerStepException) {
                throw e;
            }
            if (tarError.get() != null) {
                throw new DockerStepException("sending the build context failed: " + tarError.get(), tarError.get());
            }
            if (callback.error != null) {
                throw callback.failure();
            }
            throw new DockerStepException("image build of " + tag + " failed: " + e.getMessage(), e);
        } finally {
            DockerConnector.closeQuietly(tarIn); // unblocks the writer if the engine stopped reading
        }
        if (callback.error != null) {
            throw callback.failure();
        }
        if (tarError.get() != null) {
            throw new DockerStepException("sending the build context failed: " + tarError.get(), tarError.get());
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
