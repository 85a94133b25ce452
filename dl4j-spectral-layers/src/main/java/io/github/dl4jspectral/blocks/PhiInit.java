package io.github.dl4jspectral.blocks;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * What a block needs to draw its initial values (docs/METHOD.md section 7), as the layer's initialization mode
 * resolves it: how a whole phi is drawn, the variance a dense phi has, whether the mode matches the variance of a
 * dense layer, whether it is the authors' start of a block that has one ({@link PhiBlock#hasAuthorsInit}), and the
 * layer's seeded generator. Random draws come from {@code draws} ({@link SeededDraws}: plain Java, from the layer's
 * initialization seed), so that the values depend only on the configuration; only a WeightInit without a plain-Java
 * counterpart draws from ND4J.
 *
 * @param phiDraw         draws a whole phi [nIn, nOut] as the mode says: uniform in its range, or as the layer's
 *                        WeightInit draws a DenseLayer's W (fan-in nIn, fan-out nOut)
 * @param phiVariance     Var(phi) of a dense phi under the mode
 * @param varianceMatched whether the mode keeps the variance of a dense layer's W (a block that thins phi rescales)
 * @param authorsInit     whether the mode is the authors' start of the block ({@code SpectralInit.authorsSvd()})
 * @param draws           the layer's seeded generator
 */
public record PhiInit(Consumer<INDArray> phiDraw, DoubleSupplier phiVariance, boolean varianceMatched,
                      boolean authorsInit, SeededDraws draws) {

    /** Draws a whole phi as the mode says. */
    public void drawPhi(INDArray phi) {
        phiDraw.accept(phi);
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
