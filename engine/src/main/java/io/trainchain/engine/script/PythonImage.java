package io.trainchain.engine.script;

import io.trainchain.engine.TrainchainException;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Python recipes (dockerfiles/pytorch, dockerfiles/sklearn) get from the engine: the {@code trainchain}
 * helper module and the launcher, under {@code trainchain-python/} in the build context, installed at
 * {@value #DIR} (on PYTHONPATH) by the recipe.
 */
public final class PythonImage {
    public static final String CONTEXT_DIR = "trainchain-python/";
    public static final String DIR = "/opt/trainchain/python";
    public static final String LAUNCHER = DIR + "/trainchain_launch.py";
    /** The writable working copy of the code: a host folder mounted at {@value #WORK_MOUNT}. */
    public static final String WORK_MOUNT = "/work";
    public static final String WORKDIR = WORK_MOUNT + "/code";
    static final List<String> FILES = List.of("trainchain.py", "trainchain_launch.py", "trainchain_install.py");

    private PythonImage() {
    }

    /** The helper's files by context path, and the install layer's empty manifest (no install: in trainchain.yaml). */
    public static Map<String, byte[]> contextFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = PythonImage.class.getResourceAsStream("/io/trainchain/engine/python/" + name)) {
                if (in == null) {
                    throw TrainchainException.infrastructure("the engine jar lacks its Python helper " + name
                            + "; rebuild it (mvn -B package -DskipTests)", null);
                }
                files.put(CONTEXT_DIR + name, in.readAllBytes());
            } catch (IOException e) {
                throw TrainchainException.infrastructure("cannot read the Python helper " + name + ": "
                        + e.getMessage(), e);
            }
        }
        files.putAll(InstallLayer.contextFiles(null, Optional.empty(), null, null)); // the recipes COPY its folder
        return files;
    }
}
