package io.trainchain.jenkins.jenkinsrule;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.util.Secret;
import io.trainchain.jenkins.CheckAccuracyBuilder;
import io.trainchain.jenkins.DetectFrameworkBuilder;
import io.trainchain.jenkins.TrainchainAction;
import io.trainchain.jenkins.TrainchainConfig;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Real Jenkins (JenkinsRule), no Docker: the steps that need none, in a Pipeline and in a freestyle job, and the
 * global configuration. Runs only in the real build (plugin/pom.xml); plugin/stubs leaves this package out.
 */
@WithJenkins
class StepsWithoutDockerJenkinsTest {
    static final String EVALUATION = "{\"accuracy\": 0.78, \"macro_f1\": 0.77, \"test_loss\": 0.6}";

    @Test
    void checkAccuracyBelowTheGateMakesThePipelineUnstableAndReturnsItsMap(JenkinsRule r) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  writeFile file: 'out/evaluation.json', text: '" + EVALUATION + "'\n"
                + "  def g = checkAccuracy evaluation: 'out', threshold: 0.80\n"
                + "  echo \"status=${g.status} passed=${g.passed} value=${g.value}\"\n"
                + "  def loss = checkAccuracy evaluation: 'out', metric: 'test_loss', threshold: 0.7, "
                + "direction: 'at_most'\n"
                + "  echo \"loss passed=${loss.passed}\"\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.UNSTABLE, p);
        r.assertLogContains("status=BELOW_THRESHOLD passed=false value=0.78", b);
        r.assertLogContains("loss passed=true", b);
    }

    @Test
    void belowGateFailureFailsTheBuildWithoutAStackTrace(JenkinsRule r) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  writeFile file: 'evaluation.json', text: '" + EVALUATION + "'\n"
                + "  checkAccuracy evaluation: '.', belowGate: 'FAILURE'\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogNotContains("Exception", b);
    }

    @Test
    void detectFrameworkReturnsTheFrameworkAndABadRepositoryIsAClearFailure(JenkinsRule r) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition("node {\n"
                + "  writeFile file: 'src/train.py', text: 'import torch\\n'\n"
                + "  def d = detectFramework 'src'\n"
                + "  echo \"framework=${d.framework} recipeFound=${d.recipeFound}\"\n"
                + "  detectFramework 'missing'\n"
                + "}", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("framework=pytorch recipeFound=false", b);
        r.assertLogContains("detectFramework failed (BAD_INPUT): repository ", b);
    }

    @Test
    void freestyleStepsDoTheSame(JenkinsRule r) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        r.jenkins.getWorkspaceFor(p).child("evaluation.json").write(EVALUATION, "UTF-8");
        r.jenkins.getWorkspaceFor(p).child("Train.java").write(
                "import org.deeplearning4j.nn.conf.NeuralNetConfiguration;\n", "UTF-8");
        p.getBuildersList().add(new DetectFrameworkBuilder("."));
        CheckAccuracyBuilder gate = new CheckAccuracyBuilder(".");
        gate.setThreshold(0.75);
        p.getBuildersList().add(gate);
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        r.assertLogContains("[trainchain] checkAccuracy: ", b);
        assertNull(b.getAction(TrainchainAction.class), "a gate check alone has no run to summarize");
    }

    @Test
    void theGlobalConfigurationSurvivesTheFormAndNeverShowsThePassword(JenkinsRule r) throws Exception {
        TrainchainConfig c = GlobalConfiguration.all().get(TrainchainConfig.class);
        c.setDockerHost("unix:///var/run/docker.sock");
        c.setDefaultThreshold(0.85);
        c.setSmtpPassword(Secret.fromString("s3cret-pw"));
        r.configRoundtrip();
        assertEquals("unix:///var/run/docker.sock", c.getDockerHost());
        assertEquals(0.85, c.getDefaultThreshold());
        assertEquals("s3cret-pw", c.getSmtpPassword().getPlainText());
        String page = r.createWebClient().goTo("manage/configure").getWebResponse().getContentAsString();
        assertFalse(page.contains("s3cret-pw"), "the password is never sent to the browser in clear");
    }
}
