package io.trainchain.engine.chain;

import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.config.ProjectConfig;
import io.trainchain.engine.detect.DetectFramework;
import io.trainchain.engine.detect.Detection;
import io.trainchain.engine.detect.Evidence;
import io.trainchain.engine.detect.Framework;
import io.trainchain.engine.detect.Recipes;
import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.store.GitInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What the detect-framework step decides about a repository before anything runs: its trainchain.yaml, the
 * framework with its evidence, and the image recipe. The chain and the tuner both start from it.
 *
 * @param repo      the repository, absolute
 * @param git       its commit, or null when it is not a git checkout
 * @param recipeDir the folder of the framework's image recipe
 */
public record Project(Path repo, GitInfo git, ProjectConfig config, Detection detection, Path recipeDir) {

    /** The repository as a folder, with its git state (read before the step, so a failure can still name it). */
    static Path requireRepo(Path repository) {
        Path repo = repository.toAbsolutePath().normalize();
        if (!Files.isDirectory(repo)) {
            throw TrainchainException.badInput("repository " + repo + " is not a directory; give the "
                    + "folder of a checked-out repository (trainchain run PATH)");
        }
        return repo;
    }

    /**
     * The detect-framework step's body. A bad trainchain.yaml fails before the scan.
     *
     * @param detected told the framework as soon as it is known, so a missing recipe is recorded with it
     */
    static Project detect(Path repo, GitInfo git, Path dockerfilesRoot, ChainListener l,
                          Consumer<Framework> detected) {
        ProjectConfig config = ProjectConfig.load(repo);
        Detection d = new DetectFramework().detect(repo, config.framework());
        int shown = 0;
        for (Evidence e : d.evidence()) {
            if (shown++ == 8) {
                l.log(ChainRunner.DETECT, "... " + (d.evidence().size() - 8) + " more");
                break;
            }
            l.log(ChainRunner.DETECT, e.framework().displayName() + " at " + e.where() + ": " + e.snippet());
        }
        d.notes().forEach(n -> l.log(ChainRunner.DETECT, n));
        if (d.framework() == null) {
            throw TrainchainException.badInput(d.notes().isEmpty() ? "no ML framework found in " + repo
                    : d.notes().get(0));
        }
        detected.accept(d.framework());
        Path recipeDir = Recipes.require(dockerfilesRoot, d.framework()).getParent();
        l.log(ChainRunner.DETECT, "image recipe: " + recipeDir);
        Project project = new Project(repo, git, config, d, recipeDir);
        if (config.script().install().isPresent() && !project.python()) {
            throw TrainchainException.badInput(config.source() + ": install (pip at build time) is for Python code, "
                    + "but this repository trains with " + d.framework().displayName() + "; remove install");
        }
        return project;
    }

    /** The step's one-line summary. */
    String summary() {
        return detection.summary().split(": ", 2)[0] + ", " + detection.evidence().size() + " evidence, recipe "
                + detection.framework().recipe();
    }

    public Framework framework() {
        return detection.framework();
    }

    public boolean python() {
        return PythonTraining.isPython(framework());
    }

    /** The Python recipes build on the plain Debian base unless a base image was given. */
    String baseImage(ChainSettings settings) {
        return python() && ChainSettings.DEFAULT.equals(settings.origin("base-image"))
                ? BaseImage.Flavor.DEBIAN.image() : settings.baseImage();
    }
}
