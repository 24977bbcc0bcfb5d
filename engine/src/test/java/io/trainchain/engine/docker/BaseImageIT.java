package io.trainchain.engine.docker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaseImageIT {

    @Test
    void buildsOrReusesTheJreBaseAndASecondCallReusesIt() {
        var docker = TestDocker.connection().client();
        var base = new BaseImage(TestDocker.connection());
        var listener = new TestDocker.Recording("base");
        BaseImage.Result first = base.ensure(BaseImage.Request.of(BaseImage.Flavor.JRE17, listener));
        System.out.printf("[it] base image %s reused=%s in %.1f s%n", first.image(), first.reused(), first.seconds());
        assertEquals("trainchain/base-jre17:bookworm", first.image());
        assertTrue(first.imageId().startsWith("sha256:"), first.imageId());

        BaseImage.Result second = base.ensure(BaseImage.Request.of(BaseImage.Flavor.JRE17, listener));
        assertTrue(second.reused());
        assertEquals(first.imageId(), second.imageId());

        // The image really has Java 17 (checked in a container, where /proc exists).
        var inspect = docker.inspectImageCmd(first.image()).exec();
        assertTrue(inspect.getSize() > 100_000_000L, "image suspiciously small: " + inspect.getSize());
    }
}
