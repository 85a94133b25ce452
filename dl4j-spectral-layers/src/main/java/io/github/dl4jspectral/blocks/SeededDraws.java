package io.github.dl4jspectral.blocks;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitLecunUniform;
import org.deeplearning4j.nn.weights.WeightInitNormal;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitReluUniform;
import org.deeplearning4j.nn.weights.WeightInitSigmoidUniform;
import org.deeplearning4j.nn.weights.WeightInitUniform;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.nn.weights.WeightInitXavierLegacy;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The random numbers of a spectral layer's initial values, drawn in plain Java from the layer's initialization seed
 * ({@link io.github.dl4jspectral.conf.SpectralSettings#getInitSeed()}), so that they depend only on the seed and the
 * array's shape, never on the ND4J backend, its random state, the machine or the number of threads: a frozen group
 * can be regenerated bit for bit from the seed (what the compact model files rely on).
 *
 * <p>Generator {@value #GENERATOR}: {@code java.util.SplittableRandom(seed)} (SplitMix64, as {@code SparseSupport});
 * uniform draws {@code min + (max - min) u} with {@code u = nextDouble()}; normal draws by the Marsaglia polar method
 * with {@code StrictMath} (two normals per accepted pair). An array is filled in row-major ('c') order of its logical
 * indices, whatever its memory order, in double precision, then cast once to the array's data type.
 */
public final class SeededDraws {

    /** Identifies the generator and the order of its draws; stored in compact model files beside each seed. */
    public static final String GENERATOR = "SplittableRandom-polar-c/1";

    private final SplittableRandom random;
    private double spareNormal = Double.NaN;

    public SeededDraws(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A distribution this class can draw: normal (mean, std) or uniform [min, max). */
    public record Distribution(boolean normal, double a, double b) {

        /** Normal with mean {@code mean} and standard deviation {@code std}. */
        public static Distribution normal(double mean, double std) {
            return new Distribution(true, mean, std);
        }

        /** Uniform in [min, max) ({@code min == max}: the constant). */
        public static Distribution uniform(double min, double max) {
            return new Distribution(false, min, max);
        }

        /** E[x^2]: {@code mean^2 + std^2}, or {@code (min^2 + min max + max^2) / 3}. */
        public double meanSquare() {
            return normal ? a * a + b * b : (a * a + a * b + b * b) / 3;
        }
    }

    /**
     * The distribution DL4J's {@code weightInit} draws a DenseLayer's W [fanIn, fanOut] from, for the weight inits whose
     * distribution is fixed by their class (XAVIER, XAVIER_UNIFORM, XAVIER_LEGACY, RELU, RELU_UNIFORM, NORMAL /
     * LECUN_NORMAL / XAVIER_FAN_IN, UNIFORM, LECUN_UNIFORM, SIGMOID_UNIFORM); empty for the others (DISTRIBUTION,
     * CONSTANT, IDENTITY, the truncated VAR_SCALING ones, custom classes), which are then drawn by ND4J.
     */
    public static Optional<Distribution> of(IWeightInit weightInit, double fanIn, double fanOut) {
        Class<?> type = weightInit.getClass();
        Distribution d = null;
        if (type == WeightInitXavier.class) {
            d = Distribution.normal(0, Math.sqrt(2.0 / (fanIn + fanOut)));
        } else if (type == WeightInitXavierUniform.class) {
            double s = Math.sqrt(6.0) / Math.sqrt(fanIn + fanOut);
            d = Distribution.uniform(-s, s);
        } else if (type == WeightInitXavierLegacy.class) {
            d = Distribution.normal(0, 1 / Math.sqrt(fanIn + fanOut));
        } else if (type == WeightInitRelu.class) {
            d = Distribution.normal(0, Math.sqrt(2.0 / fanIn));
        } else if (type == WeightInitReluUniform.class) {
            double u = Math.sqrt(6.0 / fanIn);
            d = Distribution.uniform(-u, u);
        } else if (type == WeightInitNormal.class) {
            d = Distribution.normal(0, 1 / Math.sqrt(fanIn));
        } else if (type == WeightInitUniform.class) {
            double a = 1.0 / Math.sqrt(fanIn);
            d = Distribution.uniform(-a, a);
        } else if (type == WeightInitLecunUniform.class) {
            double b = 3.0 / Math.sqrt(fanIn);
            d = Distribution.uniform(-b, b);
        } else if (type == WeightInitSigmoidUniform.class) {
            double r = 4.0 * Math.sqrt(6.0 / (fanIn + fanOut));
            d = Distribution.uniform(-r, r);
        }
        return Optional.ofNullable(d);
    }

    /** Fills {@code target} with draws from {@code distribution}. */
    public void draw(INDArray target, Distribution distribution) {
        if (distribution.normal()) {
            normal(target, distribution.a(), distribution.b());
        } else {
            uniform(target, distribution.a(), distribution.b());
        }
    }

    /** Fills {@code target} uniform in [min, max) ({@code min == max}: the constant, no draws). */
    public void uniform(INDArray target, double min, double max) {
        if (min == max) {
            target.assign(min);
            return;
        }
        double[] values = new double[(int) target.length()];
        for (int k = 0; k < values.length; k++) {
            values[k] = min + (max - min) * random.nextDouble();
        }
        assign(target, values);
    }

    /** Fills {@code target} normal with mean {@code mean} and standard deviation {@code std}. */
    public void normal(INDArray target, double mean, double std) {
        double[] values = new double[(int) target.length()];
        for (int k = 0; k < values.length; k++) {
            values[k] = mean + std * nextNormal();
        }
        assign(target, values);
    }

    /** A standard normal draw (Marsaglia polar method, StrictMath). */
    private double nextNormal() {
        if (!Double.isNaN(spareNormal)) {
            double spare = spareNormal;
            spareNormal = Double.NaN;
            return spare;
        }
        double u, v, s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double scale = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spareNormal = v * scale;
        return u * scale;
    }

    /** {@code values} (row-major over the logical indices) into {@code target}, cast once to its data type. */
    private static void assign(INDArray target, double[] values) {
        INDArray drawn = Nd4j.create(values, target.shape(), 'c');
        target.assign(target.dataType() == DataType.DOUBLE ? drawn : drawn.castTo(target.dataType()));
    }
}
