package org.nd4j.nativeblas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Workaround for an upstream bug in DL4J 1.0.0-M2.1: {@code BaseMKLDNNHelper.mklDnnEnabled()} reflects on
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}, but in M2.1 the binding lives at
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the method is {@code isUseONEDNN()}. The
 * lookup fails and every oneDNN layer helper is dropped silently. This class sits at the name DL4J looks for and
 * forwards to the real binding. Remove it once DL4J fixes the reflection.
 *
 * <p>The binding is looked up by name, not referenced: it exists only in the CPU backend, and the CUDA build
 * (-Pcuda) compiles this class too.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private static final MethodHandle IS_USE_ONEDNN = lookup();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            if (IS_USE_ONEDNN == null) {
                return false;
            }
            try {
                return (boolean) IS_USE_ONEDNN.invoke();
            } catch (Throwable t) {
                return false;
            }
        }

        /** {@code bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN()}, or null off the CPU backend. */
        private static MethodHandle lookup() {
            try {
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                MethodHandle get = l.findStatic(env, "getInstance", MethodType.methodType(env));
                MethodHandle use = l.findVirtual(env, "isUseONEDNN", MethodType.methodType(boolean.class));
                return MethodHandles.filterReturnValue(get, use);
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    }
}
