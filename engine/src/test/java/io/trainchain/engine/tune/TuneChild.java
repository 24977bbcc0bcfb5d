package io.trainchain.engine.tune;

import com.fasterxml.jackson.databind.JsonNode;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.engine.store.RunStore;

import java.nio.file.Path;

/**
 * A search in a process of its own, for {@link TuneHyperparametersIT} to kill with SIGKILL: prints every event as a
 * line ("epoch trial=N epoch=E") so the test knows when to kill it.
 * Args: STORE WORKDIR (the rest of the request is {@link TuneHyperparametersIT#killableRequest}).
 */
public final class TuneChild {
    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        Path work = Path.of(args[1]);
        try (RunStore runs = RunStore.open(store)) {
            new TuneHyperparameters(() -> DockerConnector.fromEnvironment().connect(), SearchMailer.NONE)
                    .run(TuneHyperparametersIT.killableRequest(work, false), runs, new TuneListener() {
                        @Override
                        public void log(String step, String line) {
                            System.out.println("[" + step + "] " + line);
                        }

                        @Override
                        public void epoch(String step, JsonNode m) {
                            System.out.println("epoch trial=" + m.path("trial").asInt() + " epoch="
                                    + m.path("epoch").asInt());
                        }
                    });
        }
    }
}
