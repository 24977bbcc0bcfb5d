package io.trainchain.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine is plain Java so the CLI runs without Jenkins and without loading DL4J's native libraries;
 * those belong to the plugin and the trainer image.
 */
class EngineArchitectureTest {

    private static final String[] FORBIDDEN = {
            "hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke.stapler..", "org.deeplearning4j..", "org.nd4j.."};

    private static final ArchRule PLAIN_JAVA = noClasses().that().resideInAPackage("io.trainchain.engine..")
            .should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN)
            .because("the engine must run without Jenkins and without DL4J/ND4J");

    @Test
    void engineDependsOnNeitherJenkinsNorDl4j() {
        JavaClasses engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.trainchain.engine");
        assertFalse(engine.isEmpty(), "no engine classes were imported; the rule would check nothing");
        PLAIN_JAVA.check(engine);
    }

    @Test
    void packagesHaveNoCyclesAndTheLowerLayersKnowNothingAbove() {
        JavaClasses engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.trainchain.engine");
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("io.trainchain.engine.(*)..").should().beFreeOfCycles().check(engine);
        String[] top = {"io.trainchain.engine.chain..", "io.trainchain.engine.watch..", "io.trainchain.engine.tune..",
                "io.trainchain.engine.registry..", "io.trainchain.engine.server.."};
        noClasses().that().resideInAnyPackage("io.trainchain.engine.docker..", "io.trainchain.engine.store..",
                        "io.trainchain.engine.detect..", "io.trainchain.engine.gate..", "io.trainchain.engine.config..",
                        "io.trainchain.engine.script..", "io.trainchain.engine.notify..")
                .should().dependOnClassesThat().resideInAnyPackage(top)
                .because("chain and watch compose the steps below them, never the other way").check(engine);
        noClasses().that().resideInAPackage("io.trainchain.engine.docker..")
                .should().dependOnClassesThat().resideInAPackage("io.trainchain.engine.store..")
                .because("running containers knows nothing of how runs are recorded").check(engine);
        noClasses().that().resideInAPackage("io.trainchain.engine.watch..")
                .should().dependOnClassesThat().resideInAnyPackage("io.trainchain.engine.chain..",
                        "io.trainchain.engine.tune..")
                .because("the watcher is a step the chain (and tuning) use").check(engine);
        noClasses().that().resideInAPackage("io.trainchain.engine..")
                .and().resideOutsideOfPackage("io.trainchain.engine.pipeline..")
                .should().dependOnClassesThat().resideInAPackage("io.trainchain.engine.pipeline..")
                .because("pipeline is the Jenkins steps' facade over the engine: it sits on top of everything")
                .check(engine);
        noClasses().that().resideInAPackage("io.trainchain.engine.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("io.trainchain.engine.chain..",
                        "io.trainchain.engine.tune..", "io.trainchain.engine.docker..")
                .because("the registry records and compares models; it runs nothing").check(engine);
        noClasses().that().resideInAPackage("io.trainchain.engine.chain..")
                .should().dependOnClassesThat().resideInAPackage("io.trainchain.engine.tune..")
                .because("a search composes the chain's steps; the chain knows nothing of searches").check(engine);
        noClasses().that().resideInAnyPackage("io.trainchain.engine.chain..", "io.trainchain.engine.tune..",
                        "io.trainchain.engine.watch..", "io.trainchain.engine.registry..")
                .should().dependOnClassesThat().resideInAPackage("io.trainchain.engine.server..")
                .because("the server queues and triggers chains; the chain knows nothing of who started it")
                .check(engine);
        noClasses().that().resideInAPackage("io.trainchain.engine.notify..")
                .should().dependOnClassesThat().resideInAnyPackage("io.trainchain.engine.store..",
                        "io.trainchain.engine.docker..", "io.trainchain.engine.config..")
                .because("sending mail knows nothing of what it reports").check(engine);
        noClasses().that().resideInAPackage("io.trainchain.engine.script..")
                .should().dependOnClassesThat().resideInAnyPackage("io.trainchain.engine.store..",
                        "io.trainchain.engine.gate..")
                .because("how a user's script runs and is read knows nothing of runs or gates").check(engine);
        noClasses().that().resideInAPackage("io.trainchain.engine.report..")
                .should().dependOnClassesThat().resideInAnyPackage("io.trainchain.engine.chain..",
                        "io.trainchain.engine.tune..", "io.trainchain.engine.watch..", "io.trainchain.engine.docker..")
                .because("a report reads what the store and the run's files recorded; the chain and a search write "
                        + "reports, never the other way").check(engine);
        noClasses().that().resideInAnyPackage("io.trainchain.engine.docker..", "io.trainchain.engine.store..",
                        "io.trainchain.engine.detect..", "io.trainchain.engine.gate..", "io.trainchain.engine.config..",
                        "io.trainchain.engine.script..", "io.trainchain.engine.notify..", "io.trainchain.engine.watch..")
                .should().dependOnClassesThat().resideInAPackage("io.trainchain.engine.report..")
                .because("the report sits above the records it shows").check(engine);
    }

    @Test
    void theRuleCatchesAForbiddenDependency() {
        // This test class itself uses no forbidden package; a synthetic violator proves the rule bites.
        JavaClasses violator = new ClassFileImporter().importClasses(Violator.class);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> PLAIN_JAVA.check(violator));
        assertTrue(e.getMessage().contains("org.nd4j"), e.getMessage());
    }

    /** Depends on a test-only stub that lives in a forbidden package. */
    static final class Violator {
        org.nd4j.ArchUnitProbe probe;
    }
}
