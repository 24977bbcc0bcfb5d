package io.trainchain.jenkins.jenkinsrule;

import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.trainchain.engine.docker.BuildTrainingImage;
import io.trainchain.engine.docker.DockerConnection;
import io.trainchain.engine.docker.DockerConnector;
import io.trainchain.jenkins.BuildTrainingImageBuilder;
import io.trainchain.jenkins.TrainchainAction;
import io.trainchain.jenkins.TrainchainConfig;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real Jenkins and real Docker: the chain of examples/fashion-cnn step by step in a Pipeline (small: 500 images,
 * one epoch, a two-trial search), a freestyle build step, watchContainer on a container started by hand, and an
 * abort that must leave no container behind. The test itself uses the engine only to build the image it starts. Needs
 * dockerd, the built trainer (mvn -pl trainer package) and Fashion-MNIST, like the engine's ITs; fails without them.
 */
@WithJenkins
class StepsWithDockerJenkinsTest {
    static final Path REPO = Path.of(System.getProperty("trainchain.repo", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private void configure() {
        TrainchainConfig c = GlobalConfiguration.all().get(TrainchainConfig.class);
        c.setHome(REPO.toString());
        c.setRunStore(tmp.resolve("runs.db").toString());
        c.setMailThroughJenkins(false);
    }

    @BeforeEach
    void dockerIsThere() throws Exception {
        assertEquals(0, run(List.of("docker", "info")).exitCode, "these tests need a running dockerd");
    }

    @Test
    void theChainStepByStep(JenkinsRule r) throws Exception {
        configure();
        String example = REPO.resolve("examples/fashion-cnn").toString();
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  def d = detectFramework '" + example + "'\n"
                + "  def img = buildTrainingImage '" + example + "'\n"
                + "  def t = trainInContainer repository: '" + example + "', limit: 500, epochs: 1, "
                + "belowGate: 'SUCCESS'\n"
                + "  def g = checkAccuracy evaluation: t.outputDir, threshold: 0.99, belowGate: 'SUCCESS'\n"
                + "  def s = tuneHyperparameters repository: '" + example + "', parentRunId: t.runId, maxTrials: 2, "
                + "space: 'learning_rate=choice:0.001,0.004', "
                + "trialEpochs: 1, limit: 300, threshold: 0.99, owners: 'owner@example.org'\n"
                + "  echo \"framework=${d.framework} image=${img.image} run=${t.runId} attempts=${t.attempts.size()} "
                + "gate=${g.status} trials=${s.trials} params=${s.params}\"\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.UNSTABLE, p); // the 0.99 search cannot pass
        r.assertLogContains("framework=dl4j image=", b);
        r.assertLogContains("attempts=1 gate=BELOW_THRESHOLD trials=2", b);
        List<TrainchainAction> actions = b.getActions(TrainchainAction.class);
        assertEquals(2, actions.size(), "the training's summary and the search's");
        assertNotNull(actions.get(0).getReportHtml(), "the run's HTML report is kept with the build");
        assertEquals(2, actions.get(1).getSummary().getTrials().size());
        r.createWebClient().goTo(b.getUrl() + actions.get(1).getUrlName());
    }

    @Test
    void aFreestyleBuildStepBuildsTheImage(JenkinsRule r) throws Exception {
        configure();
        FreeStyleProject p = r.createFreeStyleProject();
        p.getBuildersList().add(new BuildTrainingImageBuilder(REPO.resolve("examples/fashion-cnn").toString()));
        r.assertLogContains("[trainchain] build-image", r.buildAndAssertSuccess(p));
    }

    @Test
    void abortingTrainingStopsAndRemovesItsContainer(JenkinsRule r) throws Exception {
        configure();
        Path out = tmp.resolve("aborted-run");
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  trainInContainer repository: '" + REPO.resolve("examples/fashion-cnn") + "', epochs: 50, "
                + "outputDir: '" + out + "'\n"
                + "}", true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        r.waitForMessage("[trainchain] train: epoch", b);
        b.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        String left = run(List.of("docker", "ps", "-a", "--format", "{{.Label \"io.trainchain.out\"}}")).output;
        assertTrue(left.lines().noneMatch(l -> l.startsWith(out.toString())), "containers left behind: " + left);
    }

    @Test
    void watchContainerFollowsAContainerStartedByHand(JenkinsRule r) throws Exception {
        configure();
        Path code = java.nio.file.Files.createDirectories(tmp.resolve("code"));
        java.nio.file.Files.writeString(code.resolve("README.txt"), "placeholder\n");
        String image;
        try (DockerConnection c = DockerConnector.fromEnvironment().connect()) {
            image = new BuildTrainingImage(c.client()).run(new BuildTrainingImage.Request(
                    REPO.resolve("dockerfiles/dl4j"), REPO.resolve("trainer/target/dist"), code,
                    "trainchain/base-jre17:bookworm", null)).tag();
        }
        Path out = java.nio.file.Files.createDirectories(tmp.resolve("out"));
        java.nio.file.Files.setAttribute(out, "unix:uid", 1000);
        java.nio.file.Files.setAttribute(out, "unix:gid", 1000);
        String name = "trainchain-jenkins-watch-" + System.nanoTime();
        try {
            assertEquals(0, run(List.of("docker", "run", "-d", "--name", name, "--network", "none", "--user",
                    "1000:1000", "-v", "/usr/share/datasets/fashion-mnist:/data:ro", "-v", out + ":/out", image,
                    "--data", "/data", "--out", "/out", "--limit", "6000")).exitCode); // runs about a minute
            WorkflowJob p = r.createProject(WorkflowJob.class);
            p.setDefinition(new CpsFlowDefinition("node {\n"
                    + "  def w = watchContainer container: '" + name + "', restarts: 1\n"
                    + "  echo \"completed=${w.completed} attempts=${w.attempts.size()} cause=${w.attempts[0].cause}\"\n"
                    + "}", true));
            r.assertLogContains("completed=true attempts=1 cause=COMPLETED", r.buildAndAssertSuccess(p));
        } finally {
            run(List.of("docker", "rm", "-f", name));
        }
    }

    private record Exec(int exitCode, String output) {
    }

    private static Exec run(List<String> command) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Exec(proc.waitFor(), output);
    }
}
