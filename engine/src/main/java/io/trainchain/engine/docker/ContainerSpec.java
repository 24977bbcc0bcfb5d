package io.trainchain.engine.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HostConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to create a training container again: image, entrypoint and command, environment, user,
 * labels and the host config (mounts, limits, lockdown). A restart is a new container from the same spec, so a
 * restarted training runs with the same image, mounts and limits as the first.
 *
 * @param entrypoint null for the image's own
 * @param env        {@code KEY=value} entries; values are never logged (they may hold secrets)
 */
public record ContainerSpec(String image, List<String> entrypoint, List<String> cmd, List<String> env, String user,
                            Map<String, String> labels, HostConfig host) {

    // docker-java's model classes are plain Jackson beans: a round trip is a deep copy of a HostConfig.
    private static final ObjectMapper JSON = new ObjectMapper();

    public ContainerSpec {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(host, "host");
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * The locked-down training container: no network, read-only root with a small noexec /tmp, memory with no swap
     * on top, CPU and pids limits, no capabilities, no-new-privileges.
     */
    public static ContainerSpec lockedDown(String image, List<String> cmd, Map<String, String> env, List<Bind> binds,
                                           TrainInContainer.Limits limits, String user, Map<String, String> labels) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("none")
                .withReadonlyRootfs(true)
                // noexec: nothing downloaded or unpacked at run time may execute; natives live in the image.
                .withTmpFs(Map.of("/tmp", "rw,noexec,nosuid,nodev,size=" + limits.tmpfsBytes()))
                .withMemory(limits.memoryBytes())
                .withMemorySwap(limits.memoryBytes()) // equal: no swap on top (else the limit doubles)
                .withNanoCPUs(Math.round(limits.cpus() * 1e9))
                .withPidsLimit(limits.pids())
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withBinds(binds);
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        return new ContainerSpec(image, null, cmd, envList, user, labels, host);
    }

    /**
     * The spec of a container something else started (for {@code trainchain watch}): its image as named, entrypoint,
     * command, environment, user, labels and its whole host config, as Docker reports them.
     */
    public static ContainerSpec of(InspectContainerResponse inspected) {
        ContainerConfig c = inspected.getConfig();
        String image = c.getImage() != null ? c.getImage() : inspected.getImageId();
        return new ContainerSpec(image, c.getEntrypoint() == null ? null : Arrays.asList(c.getEntrypoint()),
                c.getCmd() == null ? List.of() : Arrays.asList(c.getCmd()),
                c.getEnv() == null ? List.of() : Arrays.asList(c.getEnv()), c.getUser(),
                c.getLabels() == null ? Map.of() : new LinkedHashMap<>(c.getLabels()), copy(inspected.getHostConfig()));
    }

    /** The memory limit in bytes (0 when the container has none). */
    public long memoryBytes() {
        return host.getMemory() == null ? 0 : host.getMemory();
    }

    /** The same spec with another memory limit (and swap equal to it, as for the first container). */
    public ContainerSpec withMemory(long bytes) {
        HostConfig h = copy(host).withMemory(bytes);
        if (host.getMemorySwap() != null && host.getMemorySwap() > 0) {
            h.withMemorySwap(bytes);
        }
        return new ContainerSpec(image, entrypoint, cmd, env, user, labels, h);
    }

    /** The same spec with {@code arg} appended to the command, unless it is there already. */
    public ContainerSpec withArg(String arg) {
        if (cmd.contains(arg)) {
            return this;
        }
        List<String> more = new ArrayList<>(cmd);
        more.add(arg);
        return new ContainerSpec(image, entrypoint, more, env, user, labels, copy(host));
    }

    /** The same spec with another entrypoint. */
    public ContainerSpec withEntrypoint(List<String> newEntrypoint) {
        return new ContainerSpec(image, newEntrypoint, cmd, env, user, labels, copy(host));
    }

    /** The same spec with another command. */
    public ContainerSpec withCmd(List<String> newCmd) {
        return new ContainerSpec(image, entrypoint, newCmd, env, user, labels, copy(host));
    }

    /** The same spec with {@code args} appended to the command. */
    public ContainerSpec withArgs(String... args) {
        List<String> more = new ArrayList<>(cmd);
        more.addAll(List.of(args));
        return new ContainerSpec(image, entrypoint, more, env, user, labels, copy(host));
    }

    /** The same spec with one more bind mount. */
    public ContainerSpec withBind(Bind bind) {
        HostConfig h = copy(host);
        List<Bind> binds = new ArrayList<>(h.getBinds() == null ? List.of() : Arrays.asList(h.getBinds()));
        binds.add(bind);
        return new ContainerSpec(image, entrypoint, cmd, env, user, labels, h.withBinds(binds));
    }

    /** Host folders mounted into the container, by their path inside it. */
    public Map<String, String> mounts() {
        Map<String, String> m = new LinkedHashMap<>();
        if (host.getBinds() != null) {
            for (Bind b : host.getBinds()) {
                m.put(b.getVolume().getPath(), b.getPath());
            }
        }
        return m;
    }

    /** One line for logs: the command, limits and the names (never the values) of the environment. */
    public String describe() {
        List<String> names = env.stream().map(e -> e.contains("=") ? e.substring(0, e.indexOf('=')) : e).toList();
        return image + ": " + String.join(" ", cmd) + " | memory " + memoryBytes() + " B, cpus "
                + (host.getNanoCPUs() == null ? "-" : String.valueOf(host.getNanoCPUs() / 1e9)) + ", pids "
                + (host.getPidsLimit() == null ? "-" : host.getPidsLimit()) + ", env " + names;
    }

    private static HostConfig copy(HostConfig h) {
        return h == null ? HostConfig.newHostConfig() : JSON.convertValue(h, HostConfig.class);
    }
}
