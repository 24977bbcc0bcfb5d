package io.trainchain.engine.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Volume;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerSpecTest {

    private static ContainerSpec spec() {
        return ContainerSpec.lockedDown("trainchain/train-dl4j:abc", List.of("--data", "/data", "--out", "/out"),
                Map.of("OMP_NUM_THREADS", "2", "API_TOKEN", "s3cr3t"),
                List.of(new Bind("/host/data", new Volume("/data"), AccessMode.ro),
                        new Bind("/host/out", new Volume("/out"), AccessMode.rw)),
                new TrainInContainer.Limits(1L << 30, 1.5, 128, 16L << 20), "1000:1000", Map.of("k", "v"));
    }

    @Test
    void lockedDownSpecCarriesTheRestrictions() {
        var h = spec().host();
        assertEquals("none", h.getNetworkMode());
        assertTrue(h.getReadonlyRootfs());
        assertEquals(1L << 30, h.getMemory());
        assertEquals(1L << 30, h.getMemorySwap(), "no swap on top of the limit");
        assertEquals(1_500_000_000L, h.getNanoCPUs());
        assertEquals(128L, h.getPidsLimit());
        assertArrayEquals(new Capability[]{Capability.ALL}, h.getCapDrop());
        assertEquals(List.of("no-new-privileges"), h.getSecurityOpts());
        assertEquals(Map.of("/data", "/host/data", "/out", "/host/out"), spec().mounts());
    }

    @Test
    void aRestartSpecKeepsImageMountsAndLimitsAndOnlyChangesWhatItSays() {
        ContainerSpec first = spec();
        ContainerSpec raised = first.withMemory(3L << 29).withArg("--resume");
        assertEquals(3L << 29, raised.memoryBytes());
        assertEquals(3L << 29, raised.host().getMemorySwap());
        assertEquals(1L << 30, first.memoryBytes(), "the first spec is not changed (deep copy)");
        assertEquals(List.of("--data", "/data", "--out", "/out", "--resume"), raised.cmd());
        assertSame(raised, raised.withArg("--resume"), "added once");
        assertEquals(first.mounts(), raised.mounts());
        assertEquals(first.host().getNanoCPUs(), raised.host().getNanoCPUs());
        assertEquals(first.host().getPidsLimit(), raised.host().getPidsLimit());
        assertEquals(first.host().getTmpFs(), raised.host().getTmpFs());
        assertEquals("none", raised.host().getNetworkMode());
        assertEquals(first.image(), raised.image());
        assertEquals(first.env(), raised.env());
    }

    @Test
    void describeNamesTheEnvironmentButNeverItsValues() {
        String line = spec().describe();
        assertTrue(line.contains("API_TOKEN"), line);
        assertFalse(line.contains("s3cr3t"), line);
        assertTrue(line.contains("--data /data --out /out"), line);
    }
}
