package io.github.dl4jspectral.benchmarks;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralInit;
import io.github.dl4jspectral.conf.SpectralLayerBuilder;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.export.DirectSpaceExport;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The networks compared by the benchmarks: nIn - hidden tanh - nOut softmax, Adam (1e-3), float, seed 1.
 * Each constant says what its hidden map and its output map are. The SPECTRAL and SAMEDIFF variants make
 * both maps spectral with the same preset (the output map is always the native {@code SpectralOutputLayer});
 * LOW_RANK and SPARSE variants change only the hidden map and keep DL4J's {@code OutputLayer}; SVD, QR and
 * MAGNITUDE variants make both maps spectral.
 */
public enum Variant {
    /** DL4J's {@code DenseLayer} and {@code OutputLayer}: the baseline every ratio refers to. */
    DENSE(Kind.DENSE, null, 0),

    /** Native spectral maps, preset EIGENVALUES_OUT (lambdaOut and b trained). */
    SPECTRAL_EIGENVALUES_OUT(Kind.NATIVE, SpectralPreset.EIGENVALUES_OUT, 0),
    /** Native spectral maps, preset EIGENVALUES (both eigenvalue sets and b trained). */
    SPECTRAL_EIGENVALUES(Kind.NATIVE, SpectralPreset.EIGENVALUES, 0),
    /** Native spectral maps, preset FULL (everything trained). */
    SPECTRAL_FULL(Kind.NATIVE, SpectralPreset.FULL, 0),

    /** As SPECTRAL_EIGENVALUES_OUT, but the hidden map is {@code SameDiffSpectralDenseLayer}. */
    SAMEDIFF_EIGENVALUES_OUT(Kind.SAMEDIFF, SpectralPreset.EIGENVALUES_OUT, 0),
    /** As SPECTRAL_EIGENVALUES, but the hidden map is {@code SameDiffSpectralDenseLayer}. */
    SAMEDIFF_EIGENVALUES(Kind.SAMEDIFF, SpectralPreset.EIGENVALUES, 0),
    /** As SPECTRAL_FULL, but the hidden map is {@code SameDiffSpectralDenseLayer}. */
    SAMEDIFF_FULL(Kind.SAMEDIFF, SpectralPreset.FULL, 0),

    /** Hidden map native spectral FULL with {@code lowRank(8)}; DL4J OutputLayer. */
    LOW_RANK_8(Kind.LOW_RANK, SpectralPreset.FULL, 8),
    /** Hidden map native spectral FULL with {@code lowRank(32)}; DL4J OutputLayer. */
    LOW_RANK_32(Kind.LOW_RANK, SpectralPreset.FULL, 32),
    /** Hidden map native spectral FULL with {@code lowRank(128)}; DL4J OutputLayer. */
    LOW_RANK_128(Kind.LOW_RANK, SpectralPreset.FULL, 128),

    /** Both maps native spectral FULL with the Phys. Rev. E S-SVD block ({@code svd()}: s, eigenvalues, b trained). */
    SVD_FULL(Kind.SVD, SpectralPreset.FULL, 0),
    /** Both maps native spectral FULL with the Phys. Rev. E QR block ({@code qr()}: R, eigenvalues, b trained). */
    QR_FULL(Kind.QR, SpectralPreset.FULL, 0),

    /** As SPECTRAL_FULL with {@code magnitudeSparsity(0.9)} in both maps: the cost of the selection (twin SPECTRAL_FULL). */
    MAGNITUDE_90(Kind.MAGNITUDE, SpectralPreset.FULL, 0),
    /**
     * The conventional twin under the same rule: preset EIGENVECTORS with {@code SpectralInit.denseEquivalent()}
     * (W = -phi) and {@code magnitudeSparsity(0.9)} in both maps (twin: DENSE).
     */
    MAGNITUDE_DENSE_90(Kind.MAGNITUDE, SpectralPreset.EIGENVECTORS, 0),

    /** Hidden map native spectral FULL with {@code sparse(0.1, SPARSE_SEED)}; DL4J OutputLayer. */
    SPARSE_10(Kind.SPARSE, SpectralPreset.FULL, 0),
    /** The conventional baseline of SPARSE_10: {@code SparseDenseLayer} on the same support; DL4J OutputLayer. */
    SPARSE_DENSE_10(Kind.SPARSE_DENSE, null, 0),

    /**
     * The SPECTRAL_FULL network collapsed by {@code DirectSpaceExport.toDense}: plain DL4J {@code DenseLayer} and
     * {@code OutputLayer}, the same code path as DENSE.
     */
    EXPORTED(Kind.EXPORTED, SpectralPreset.FULL, 0);

    /** Fraction of zeros of the MAGNITUDE variants. */
    public static final double MAGNITUDE_ZEROS = 0.9;

    /** Density of the SPARSE variants' support. */
    public static final double SPARSE_DENSITY = 0.1;
    /** Seed of the SPARSE variants' support (the same support for the spectral and the conventional one). */
    public static final long SPARSE_SEED = 42;

    /** How the hidden map is built. */
    private enum Kind { DENSE, NATIVE, SAMEDIFF, LOW_RANK, SVD, QR, MAGNITUDE, SPARSE, SPARSE_DENSE, EXPORTED }

    private final Kind kind;
    private final SpectralPreset preset;
    private final int rank;

    Variant(Kind kind, SpectralPreset preset, int rank) {
        this.kind = kind;
        this.preset = preset;
        this.rank = rank;
    }

    /**
     * The variant this one is also compared with, besides DENSE: a SameDiff variant's native twin, the
     * spectral sparse variant's conventional baseline on the same support, the exported network's spectral
     * source; DENSE for the others.
     */
    public Variant twin() {
        return switch (this) {
            case SAMEDIFF_EIGENVALUES_OUT -> SPECTRAL_EIGENVALUES_OUT;
            case SAMEDIFF_EIGENVALUES -> SPECTRAL_EIGENVALUES;
            case SAMEDIFF_FULL -> SPECTRAL_FULL;
            case SPARSE_10 -> SPARSE_DENSE_10;
            case MAGNITUDE_90 -> SPECTRAL_FULL;
            case EXPORTED -> SPECTRAL_FULL;
            default -> DENSE;
        };
    }

    /** A freshly initialized network of this variant. */
    public MultiLayerNetwork network(int nIn, int hidden, int nOut) {
        if (kind == Kind.EXPORTED) {
            return DirectSpaceExport.toDense(SPECTRAL_FULL.network(nIn, hidden, nOut));
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list()
                .layer(hiddenLayer(hidden))
                .layer(outputLayer(nOut))
                .setInputType(InputType.feedForward(nIn))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private Layer hiddenLayer(int hidden) {
        return switch (kind) {
            case DENSE, EXPORTED -> new DenseLayer.Builder().nOut(hidden).activation(Activation.TANH).build();
            case NATIVE -> new SpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH).preset(preset).build();
            case SAMEDIFF -> new SameDiffSpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH)
                    .preset(preset).build();
            case LOW_RANK -> new SpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH).preset(preset)
                    .lowRank(rank).build();
            case SVD, QR, MAGNITUDE -> spectral(new SpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH))
                    .build();
            case SPARSE -> new SpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH).preset(preset)
                    .sparse(SPARSE_DENSITY, SPARSE_SEED).build();
            case SPARSE_DENSE -> new io.github.dl4jspectral.conf.SparseDenseLayer.Builder().nOut(hidden)
                    .activation(Activation.TANH).sparse(SPARSE_DENSITY, SPARSE_SEED).build();
        };
    }

    private Layer outputLayer(int nOut) {
        return switch (kind) {
            case NATIVE, SAMEDIFF -> new SpectralOutputLayer.Builder().nOut(nOut).activation(Activation.SOFTMAX).preset(preset)
                    .build();
            case SVD, QR, MAGNITUDE -> spectral(new SpectralOutputLayer.Builder().nOut(nOut).activation(Activation.SOFTMAX))
                    .build();
            default -> new OutputLayer.Builder().nOut(nOut).activation(Activation.SOFTMAX).build();
        };
    }

    /** The preset and the block or magnitude rule of the SVD, QR and MAGNITUDE kinds. */
    private <B extends SpectralLayerBuilder<B>> B spectral(B builder) {
        builder.preset(preset);
        return switch (kind) {
            case SVD -> builder.svd();
            case QR -> builder.qr();
            default -> (preset == SpectralPreset.EIGENVECTORS ? builder.spectralInit(SpectralInit.denseEquivalent()) : builder)
                    .magnitudeSparsity(MAGNITUDE_ZEROS);
        };
    }
}
