package io.github.dl4jspectral.cpu;

import org.nd4j.common.io.Resource;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * Not a backend: the earliest point at which the library can act in a JVM. ND4J's {@code Nd4jBackend.load()}
 * instantiates every {@code Nd4jBackend} service on the classpath (this class is one, through
 * {@code META-INF/services/org.nd4j.linalg.factory.Nd4jBackend}) before it asks any of them whether it can run, which
 * is when the real backend loads its native libraries; the constructor calls {@link CpuSpeed#preferPassiveWait()}.
 *
 * <p>It is never chosen: its priority is below every real backend's, so ND4J picks a real backend before it would
 * ask this one, and {@link #isAvailable()} refuses with a message naming what it is if ND4J ever gets to it (no real
 * backend on the classpath).
 */
public final class EarlySettingsHook extends Nd4jBackend {

    /** Below ND4J's CPU (0) and GPU (100) backends, and far from int overflow in ND4J's priority comparison. */
    static final int PRIORITY = -1_000_000;

    /** Called by ND4J's service loader; applies {@link CpuSpeed#preferPassiveWait()}. */
    public EarlySettingsHook() {
        CpuSpeed.preferPassiveWait();
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    /** Never: throws, so that ND4J's log of skipped backends says what this class is. */
    @Override
    public boolean isAvailable() {
        throw new IllegalStateException("not a backend: dl4j-spectral's hook that sets OMP_WAIT_POLICY before a "
                + "backend loads; add nd4j-native or nd4j-cuda for a backend");
    }

    @Override
    public boolean canRun() {
        return false;
    }

    @Override
    public boolean allowsOrder() {
        return false;
    }

    @Override
    public Resource getConfigurationResource() {
        throw new UnsupportedOperationException("not a backend");
    }

    @Override
    public Class getNDArrayClass() {
        throw new UnsupportedOperationException("not a backend");
    }

    @Override
    public Environment getEnvironment() {
        throw new UnsupportedOperationException("not a backend");
    }

    @Override
    public String buildInfo() {
        return "dl4j-spectral EarlySettingsHook (not a backend)";
    }

    @Override
    public void logBackendInit() {
        // not a backend: nothing to log
    }
}
