package io.trainchain.engine.docker;

import com.github.dockerjava.api.DockerClient;
import io.trainchain.engine.ChainListener;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static io.trainchain.engine.docker.TrainInContainer.CONTAINER_GID;
import static io.trainchain.engine.docker.TrainInContainer.CONTAINER_UID;
import static io.trainchain.engine.docker.TrainInContainer.STEP;

/** Files between the host and a training container: the writable output dir, and copies out of a container. */
public final class ContainerFiles {

    private ContainerFiles() {
    }

    /**
     * The container user (1000) must be able to write the output dir: chown it when we are root, nothing when we
     * are 1000, else open it up (rootless engines map ids differently, where only that works).
     */
    public static void prepareOutputDir(Path output, ChainListener out) {
        try {
            Files.createDirectories(output);
            Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (Integer.valueOf(CONTAINER_UID).equals(me)) {
                return;
            }
            if (Integer.valueOf(0).equals(me)) {
                Files.setAttribute(output, "unix:uid", CONTAINER_UID);
                Files.setAttribute(output, "unix:gid", CONTAINER_GID);
                return;
            }
            Files.setPosixFilePermissions(output, PosixFilePermissions.fromString("rwxrwxrwx"));
            out.log(STEP, "made " + output + " world-writable so that container uid " + CONTAINER_UID
                    + " can write it");
        } catch (IOException | UnsupportedOperationException e) {
            throw new DockerStepException("cannot prepare output dir " + output + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies {@code containerPath} (file or folder) out of a container, e.g. one run without a bind-mounted
     * output dir, into {@code hostDir}. Entries that would land outside hostDir are refused.
     */
    public static List<Path> copyFromContainer(DockerClient docker, String containerId, String containerPath,
                                               Path hostDir) {
        List<Path> written = new ArrayList<>();
        Path root = hostDir.toAbsolutePath().normalize();
        try (InputStream raw = docker.copyArchiveFromContainerCmd(containerId, containerPath).exec();
             TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            Files.createDirectories(root);
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new DockerStepException("refusing tar entry outside " + root + ": " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    written.add(target);
                }
                // links and devices are skipped: results are plain files
            }
        } catch (IOException e) {
            throw new DockerStepException("copying " + containerPath + " out of " + containerId + " failed: "
                    + e.getMessage(), e);
        }
        return written;
    }
}
