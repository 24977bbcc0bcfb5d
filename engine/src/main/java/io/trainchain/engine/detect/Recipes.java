package io.trainchain.engine.detect;

import io.trainchain.engine.TrainchainException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the image recipe (dockerfiles/&lt;recipe&gt;/Dockerfile) for a framework. */
public final class Recipes {

    /**
     * @param dockerfile where the recipe is (or would be)
     * @param exists     whether it is there
     * @param message    what was found, or what is missing and what to do
     */
    public record Lookup(Framework framework, Path dockerfile, boolean exists, String message) {
    }

    private Recipes() {
    }

    public static Lookup find(Path dockerfilesRoot, Framework framework) {
        Path dockerfile = dockerfilesRoot.resolve(framework.recipe()).resolve("Dockerfile");
        if (Files.isRegularFile(dockerfile)) {
            return new Lookup(framework, dockerfile, true,
                    "image recipe for " + framework.displayName() + ": " + dockerfile);
        }
        List<String> available = available(dockerfilesRoot);
        if (framework == Framework.TENSORFLOW) {
            return new Lookup(framework, dockerfile, false, "TensorFlow/Keras code found, but there is no TensorFlow "
                    + "image recipe here (no " + dockerfile + "): Debian packages no TensorFlow and no registry or "
                    + "package index is reachable. Provide one: " + dockerfile + " of your own under the same "
                    + "contract as dockerfiles/pytorch (FROM the base image, python3 with tensorflow, "
                    + "trainchain-python/ copied to /opt/trainchain/python on PYTHONPATH, user 1000, code/ copied "
                    + "to /opt/trainchain/code; the script gets --data, --out, --params and --resume), or point "
                    + "--dockerfiles at a folder that has one. Recipes here: "
                    + (available.isEmpty() ? "none" : String.join(", ", available)));
        }
        return new Lookup(framework, dockerfile, false, framework.displayName()
                + " is recognised but Trainchain has no image recipe for it yet (no " + dockerfile + "); recipes here: "
                + (available.isEmpty() ? "none" : String.join(", ", available))
                + ". Add " + framework.recipe() + "/Dockerfile under " + dockerfilesRoot
                + ", or port the project to a framework with a recipe");
    }

    /** Like {@link #find} but a missing recipe is a BAD_INPUT error carrying the same message. */
    public static Path require(Path dockerfilesRoot, Framework framework) {
        Lookup lookup = find(dockerfilesRoot, framework);
        if (!lookup.exists()) {
            throw TrainchainException.badInput(lookup.message());
        }
        return lookup.dockerfile();
    }

    /** Recipe folder names that hold a Dockerfile, sorted. */
    public static List<String> available(Path dockerfilesRoot) {
        if (!Files.isDirectory(dockerfilesRoot)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(dockerfilesRoot)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("Dockerfile")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw TrainchainException.infrastructure("cannot list image recipes in " + dockerfilesRoot + ": "
                    + e.getMessage(), e);
        }
    }
}
