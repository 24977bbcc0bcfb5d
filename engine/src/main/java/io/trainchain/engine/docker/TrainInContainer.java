package io.trainchain.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.trainchain.engine.ChainListener;
import io.trainchain.engine.TrainerEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;

/**
 * Runs the trainer in a locked-down container: no network, uid 1000, read-only root with a small noexec /tmp,
 * memory (swap equal to it), CPU and pids limits, no capabilities, no-new-privileges. Data and params are mounted
 * read-only, the output dir writable. Streams the container log and each new epoch of {@code metrics.jsonl} to the
 * listener while it runs, and tells an OOM kill apart from a crash.
 */
public final class TrainInContainer {

    public static final String STEP = "train";
    public static final int CONTAINER_UID = 1000;
    public static final int CONTAINER_GID = 1000;
    private static final Duration POLL = Duration.ofMillis(200);

    /** Resource limits; tmpfs counts against the memory limit (it is RAM). */
    public record Limits(long memoryBytes, double cpus, long pids, long tmpfsBytes) {
        public static final Limits DEFAULT = new Limits(2L << 30, 2.0, 512, 256L << 20);

        public Limits {
            if (memoryBytes < 6L << 20) { // the engine refuses less than 6 MB
                throw new IllegalArgumentException("memory limit below 6 MB: " + memoryBytes);
            }
            if (!(cpus > 0)) {
                throw new IllegalArgumentException("cpus must be > 0: " + cpus);
            }
            if (pids <= 0 || tmpfsBytes <= 0) {
                throw new IllegalArgumentException("pids and tmpfs size must be > 0");
            }
        }

        /** OpenMP threads: the CPU quota rounded up (0.5 CPU still needs one thread). */
        public int threads() {
            return (int) Math.ceil(cpus);
        }
    }

    /**
     * @param paramsFile  mounted read-only at /params/&lt;its name&gt; and passed as --params; null for none
     * @param extraArgs   appended to {@code --data /data --out /out [--params ...]} (e.g. --limit 3000, --resume)
     * @param extraEnv    more environment; values are never logged (they may hold secrets)
     * @param timeout     the whole run; the container is killed after it
     */
    public record Request(String image, Path dataDir, Path outputDir, Path paramsFile, Limits limits,
                          List<String> extraArgs, Map<String, String> extraEnv, boolean keepContainer,
                          Duration timeout, ChainListener listener) {
        public Request {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(outputDir, "outputDir");
            limits = limits == null ? Limits.DEFAULT : limits;
            extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
            extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
            timeout = timeout == null ? Duration.ofHours(12) : timeout;
            listener = listener == null ? ChainListener.NONE : listener;
        }
    }

    public enum Outcome { SUCCEEDED, FAILED, OOM_KILLED, TIMED_OUT }

    /**
     * @param firstLogSeconds from the start request to the first log line (null when the container printed nothing)
     * @param epochs          every record of metrics.jsonl seen, in order
     * @param message         one line for humans, e.g. "out of memory (OOMKilled, exit 137)"
     */
    public record Result(Outcome outcome, int exitCode, boolean oomKilled, String containerId, double seconds,
                         Double firstLogSeconds, List<JsonNode> epochs, String message) {
        public boolean succeeded() {
            return outcome == Outcome.SUCCEEDED;
        }
    }

    private final DockerClient docker;

    public TrainInContainer(DockerClient docker) {
        this.docker = Objects.requireNonNull(docker, "docker");
    }

    /**
     * Runs to the end. On interrupt the container is killed and removed, the interrupt flag is restored and a
     * {@link CancellationException} is thrown.
     */
    public Result run(Request req) {
        ChainListener out = req.listener();
        Path data = req.dataDir().toAbsolutePath().normalize();
        Path output = req.outputDir().toAbsolutePath().normalize();
        if (!Files.isDirectory(data)) {
            throw new DockerStepException("data dir " + data + " does not exist");
        }
        Path params = null;
        if (req.paramsFile() != null) {
            params = req.paramsFile().toAbsolutePath().normalize();
            if (!Files.isRegularFile(params)) {
                throw new DockerStepException("params file " + params + " does not exist");
            }
        }
        ContainerFiles.prepareOutputDir(output, out);

        List<String> cmd = new ArrayList<>(List.of("--data", "/data", "--out", "/out"));
        List<Bind> binds = new ArrayList<>(List.of(
                new Bind(data.toString(), new Volume("/data"), AccessMode.ro),
                new Bind(output.toString(), new Volume("/out"), AccessMode.rw)));
        if (params != null) {
            String inContainer = "/params/" + params.getFileName();
            binds.add(new Bind(params.toString(), new Volume(inContainer), AccessMode.ro));
            cmd.addAll(List.of("--params", inContainer));
        }
        cmd.addAll(req.extraArgs());

        Limits limits = req.limits();
        Map<String, String> env = TrainerEnvironment.openMp(limits.threads());
        env.putAll(req.extraEnv());
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));

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

        String name = "trainchain-" + STEP + "-" + UUID.randomUUID().toString().substring(0, 8);
        long start = System.nanoTime();
        out.stepStarted(STEP);
        out.log(STEP, "container " + name + " from " + req.image() + ": " + String.join(" ", cmd)
                + " | memory " + limits.memoryBytes() + " B, cpus " + limits.cpus() + ", pids " + limits.pids()
                + ", env " + env.keySet());
        CreateContainerResponse created;
        try {
            created = docker.createContainerCmd(req.image())
                    .withName(name)
                    .withUser(CONTAINER_UID + ":" + CONTAINER_GID)
                    .withCmd(cmd)
                    .withEnv(envList)
                    .withLabels(Map.of("io.trainchain.step", STEP))
                    .withHostConfig(host)
                    .exec();
        } catch (NotFoundException e) {
            throw new DockerStepException("image " + req.image() + " not found locally (build it first)", e);
        }
        String id = created.getId();
        boolean removeAtEnd = !req.keepContainer();
        LogFollower logs = null;
        try {
            long started = System.nanoTime();
            docker.startContainerCmd(id).exec();
            logs = new LogFollower(docker, id, line -> out.log(STEP, line));
            logs.attach();
            MetricsTail metrics = new MetricsTail(output.resolve("metrics.jsonl"),
                    node -> out.epoch(STEP, node), line -> out.log(STEP, "metrics: " + line));

            long deadline = started + req.timeout().toNanos();
            boolean timedOut = false;
            long nextInspect = 0;
            while (true) {
                metrics.poll();
                logs.keepAlive();
                long now = System.nanoTime();
                if (now >= nextInspect) {
                    if (!isRunning(id)) {
                        break;
                    }
                    nextInspect = now + Duration.ofMillis(500).toNanos();
                }
                if (now > deadline) {
                    timedOut = true;
                    out.log(STEP, "timeout after " + req.timeout() + ": killing " + name);
                    kill(id);
                    break;
                }
                Thread.sleep(POLL.toMillis());
            }
            logs.finish(Duration.ofSeconds(10), out);
            metrics.poll();

            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
            int exit = state.getExitCodeLong() == null ? -1 : state.getExitCodeLong().intValue();
            boolean oom = Boolean.TRUE.equals(state.getOOMKilled());
            Outcome outcome = timedOut ? Outcome.TIMED_OUT
                    : oom ? Outcome.OOM_KILLED
                    : exit == 0 ? Outcome.SUCCEEDED : Outcome.FAILED;
            String message = describe(outcome, exit, limits, req.timeout());
            Double firstLog = logs.firstLineNanos() == 0 ? null : (logs.firstLineNanos() - started) / 1e9;
            Result result = new Result(outcome, exit, oom, id, (System.nanoTime() - start) / 1e9, firstLog,
                    metrics.records(), message);
            out.log(STEP, message + String.format(" (%.1f s, %d epochs)", result.seconds(), result.epochs().size()));
            out.stepFinished(STEP, outcome == Outcome.SUCCEEDED, message);
            return result;
        } catch (InterruptedException | RuntimeException e) {
            // An interrupt during a Docker call (inspect, logs) surfaces as a RuntimeException from the HTTP client,
            // not as InterruptedException: treat it the same. Thread.interrupted() also clears the flag, so the
            // cleanup calls below are not aborted in turn.
            boolean interrupted = Thread.interrupted() || e instanceof InterruptedException || causedByInterrupt(e);
            if (!interrupted) {
                throw (RuntimeException) e;
            }
            // Clean up first, restore the flag last: the HTTP client aborts requests on an interrupted thread.
            out.log(STEP, "interrupted: killing and removing " + name);
            if (logs != null) {
                logs.close();
            }
            kill(id);
            remove(id, out);
            removeAtEnd = false;
            Thread.currentThread().interrupt();
            CancellationException ce = new CancellationException("training in " + name + " interrupted");
            ce.initCause(e);
            throw ce;
        } finally {
            if (logs != null) {
                logs.close();
            }
            if (removeAtEnd) {
                remove(id, out);
            } else if (req.keepContainer()) {
                out.log(STEP, "keeping container " + name + " (" + id + ")");
            }
        }
    }

    private static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Outcome outcome, int exit, Limits limits, Duration timeout) {
        switch (outcome) {
            case SUCCEEDED:
                return "training finished (exit 0)";
            case OOM_KILLED:
                return "out of memory (OOMKilled, exit " + exit + "): the container hit its " + limits.memoryBytes()
                        + "-byte limit; raise it or lower the batch size";
            case TIMED_OUT:
                return "timed out after " + timeout + " (killed, exit " + exit + ")";
            default:
                String meaning;
                switch (exit) {
                    case 1: meaning = "trainer failed"; break;
                    case 2: meaning = "bad input (data or params)"; break;
                    case 3: meaning = "trainer ran out of memory (JVM)"; break;
                    case 137: meaning = "killed by SIGKILL (not by the OOM killer)"; break;
                    case 139: meaning = "segmentation fault in native code"; break;
                    default: meaning = "crashed";
                }
                return meaning + " (exit " + exit + ")";
        }
    }

    private boolean isRunning(String id) {
        InspectContainerResponse.ContainerState s = docker.inspectContainerCmd(id).exec().getState();
        return Boolean.TRUE.equals(s.getRunning()) || Boolean.TRUE.equals(s.getRestarting());
    }

    private void kill(String id) {
        try {
            docker.killContainerCmd(id).exec();
        } catch (NotFoundException | ConflictException e) {
            // already gone or already stopped
        }
    }

    private void remove(String id, ChainListener out) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            out.log(STEP, "could not remove container " + id + ": " + e.getMessage());
        }
    }

}
