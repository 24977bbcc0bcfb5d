package io.trainchain.engine.chain;

import com.github.dockerjava.api.exception.NotFoundException;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainchainException;
import io.trainchain.engine.docker.BaseImage;
import io.trainchain.engine.docker.DockerConnection;

import java.time.Duration;

/**
 * The chain's base-image step: one of Trainchain's own base images is built from Debian packages when missing; any
 * other image must already be on the engine (nothing is pulled).
 */
final class EnsureBaseImage {
    static final String STEP = BaseImage.STEP;

    private EnsureBaseImage() {
    }

    static BaseImage.Result ensure(DockerConnection connection, String image, Duration timeout, ChainListener l) {
        for (BaseImage.Flavor f : BaseImage.Flavor.values()) {
            if (f.image().equals(image)) {
                if (!exists(connection, image)) {
                    l.log(STEP, image + " is not here and no registry can be reached: building it from Debian "
                            + "packages with debootstrap (about a minute, once)");
                }
                return new BaseImage(connection).ensure(new BaseImage.Request(f, false, null, timeout, l));
            }
        }
        long t0 = System.nanoTime();
        if (!exists(connection, image)) {
            throw TrainchainException.badInput("base image " + image + " (--base-image) is not on this Docker "
                    + "engine and cannot be pulled by Trainchain; load it first (docker pull / docker load), or "
                    + "leave --base-image out to use " + BaseImage.Flavor.JRE17.image()
                    + " (built here when missing)");
        }
        return new BaseImage.Result(image, null, true, (System.nanoTime() - t0) / 1e9);
    }

    private static boolean exists(DockerConnection connection, String image) {
        try {
            connection.client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
