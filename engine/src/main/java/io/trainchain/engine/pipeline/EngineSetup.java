package io.trainchain.engine.pipeline;

import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.store.RunStore;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where the engine finds its parts on the machine that runs a step: the Docker engine, the run store and the
 * Trainchain installation (image recipes, the built-in trainer). Null fields take the CLI's defaults.
 *
 * @param dockerHost a DOCKER_HOST-style address (unix:///var/run/docker.sock, tcp://host:2375); null: DOCKER_HOST,
 *                   else the usual sockets
 * @param runStore   the run database (relative: to the workspace); null: TRAINCHAIN_STORE, else ~/.trainchain/runs.db
 * @param home       the Trainchain folder with dockerfiles/ and trainer/target/dist (or lib/trainer); relative: to
 *                   the workspace; null: the workspace itself (a checkout of the Trainchain repository)
 */
public record EngineSetup(String dockerHost, String runStore, String home) implements Serializable {

    public static final String CONFIGURED = "Trainchain configuration";

    public Supplier<DockerConnection> docker() {
        if (blank(dockerHost)) {
            return () -> DockerConnector.fromEnvironment().connect();
        }
        return () -> new DockerConnector(List.of(new DockerConnector.Candidate(CONFIGURED, dockerHost.trim())),
                System.getenv(), DockerConnector.Timeouts.DEFAULT).connect();
    }

    public Path store(Path workspace) {
        if (!blank(runStore)) {
            return workspace.resolve(runStore.trim()).toAbsolutePath().normalize();
        }
        String env = System.getenv("TRAINCHAIN_STORE");
        return env != null && !env.isBlank() ? Path.of(env) : RunStore.defaultPath();
    }

    public Path home(Path workspace) {
        return blank(home) ? workspace : workspace.resolve(home.trim()).toAbsolutePath().normalize();
    }

    public Path dockerfiles(Path workspace) {
        return home(workspace).resolve("dockerfiles");
    }

    /** TRAINCHAIN_TRAINER_DIST, else the build output under home, else an installation's lib/trainer. */
    public Path trainerDist(Path workspace) {
        String env = System.getenv("TRAINCHAIN_TRAINER_DIST");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path built = home(workspace).resolve("trainer/target/dist");
        return Files.isDirectory(built) ? built : home(workspace).resolve("lib/trainer");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
