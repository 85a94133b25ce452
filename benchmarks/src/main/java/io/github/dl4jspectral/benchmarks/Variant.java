package io.github.dl4jspectral.benchmarks;

import io.github.dl4jspectral.zoo.ModelSpec;
import io.github.dl4jspectral.zoo.ModelSpec.Kind;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;

/**
 * The networks compared by the speed and memory benchmarks: named {@link ModelSpec}s of the project's one model
 * zoo, built as nIn - hidden tanh - nOut softmax, Adam (1e-3), float, seed 1. Each constant's {@link #spec()}
 * says what its hidden and output maps are (see {@link ModelSpec}); {@link #twin()} names the variant it is also
 * compared with, besides DENSE.
 */
public enum Variant {
    /** DL4J's {@code DenseLayer} and {@code OutputLayer}: the baseline every ratio refers to. */
    DENSE(ModelSpec.of(Kind.DENSE)),

    /** Native spectral maps, preset EIGENVALUES_OUT (lambdaOut and b trained). */
    SPECTRAL_EIGENVALUES_OUT(ModelSpec.of(Kind.EIGENVALUES_OUT)),
    /** Native spectral maps, preset EIGENVALUES (both eigenvalue sets and b trained). */
    SPECTRAL_EIGENVALUES(ModelSpec.of(Kind.EIGENVALUES)),
    /** Native spectral maps, preset FULL (everything trained). */
    SPECTRAL_FULL(ModelSpec.of(Kind.FULL)),

    /** As SPECTRAL_EIGENVALUES_OUT, but the hidden map is {@code SameDiffSpectralDenseLayer}. */
    SAMEDIFF_EIGENVALUES_OUT(ModelSpec.of(Kind.EIGENVALUES_OUT).samediff()),
    /** As SPECTRAL_EIGENVALUES, but the hidden map is {@code SameDiffSpectralDenseLayer}. */
    SAMEDIFF_EIGENVALUES(ModelSpec.of(Kind.EIGENVALUES).samediff()),
    /** As SPECTRAL_FULL, but the hidden map is {@code SameDiffSpectralDenseLayer}. */
    SAMEDIFF_FULL(ModelSpec.of(Kind.FULL).samediff()),

    /** Hidden map native spectral FULL with {@code lowRank(8)}; DL4J OutputLayer. */
    LOW_RANK_8(ModelSpec.lowRank(8)),
    /** Hidden map native spectral FULL with {@code lowRank(32)}; DL4J OutputLayer. */
    LOW_RANK_32(ModelSpec.lowRank(32)),
    /** Hidden map native spectral FULL with {@code lowRank(128)}; DL4J OutputLayer. */
    LOW_RANK_128(ModelSpec.lowRank(128)),

    /** Both maps native spectral FULL with the Phys. Rev. E S-SVD block ({@code svd()}: s, eigenvalues, b trained). */
    SVD_FULL(ModelSpec.of(Kind.SVD)),
    /** Both maps native spectral FULL with the Phys. Rev. E QR block ({@code qr()}: R, eigenvalues, b trained). */
    QR_FULL(ModelSpec.of(Kind.QR)),

    /**
     * The Phys. Rev. E sparse network: QR_FULL with {@code magnitudeSparsity(0.9)} in both maps (twin QR_FULL: the
     * cost of the selection).
     */
    MAGNITUDE_90(ModelSpec.magnitude(0.9)),
    /**
     * The conventional twin under the same rule: preset EIGENVECTORS with {@code SpectralInit.denseEquivalent()}
     * (W = -phi) and {@code magnitudeSparsity(0.9)} in both maps (twin: DENSE).
     */
    MAGNITUDE_DENSE_90(ModelSpec.magnitudeDense(0.9)),

    /** Hidden map native spectral FULL on a random support of density 0.1; DL4J OutputLayer. */
    SPARSE_10(ModelSpec.sparse(0.1)),
    /** The conventional baseline of SPARSE_10: {@code SparseDenseLayer} on the same support; DL4J OutputLayer. */
    SPARSE_DENSE_10(ModelSpec.sparseDense(0.1)),

    /**
     * The SPECTRAL_FULL network collapsed by {@code DirectSpaceExport.toDense}: plain DL4J {@code DenseLayer} and
     * {@code OutputLayer}, the same code path as DENSE.
     */
    EXPORTED(ModelSpec.of(Kind.FULL).exported());

    /** The benchmarks' hidden activation, learning rate and seed. */
    static final Activation ACTIVATION = Activation.TANH;
    static final double LEARNING_RATE = 1e-3;
    static final long SEED = 1;

    private final ModelSpec spec;

    Variant(ModelSpec spec) {
        this.spec = spec;
    }

    /** The network of the zoo this variant names. */
    public ModelSpec spec() {
        return spec;
    }

    /**
     * The variant this one is also compared with, besides DENSE: a SameDiff variant's native twin, the
     * spectral sparse variant's conventional baseline on the same support, the magnitude network's unsparsified
     * QR network, the exported network's spectral source; DENSE for the others.
     */
    public Variant twin() {
        return switch (this) {
            case SAMEDIFF_EIGENVALUES_OUT -> SPECTRAL_EIGENVALUES_OUT;
            case SAMEDIFF_EIGENVALUES -> SPECTRAL_EIGENVALUES;
            case SAMEDIFF_FULL -> SPECTRAL_FULL;
            case SPARSE_10 -> SPARSE_DENSE_10;
            case MAGNITUDE_90 -> QR_FULL;
            case EXPORTED -> SPECTRAL_FULL;
            default -> DENSE;
        };
    }

    /** A freshly initialized network of this variant. */
    public MultiLayerNetwork network(int nIn, int hidden, int nOut) {
        return spec.network(nIn, hidden, nOut, ACTIVATION, LEARNING_RATE, SEED);
    }
}
