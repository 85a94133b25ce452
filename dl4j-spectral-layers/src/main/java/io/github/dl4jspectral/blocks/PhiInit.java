package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * What a block needs to draw its initial values (docs/METHOD.md section 7): the layer's {@link SpectralInit}, the
 * variance a dense phi would have under it, and the layer's DL4J WeightInit. Random draws use ND4J's global
 * generator, which DL4J seeds from the network's seed.
 *
 * @param init        the initialization mode and ranges
 * @param phiVariance Var(phi) of a dense phi under {@code init}: the WeightInit's (measured on a small draw) or
 *                    that of the uniform range; computed on demand, as measuring it consumes random numbers
 * @param weightInit  draws an array as the layer's WeightInit draws a DenseLayer's W (fan-in nIn, fan-out nOut)
 */
public record PhiInit(SpectralInit init, DoubleSupplier phiVariance, Consumer<INDArray> weightInit) {

    /** Draws a whole phi as the mode says: uniform in the configured range, or by the WeightInit. */
    public void drawPhi(INDArray phi) {
        if (init.getMode() == SpectralInit.Mode.UNIFORM) {
            uniform(phi, init.getPhiMin(), init.getPhiMax());
        } else {
            weightInit.accept(phi);
        }
    }

    /** Uniform in [min, max] ({@code min == max}: the constant). */
    public static void uniform(INDArray target, double min, double max) {
        if (min == max) {
            target.assign(min);
        } else {
            Nd4j.getDistributions().createUniform(min, max).sample(target);
        }
    }

    /** Normal with mean 0 and standard deviation {@code std}. */
    public static void normal(INDArray target, double std) {
        Nd4j.getDistributions().createNormal(0, std).sample(target);
    }
}
