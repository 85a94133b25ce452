package io.github.dl4jspectral.zoo;

import io.github.dl4jspectral.conf.SparseDenseLayer;
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
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Locale;

/**
 * One network of the examples and benchmarks (the project's one model zoo): nIn - hidden - nOut softmax, trained
 * with Adam. Written as a short name that the command line takes and the tables print:
 * <ul>
 *   <li>{@code dense}: DL4J DenseLayer + OutputLayer (conventional, every weight trained);</li>
 *   <li>{@code eigenvalues-out}, {@code eigenvalues}, {@code full}: SpectralDenseLayer + SpectralOutputLayer in
 *       that {@link SpectralPreset};</li>
 *   <li>{@code low-rank-R}: SpectralDenseLayer FULL with phi = U V^T of rank R, DL4J OutputLayer;</li>
 *   <li>{@code sparse-D}: SpectralDenseLayer FULL with a random support of density D (e.g. 0.1), DL4J OutputLayer;</li>
 *   <li>{@code sparse-dense-D}: the conventional SparseDenseLayer on the same support, DL4J OutputLayer.</li>
 *   <li>{@code svd}, {@code qr}: both maps spectral FULL with the Phys. Rev. E S-SVD or QR eigenvector block
 *       (eigenvalues and s, or eigenvalues and R, trained);</li>
 *   <li>{@code magnitude-F}: both maps spectral FULL with the QR block, keeping only the largest |W| (a fraction F of
 *       zeros, e.g. 0.9) at every step (Phys. Rev. E sparse networks);</li>
 *   <li>{@code magnitude-dense-F}: the conventional twin under the same rule (W = -phi, every weight trained).</li>
 * </ul>
 * Each spectral family also comes in two other {@link Implementation}s: {@code samediff-NAME} (the hidden map is
 * the {@link SameDiffSpectralDenseLayer}, the output map stays native) and {@code exported-NAME} (the native
 * network collapsed by {@link DirectSpaceExport#toDense} into plain DL4J layers).
 *
 * @param kind           the family
 * @param rank           the rank of {@code low-rank} (else 0)
 * @param density        the density of the sparse kinds, the fraction of zeros of the magnitude kinds (else 1)
 * @param implementation how the spectral hidden map is run
 */
public record ModelSpec(Kind kind, int rank, double density, Implementation implementation) {

    /** The network families. */
    public enum Kind {
        DENSE("dense"), EIGENVALUES_OUT("eigenvalues-out"), EIGENVALUES("eigenvalues"), FULL("full"),
        LOW_RANK("low-rank-"), SPARSE("sparse-"), SPARSE_DENSE("sparse-dense-"), SVD("svd"), QR("qr"),
        MAGNITUDE("magnitude-"), MAGNITUDE_DENSE("magnitude-dense-");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** Whether the hidden map is a spectral layer (every family but the two DL4J-only ones). */
        public boolean spectral() {
            return this != DENSE && this != SPARSE_DENSE;
        }
    }

    /** How a spectral network runs. */
    public enum Implementation {
        /** The native layers ({@link SpectralDenseLayer}, {@link SpectralOutputLayer}). */
        NATIVE(""),
        /** The hidden map is a {@link SameDiffSpectralDenseLayer} (same settings), the output map native. */
        SAMEDIFF("samediff-"),
        /** The native network, initialized, then collapsed into DL4J DenseLayer / OutputLayer by the export. */
        EXPORTED("exported-");

        private final String prefix;

        Implementation(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Seed of the sparse support: the same for {@code sparse-D} and {@code sparse-dense-D}. */
    public static final long SUPPORT_SEED = 7;

    public ModelSpec {
        if (kind == Kind.LOW_RANK && rank < 1) {
            throw new IllegalArgumentException("low-rank model: rank " + rank + "; expected >= 1");
        }
        if ((kind == Kind.SPARSE || kind == Kind.SPARSE_DENSE) && !(density > 0 && density <= 1)) {
            throw new IllegalArgumentException(kind.prefix + " model: density " + density + "; expected in (0, 1]");
        }
        if ((kind == Kind.MAGNITUDE || kind == Kind.MAGNITUDE_DENSE) && !(density > 0 && density < 1)) {
            throw new IllegalArgumentException(kind.prefix + " model: fraction of zeros " + density + "; expected in (0, 1)");
        }
        if (implementation != Implementation.NATIVE && !kind.spectral()) {
            throw new IllegalArgumentException(implementation.prefix + kind.prefix + " model: implementation "
                    + implementation + " of a conventional network; expected a spectral family");
        }
    }

    /** A native network of {@code kind}, rank and density as given. */
    public ModelSpec(Kind kind, int rank, double density) {
        this(kind, rank, density, Implementation.NATIVE);
    }

    public static ModelSpec of(Kind kind) {
        return new ModelSpec(kind, 0, 1);
    }

    public static ModelSpec lowRank(int rank) {
        return new ModelSpec(Kind.LOW_RANK, rank, 1);
    }

    public static ModelSpec sparse(double density) {
        return new ModelSpec(Kind.SPARSE, 0, density);
    }

    public static ModelSpec sparseDense(double density) {
        return new ModelSpec(Kind.SPARSE_DENSE, 0, density);
    }

    /** Spectral QR networks keeping the largest |W|, {@code zeros} of them zeroed. */
    public static ModelSpec magnitude(double zeros) {
        return new ModelSpec(Kind.MAGNITUDE, 0, zeros);
    }

    /** The conventional twin of {@link #magnitude}. */
    public static ModelSpec magnitudeDense(double zeros) {
        return new ModelSpec(Kind.MAGNITUDE_DENSE, 0, zeros);
    }

    /** This network with its hidden map run by the SameDiff layer. */
    public ModelSpec samediff() {
        return new ModelSpec(kind, rank, density, Implementation.SAMEDIFF);
    }

    /** This network exported to plain DL4J layers after initialization. */
    public ModelSpec exported() {
        return new ModelSpec(kind, rank, density, Implementation.EXPORTED);
    }

    /**
     * Parses a name as printed by {@link #name()}.
     *
     * @throws IllegalArgumentException listing the accepted names
     */
    public static ModelSpec parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Implementation implementation : new Implementation[]{Implementation.SAMEDIFF, Implementation.EXPORTED}) {
            if (n.startsWith(implementation.prefix)) {
                ModelSpec spec = parseFamily(n.substring(implementation.prefix.length()), name);
                if (!spec.kind.spectral()) {
                    throw unknown(name);
                }
                return new ModelSpec(spec.kind, spec.rank, spec.density, implementation);
            }
        }
        return parseFamily(n, name);
    }

    private static ModelSpec parseFamily(String n, String name) {
        try {
            if (n.startsWith(Kind.MAGNITUDE_DENSE.prefix)) {
                return magnitudeDense(Double.parseDouble(n.substring(Kind.MAGNITUDE_DENSE.prefix.length())));
            }
            if (n.startsWith(Kind.MAGNITUDE.prefix)) {
                return magnitude(Double.parseDouble(n.substring(Kind.MAGNITUDE.prefix.length())));
            }
            if (n.startsWith(Kind.SPARSE_DENSE.prefix)) {
                return sparseDense(Double.parseDouble(n.substring(Kind.SPARSE_DENSE.prefix.length())));
            }
            if (n.startsWith(Kind.SPARSE.prefix)) {
                return sparse(Double.parseDouble(n.substring(Kind.SPARSE.prefix.length())));
            }
            if (n.startsWith(Kind.LOW_RANK.prefix)) {
                return lowRank(Integer.parseInt(n.substring(Kind.LOW_RANK.prefix.length())));
            }
        } catch (NumberFormatException e) {
            throw unknown(name);
        }
        for (Kind kind : new Kind[]{Kind.DENSE, Kind.EIGENVALUES_OUT, Kind.EIGENVALUES, Kind.FULL, Kind.SVD, Kind.QR}) {
            if (n.equals(kind.prefix)) {
                return of(kind);
            }
        }
        throw unknown(name);
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown model \"" + name + "\"; expected dense, eigenvalues-out, eigenvalues,"
                + " full, svd, qr, low-rank-R (R a rank such as 32), sparse-D or sparse-dense-D (D a density such as 0.1),"
                + " magnitude-F or magnitude-dense-F (F a fraction of zeros such as 0.9); a spectral one may be prefixed"
                + " samediff- or exported-");
    }

    /** The short name, e.g. {@code low-rank-32}, {@code sparse-0.05} or {@code samediff-full}. */
    public String name() {
        String family = switch (kind) {
            case LOW_RANK -> kind.prefix + rank;
            case SPARSE, SPARSE_DENSE, MAGNITUDE, MAGNITUDE_DENSE -> kind.prefix + trim(density);
            default -> kind.prefix;
        };
        return implementation.prefix + family;
    }

    private static String trim(double d) {
        String s = String.valueOf(d);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** True for the networks whose hidden map is a spectral layer (the exported ones are plain DL4J). */
    public boolean spectral() {
        return kind.spectral() && kind != Kind.MAGNITUDE_DENSE && implementation != Implementation.EXPORTED;
    }

    /**
     * Adam learning rate the demo uses when none is given: 1e-1 for the eigenvalue-only presets, 1e-3 otherwise,
     * the rates the claims harness in the benchmarks module picked on a Fashion-MNIST validation split (out of
     * 1e-3, 3e-3, 1e-2, 3e-2, 1e-1) for 784-500-10 tanh networks.
     */
    public double defaultLearningRate() {
        return kind == Kind.EIGENVALUES || kind == Kind.EIGENVALUES_OUT ? 1e-1 : 1e-3;
    }

    /** The configuration of nIn - hidden (activation) - nOut softmax with Adam(learningRate) and this seed. */
    public MultiLayerConfiguration configuration(int nIn, int hidden, int nOut, Activation activation,
                                                 double learningRate, long seed) {
        if (implementation == Implementation.EXPORTED) {
            return network(nIn, hidden, nOut, activation, learningRate, seed).getLayerWiseConfigurations();
        }
        return new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(learningRate)).list()
                .layer(hiddenLayer(hidden, activation))
                .layer(outputLayer(nOut))
                .setInputType(InputType.feedForward(nIn)).build();
    }

    /** A freshly initialized network of {@link #configuration}. */
    public MultiLayerNetwork network(int nIn, int hidden, int nOut, Activation activation, double learningRate, long seed) {
        if (implementation == Implementation.EXPORTED) {
            return DirectSpaceExport.toDense(new ModelSpec(kind, rank, density)
                    .network(nIn, hidden, nOut, activation, learningRate, seed));
        }
        MultiLayerNetwork network = new MultiLayerNetwork(configuration(nIn, hidden, nOut, activation, learningRate, seed));
        network.init();
        return network;
    }

    private Layer hiddenLayer(int hidden, Activation activation) {
        return switch (kind) {
            case DENSE -> new DenseLayer.Builder().nOut(hidden).activation(activation).build();
            case SPARSE_DENSE -> new SparseDenseLayer.Builder().nOut(hidden).activation(activation)
                    .sparse(density, SUPPORT_SEED).build();
            default -> implementation == Implementation.SAMEDIFF
                    ? spectralMap(new SameDiffSpectralDenseLayer.Builder().nOut(hidden).activation(activation)).build()
                    : spectralMap(new SpectralDenseLayer.Builder().nOut(hidden).activation(activation)).build();
        };
    }

    private Layer outputLayer(int nOut) {
        return switch (kind) {
            case EIGENVALUES_OUT, EIGENVALUES, FULL, SVD, QR, MAGNITUDE, MAGNITUDE_DENSE -> spectralMap(
                    new SpectralOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(nOut)
                            .activation(Activation.SOFTMAX)).build();
            default -> new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(nOut)
                    .activation(Activation.SOFTMAX).build();
        };
    }

    /** A spectral map of this family: preset, block and magnitude rule. */
    private <B extends SpectralLayerBuilder<B>> B spectralMap(B builder) {
        return switch (kind) {
            case EIGENVALUES_OUT -> builder.preset(SpectralPreset.EIGENVALUES_OUT);
            case EIGENVALUES -> builder.preset(SpectralPreset.EIGENVALUES);
            case FULL -> builder.preset(SpectralPreset.FULL);
            case LOW_RANK -> builder.preset(SpectralPreset.FULL).lowRank(rank);
            case SPARSE -> builder.preset(SpectralPreset.FULL).sparse(density, SUPPORT_SEED);
            case SVD -> builder.preset(SpectralPreset.FULL).svd();
            case QR -> builder.preset(SpectralPreset.FULL).qr();
            case MAGNITUDE -> builder.preset(SpectralPreset.FULL).qr().magnitudeSparsity(density);
            case MAGNITUDE_DENSE -> builder.preset(SpectralPreset.EIGENVECTORS).spectralInit(SpectralInit.denseEquivalent())
                    .magnitudeSparsity(density);
            case DENSE, SPARSE_DENSE -> throw new IllegalStateException(name() + " has no spectral map");
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
