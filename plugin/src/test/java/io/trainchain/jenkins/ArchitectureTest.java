package io.trainchain.jenkins;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.trainchain.engine.ChainListener;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The adapter stays an adapter: it reaches the engine only through its step facade (io.trainchain.engine.pipeline)
 * and the listener interface, and does none of the engine's work itself (no Docker, SQL, JSON or file scanning
 * libraries); the engine knows nothing of Jenkins.
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.trainchain.jenkins", "io.trainchain.engine");

    @Test
    void bothSidesAreImported() {
        assertTrue(CLASSES.containPackage("io.trainchain.jenkins"));
        assertTrue(CLASSES.containPackage("io.trainchain.engine.chain"), "the rule below must see the engine");
    }

    @Test
    void theAdapterUsesTheEngineOnlyThroughItsStepFacade() {
        noClasses().that().resideInAPackage("io.trainchain.jenkins..")
                .should().dependOnClassesThat(resideInAPackage("io.trainchain.engine..")
                        .and(not(resideInAPackage("io.trainchain.engine.pipeline..")))
                        .and(not(equivalentTo(ChainListener.class))))
                .because("the steps only bind fields and call PipelineSteps; engine logic lives in the engine")
                .check(CLASSES);
    }

    @Test
    void theAdapterDoesNoEngineWorkItself() {
        noClasses().that().resideInAPackage("io.trainchain.jenkins..")
                .should().dependOnClassesThat(resideInAnyPackage("com.github.dockerjava..", "java.sql..",
                        "com.fasterxml.jackson..", "org.jfree..", "java.net.http.."))
                .because("Docker, the run store, metrics and reports are the engine's")
                .check(CLASSES);
    }

    @Test
    void theEngineKnowsNothingOfJenkins() {
        noClasses().that().resideInAPackage("io.trainchain.engine..")
                .should().dependOnClassesThat(resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..",
                        "org.kohsuke.stapler..", "io.trainchain.jenkins.."))
                .check(CLASSES);
    }
}
