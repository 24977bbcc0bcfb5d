package io.trainchain.jenkins;

import hudson.Extension;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.trainchain.engine.pipeline.EngineSetup;
import io.trainchain.engine.pipeline.SmtpSettings;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins > System > Trainchain: where the engine finds Docker, the run store and its installation on the
 * agents, the gate's defaults, and how the owner's e-mail leaves. Every field may stay empty (the engine's default).
 */
@Extension
@Symbol("trainchain")
public class TrainchainConfig extends GlobalConfiguration {
    private String dockerHost;
    private String runStore;
    private String home;
    private String defaultMetric;
    private Double defaultThreshold;
    private String belowGate;
    private String ownerEmail;
    private boolean mailThroughJenkins = true;
    private String smtpHost;
    private Integer smtpPort;
    private String smtpSecurity;
    private String smtpUser;
    private Secret smtpPassword;
    private String smtpFrom;

    public TrainchainConfig() {
        load();
    }

    /** The configuration as Jenkins holds it (null only if the extension failed to load). */
    static TrainchainConfig get() {
        return GlobalConfiguration.all().get(TrainchainConfig.class);
    }

    /** This configuration as the plain values the steps bind with. */
    static Defaults defaultsNow() {
        TrainchainConfig c = get();
        return c == null ? Defaults.NONE : c.defaults();
    }

    Defaults defaults() {
        SmtpSettings smtp = new SmtpSettings(smtpHost, smtpPort, smtpSecurity, smtpUser,
                smtpPassword == null ? null : smtpPassword.getPlainText(), smtpFrom);
        return new Defaults(new EngineSetup(dockerHost, runStore, home), defaultThreshold, defaultMetric, ownerEmail,
                belowGate, mailThroughJenkins && JenkinsMail.available(), smtp);
    }

    public String getDockerHost() {
        return dockerHost;
    }

    @DataBoundSetter
    public void setDockerHost(String dockerHost) {
        this.dockerHost = Requests.trim(dockerHost);
        save();
    }

    public String getRunStore() {
        return runStore;
    }

    @DataBoundSetter
    public void setRunStore(String runStore) {
        this.runStore = Requests.trim(runStore);
        save();
    }

    public String getHome() {
        return home;
    }

    @DataBoundSetter
    public void setHome(String home) {
        this.home = Requests.trim(home);
        save();
    }

    public String getDefaultMetric() {
        return defaultMetric;
    }

    @DataBoundSetter
    public void setDefaultMetric(String defaultMetric) {
        this.defaultMetric = Requests.trim(defaultMetric);
        save();
    }

    public Double getDefaultThreshold() {
        return defaultThreshold;
    }

    @DataBoundSetter
    public void setDefaultThreshold(Double defaultThreshold) {
        this.defaultThreshold = defaultThreshold;
        save();
    }

    public String getBelowGate() {
        return belowGate;
    }

    @DataBoundSetter
    public void setBelowGate(String belowGate) {
        this.belowGate = Requests.trim(belowGate);
        save();
    }

    public String getOwnerEmail() {
        return ownerEmail;
    }

    @DataBoundSetter
    public void setOwnerEmail(String ownerEmail) {
        this.ownerEmail = Requests.trim(ownerEmail);
        save();
    }

    public boolean isMailThroughJenkins() {
        return mailThroughJenkins;
    }

    @DataBoundSetter
    public void setMailThroughJenkins(boolean mailThroughJenkins) {
        this.mailThroughJenkins = mailThroughJenkins;
        save();
    }

    public String getSmtpHost() {
        return smtpHost;
    }

    @DataBoundSetter
    public void setSmtpHost(String smtpHost) {
        this.smtpHost = Requests.trim(smtpHost);
        save();
    }

    public Integer getSmtpPort() {
        return smtpPort;
    }

    @DataBoundSetter
    public void setSmtpPort(Integer smtpPort) {
        this.smtpPort = smtpPort;
        save();
    }

    public String getSmtpSecurity() {
        return smtpSecurity;
    }

    @DataBoundSetter
    public void setSmtpSecurity(String smtpSecurity) {
        this.smtpSecurity = Requests.trim(smtpSecurity);
        save();
    }

    public String getSmtpUser() {
        return smtpUser;
    }

    @DataBoundSetter
    public void setSmtpUser(String smtpUser) {
        this.smtpUser = Requests.trim(smtpUser);
        save();
    }

    /** Stored encrypted; the form shows it as a password field, never in clear. */
    public Secret getSmtpPassword() {
        return smtpPassword;
    }

    @DataBoundSetter
    public void setSmtpPassword(Secret smtpPassword) {
        this.smtpPassword = smtpPassword;
        save();
    }

    public String getSmtpFrom() {
        return smtpFrom;
    }

    @DataBoundSetter
    public void setSmtpFrom(String smtpFrom) {
        this.smtpFrom = Requests.trim(smtpFrom);
        save();
    }

    @POST
    public FormValidation doCheckDockerHost(@QueryParameter String value) {
        return Forms.forAdmin(() -> ConfigChecks.dockerHost(value));
    }

    @POST
    public FormValidation doCheckRunStore(@QueryParameter String value) {
        return Forms.forAdmin(() -> ConfigChecks.runStore(value));
    }

    @POST
    public FormValidation doCheckDefaultMetric(@QueryParameter String value) {
        return Forms.forAdmin(() -> ConfigChecks.metric(value));
    }

    @POST
    public FormValidation doCheckDefaultThreshold(@QueryParameter String value) {
        return Forms.forAdmin(() -> ConfigChecks.threshold(value));
    }

    @POST
    public FormValidation doCheckBelowGate(@QueryParameter String value) {
        return Forms.forAdmin(() -> ConfigChecks.belowGate(value));
    }

    @POST
    public FormValidation doCheckOwnerEmail(@QueryParameter String value) {
        return Forms.forAdmin(() -> ConfigChecks.emails(value));
    }

    @POST
    public FormValidation doCheckSmtpPort(@QueryParameter String value) {
        return Forms.forAdmin(() -> ConfigChecks.smtpPort(value));
    }

    @POST
    public FormValidation doCheckSmtpSecurity(@QueryParameter String value) {
        return Forms.forAdmin(() -> ConfigChecks.smtpSecurity(value));
    }

    @POST
    public FormValidation doCheckSmtpFrom(@QueryParameter String value) {
        return Forms.forAdmin(() -> ConfigChecks.emails(value));
    }
}
