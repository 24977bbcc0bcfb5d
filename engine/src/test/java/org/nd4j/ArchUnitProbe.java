package org.nd4j;

/** Test-only stand-in for an ND4J type, so EngineArchitectureTest can prove its rule catches a violation. */
public final class ArchUnitProbe {
}
