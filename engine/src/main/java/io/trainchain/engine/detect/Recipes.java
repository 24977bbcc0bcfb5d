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
