package io.trainchain.jenkins;

import hudson.model.Item;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.verb.POST;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The form checks that tools/gen_steps.py writes once into the two DescriptorBase classes: every descriptor reaches
 * them as inherited public methods (the way Stapler looks a doCheck method up), none keeps a copy, and none is left
 * over for a field no step has. Reflection only: nothing of Jenkins is called.
 */
class GeneratedChecksTest {
    static final List<Class<?>> STEPS = List.of(DetectFrameworkStep.class, BuildTrainingImageStep.class,
            TrainInContainerStep.class, CheckAccuracyStep.class, TuneHyperparametersStep.class,
            WatchContainerStep.class);
    static final List<Class<?>> BUILDERS = List.of(DetectFrameworkBuilder.class, BuildTrainingImageBuilder.class,
            TrainInContainerBuilder.class, CheckAccuracyBuilder.class, TuneHyperparametersBuilder.class,
            WatchContainerBuilder.class);

    @Test
    void stepsAndBuildersShareOneSetOfChecks() {
        assertEquals(checkNames(TrainchainStep.DescriptorBase.class), checkNames(TrainchainBuilder.DescriptorBase.class));
        assertTrue(checkNames(TrainchainStep.DescriptorBase.class).size() >= 20,
                checkNames(TrainchainStep.DescriptorBase.class)::toString);
    }

    @Test
    void everyDescriptorInheritsItsFieldsChecksAndDeclaresNone() throws Exception {
        for (List<Class<?>> kind : List.of(STEPS, BUILDERS)) {
            Set<String> fieldsOfAll = new TreeSet<>();
            Class<?> base = kind == STEPS ? TrainchainStep.DescriptorBase.class
                    : TrainchainBuilder.DescriptorBase.class;
            for (Class<?> cls : kind) {
                Class<?> descriptor = Class.forName(cls.getName() + "$DescriptorImpl");
                assertEquals(List.of(), Arrays.stream(descriptor.getDeclaredMethods())
                        .map(Method::getName).filter(n -> n.startsWith("doCheck")).toList(), descriptor.getName());
                for (Field f : cls.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    fieldsOfAll.add(f.getName());
                    String name = "doCheck" + Character.toUpperCase(f.getName().charAt(0)) + f.getName().substring(1);
                    if (checkNames(base).contains(name)) {
                        Method m = descriptor.getMethod(name, String.class, Item.class);
                        assertEquals(base, m.getDeclaringClass());
                        assertTrue(Modifier.isPublic(m.getModifiers()) && m.isAnnotationPresent(POST.class),
                                m.toString());
                    }
                }
            }
            Set<String> orphans = checkNames(base).stream()
                    .map(n -> Character.toLowerCase(n.charAt(7)) + n.substring(8))
                    .filter(field -> !fieldsOfAll.contains(field)).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(), orphans, "checks for fields no " + base.getName() + " subclass has");
        }
    }

    @Test
    void theChecksOfTheExamplesFieldsAreThere() {
        // A field with a check in the table (trainInContainer's memory, tuneHyperparameters' owners) keeps it.
        assertTrue(checkNames(TrainchainStep.DescriptorBase.class).containsAll(Set.of("doCheckRepository",
                "doCheckMemory", "doCheckOwners", "doCheckBelowGate", "doCheckContainer")));
    }

    private static Set<String> checkNames(Class<?> base) {
        return Arrays.stream(base.getDeclaredMethods()).map(Method::getName).filter(n -> n.startsWith("doCheck"))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
