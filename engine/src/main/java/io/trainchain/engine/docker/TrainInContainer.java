package io.trainchain.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
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
     * Runs to the end, in one container. On interrupt the container is killed and removed, the interrupt flag is
     * restored and a {@link CancellationException} is thrown.
     */
    public Result run(Request req) {
        ChainListener out = req.listener();
        ContainerSpec spec = spec(req);
        MetricsTail metrics = metricsOf(req.outputDir(), out);
        long start = System.nanoTime();
        out.stepStarted(STEP);
        ContainerRun.Exit exit = attempt(spec, containerName(), start + req.timeout().toNanos(), req.keepContainer(),
                metrics, out);
        Result result = result(exit, start, metrics, req.timeout(), spec.memoryBytes());
        out.log(STEP, result.message() + String.format(" (%.1f s, %d epochs)", result.seconds(),
                result.epochs().size()));
        out.stepFinished(STEP, result.succeeded(), result.message());
        return result;
    }

    /** Checks the request's folders, makes the output dir writable for the container user, builds the spec. */
    public ContainerSpec spec(Request req) {
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
        ContainerFiles.prepareOutputDir(output, req.listener());

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
        Map<String, String> env = TrainerEnvironment.openMp(req.limits().threads());
        env.putAll(req.extraEnv());
        return ContainerSpec.lockedDown(req.image(), cmd, env, binds, req.limits(),
                CONTAINER_UID + ":" + CONTAINER_GID, Map.of("io.trainchain.step", STEP, OUT_LABEL, output.toString()));
    }

    /** The tail of {@code outputDir}/metrics.jsonl that reports each epoch once to {@code out}. */
    public static MetricsTail metricsOf(Path outputDir, ChainListener out) {
        return new MetricsTail(outputDir.toAbsolutePath().normalize().resolve("metrics.jsonl"),
                node -> out.epoch(STEP, node), line -> out.log(STEP, "metrics: " + line));
    }

    /** The host folder a training container writes: how a resumed search finds a container its killed process left. */
    public static final String OUT_LABEL = "io.trainchain.out";

    /**
     * Kills and removes the training containers still writing {@code outputDir} (left by a process that was killed),
     * so a resumed training never shares its folder with one. Returns their names.
     */
    public static List<String> removeLeftovers(com.github.dockerjava.api.DockerClient docker, Path outputDir) {
        List<String> removed = new ArrayList<>();
        String out = outputDir.toAbsolutePath().normalize().toString();
        for (com.github.dockerjava.api.model.Container c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(OUT_LABEL, out)).exec()) {
            if (!out.equals(c.getLabels().get(OUT_LABEL))) {
                continue; // old engines ignore some filters: check the label itself
            }
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
                removed.add(c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0]);
            } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                // it ended and was removed meanwhile
            }
        }
        return removed;
    }

    public static String containerName() {
        return "trainchain-" + STEP + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * One container of a training: created from {@code spec}, started, followed to its end (killed at the
     * deadline), and removed unless {@code keep}.
     */
    public ContainerRun.Exit attempt(ContainerSpec spec, String name, long deadlineNanos, boolean keep,
                                     MetricsTail metrics, ChainListener out) {
        ContainerRun run = new ContainerRun(docker, out, STEP);
        out.log(STEP, "container " + name + " from " + spec.describe());
        long t0 = System.nanoTime();
        String id = run.create(spec, name);
        boolean remove = !keep;
        try {
            return run.startAndFollow(id, name, deadlineNanos, line -> {
                out.log(STEP, line);
                metrics.poll(); // the trainer logs each epoch right after writing its metrics line
            }, metrics::poll, t0);
        } catch (CancellationException e) {
            remove = false; // ContainerRun removed it already
            throw e;
        } finally {
            if (remove) {
                run.remove(id);
            } else if (keep) {
                out.log(STEP, "keeping container " + name + " (" + id + ")");
            }
        }
    }

    /** The step's result from a container's end. */
    public static Result result(ContainerRun.Exit exit, long startNanos, MetricsTail metrics, Duration timeout,
                                long memoryBytes) {
        int code = exit.exitCode() == null ? -1 : exit.exitCode();
        Outcome outcome = exit.end() == ContainerRun.End.TIMED_OUT ? Outcome.TIMED_OUT
                : exit.oomKilled() ? Outcome.OOM_KILLED
                : exit.end() == ContainerRun.End.EXITED && code == 0 ? Outcome.SUCCEEDED : Outcome.FAILED;
        String message = exit.error() != null ? exit.error() : describe(outcome, code, memoryBytes, timeout);
        Double firstLog = exit.firstLogNanos() == 0 || exit.startNanos() == 0 ? null
                : (exit.firstLogNanos() - exit.startNanos()) / 1e9;
        return new Result(outcome, code, exit.oomKilled(), exit.containerId(), (System.nanoTime() - startNanos) / 1e9,
                firstLog, metrics.records(), message);
    }

    static String describe(Outcome outcome, int exit, long memoryBytes, Duration timeout) {
        switch (outcome) {
            case SUCCEEDED:
                return "training finished (exit 0)";
            case OOM_KILLED:
                return "out of memory (OOMKilled, exit " + exit + "): the container hit its " + memoryBytes
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
}
