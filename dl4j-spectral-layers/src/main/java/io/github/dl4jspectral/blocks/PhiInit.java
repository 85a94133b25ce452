package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralInit;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * What a block needs to draw its initial values (docs/METHOD.md section 7): the layer's {@link SpectralInit}, the
 * variance a dense phi would have under it, the layer's DL4J WeightInit, and the layer's seeded generator. Random
 * draws come from {@code draws} ({@link SeededDraws}: plain Java, from the layer's initialization seed), so that the
 * values depend only on the configuration; only a WeightInit without a plain-Java counterpart draws from ND4J.
 *
 * @param init        the initialization mode and ranges
 * @param phiVariance Var(phi) of a dense phi under {@code init}: the WeightInit's or that of the uniform range
 * @param weightInit  draws an array as the layer's WeightInit draws a DenseLayer's W (fan-in nIn, fan-out nOut)
 * @param draws       the layer's seeded generator
 */
public record PhiInit(SpectralInit init, DoubleSupplier phiVariance, Consumer<INDArray> weightInit, SeededDraws draws) {

    /** Draws a whole phi as the mode says: uniform in the configured range, or by the WeightInit. */
    public void drawPhi(INDArray phi) {
        if (init.getMode() == SpectralInit.Mode.UNIFORM) {
            uniform(phi, init.getPhiMin(), init.getPhiMax());
        } else {
            weightInit.accept(phi);
        }
    }

    /** Uniform in [min, max] ({@code min == max}: the constant). */
    public void uniform(INDArray target, double min, double max) {
        draws.uniform(target, min, max);
    }

    /** Normal with mean 0 and standard deviation {@code std}. */
    public void normal(INDArray target, double std) {
        draws.normal(target, 0, std);
    }
}
