package io.trainchain.engine.watch;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.RestartPolicy;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.ContainerSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A training container something else started ({@code docker run ...}), read back from Docker so that the
 * watcher can follow it and restart it the same way: its image, command, environment, user, mounts and limits,
 * and the host folder behind its {@code --out} (where the checkpoints are).
 *
 * @param id        the container's id
 * @param name      its name, without Docker's leading slash (restarts are NAME-r1, NAME-r2...)
 * @param outputDir the host folder mounted at the container's --out
 */
public record WatchTarget(String id, String name, ContainerSpec spec, Path outputDir) {

    /**
     * @param outputDir the host folder of the trainer's output, when it cannot be read from the container's mounts
     *                  (null to read it)
     */
    public static WatchTarget of(DockerClient docker, String container, Path outputDir, ChainListener out) {
        InspectContainerResponse c;
        try {
            c = docker.inspectContainerCmd(container).exec();
        } catch (NotFoundException e) {
            throw TrainchainException.badInput("no container '" + container + "' on this Docker engine; give the "
                    + "name or id of a training container (docker ps -a lists them)");
        }
        ContainerSpec spec = ContainerSpec.of(c);
        RestartPolicy policy = spec.host().getRestartPolicy();
        if (policy != null && policy.getName() != null && !policy.getName().isBlank()
                && !"no".equals(policy.getName())) {
            // Two restarters would race for the same checkpoints: the restarted containers get none of Docker's.
            out.log(WatchContainer.STEP, "warning: " + container + " has Docker's restart policy '" + policy.getName()
                    + "'; the containers Trainchain starts get none (it restarts them itself, from the checkpoint)");
            spec.host().withRestartPolicy(RestartPolicy.noRestart());
        }
        Path dir = outputDir != null ? outputDir.toAbsolutePath().normalize() : hostOut(spec, container);
        if (!Files.isDirectory(dir)) {
            throw TrainchainException.badInput("the output folder " + dir + " of " + container + " is not a folder "
                    + "on this machine; run trainchain watch on the machine of the Docker engine, or pass --out DIR");
        }
        String name = c.getName() == null ? c.getId().substring(0, 12) : c.getName().replaceFirst("^/", "");
        return new WatchTarget(c.getId(), name, spec, dir);
    }

    /** The host folder bound at the path the command gives as {@code --out}. */
    private static Path hostOut(ContainerSpec spec, String container) {
        List<String> cmd = spec.cmd();
        int i = cmd.indexOf("--out");
        if (i < 0 || i + 1 >= cmd.size()) {
            throw TrainchainException.badInput(container + " was not started with --out DIR (its command: "
                    + String.join(" ", cmd) + "), so its checkpoints cannot be found; pass --out HOST_DIR");
        }
        String inContainer = cmd.get(i + 1);
        String host = spec.mounts().get(inContainer);
        if (host == null) {
            throw TrainchainException.badInput(container + " writes to " + inContainer + ", which is not a folder "
                    + "mounted from this machine (mounts: " + spec.mounts() + "); its checkpoints would die with it. "
                    + "Start it with -v HOST_DIR:" + inContainer + ", or pass --out HOST_DIR");
        }
        return Path.of(host);
    }
}
