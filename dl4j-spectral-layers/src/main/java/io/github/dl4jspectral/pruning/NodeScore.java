package io.github.dl4jspectral.pruning;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.layers.EffectiveWeights;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;
import java.util.Random;

/**
 * The node scores of docs/METHOD.md section 5. A hidden node h sits between a producing layer (h is its output
 * node, eigenvalue {@code lambdaOut[h]}) and a consuming layer (h is its input node, eigenvalue
 * {@code lambdaIn[h]}).
 *
 * <p>Only trained eigenvalues decide: a set the layer does not train (lambdaIn pinned at 0 by preset
 * EIGENVALUES_OUT, or frozen at its random initial values) says nothing about the node's relevance.
 * {@link #EIGENVALUE} leaves such a set out; {@link #EIGENVALUE_IN} and {@link #EIGENVALUE_OUT} refuse it.
 */
public enum NodeScore {
    /**
     * The node's trained eigenvalues, combined by the configuration's {@link PruningConfig.EigenvalueRule}
     * (CONSUMER, the default: the consuming layer's {@code |lambdaIn[h]|}; PRODUCER: the producing layer's
     * {@code |lambdaOut[h]|}; BOTH: {@code min(|lambdaOut[h]|, |lambdaIn[h]|)}; EITHER: max; PRODUCT; BY_TRAINING: the producer's {@code |lambdaOut[h]|} if the producing
     * layer trains its eigenvector block, else the consumer's {@code |lambdaIn[h]|}). If only one of the two is trained (one-set networks: lambdaIn pinned at 0), or only one
     * neighbour is spectral, that one's magnitude alone.
     */
    EIGENVALUE,
    /** {@code |lambdaIn[h]|} of the consuming layer. */
    EIGENVALUE_IN,
    /** {@code |lambdaOut[h]|} of the producing layer (the one-set, Nat. Commun.-style choice). */
    EIGENVALUE_OUT,
    /** Uniform random scores from the configured seed: the baseline every rule must beat. */
    RANDOM,
    /** Incoming direct-space connectivity {@code sum_j |W[j][h]|} of the producing layer (Sci. Rep. baseline). */
    CONNECTIVITY,
    /** L2 norm of the node's outgoing direct-space weights {@code W[h][:]} in the consuming layer. */
    CONNECTIVITY_OUT;

    /** The scorer of this rule under {@code config} (eigenvalue rule, random seed). */
    NodeScorer scorer(PruningConfig config, int layerIndex) {
        return switch (this) {
            case EIGENVALUE -> hidden -> eigenvalue(hidden, config.eigenvalueRule());
            case EIGENVALUE_IN -> hidden -> absolute(required(hidden, false), SpectralParam.LAMBDA_IN, hidden.consumerParams());
            case EIGENVALUE_OUT -> hidden -> absolute(required(hidden, true), SpectralParam.LAMBDA_OUT, hidden.producerParams());
            case RANDOM -> hidden -> new Random(config.seed() * 31 + layerIndex).doubles(hidden.nodes()).toArray();
            case CONNECTIVITY -> hidden -> Transforms.abs(directWeights(hidden.producer(), hidden.producerParams()))
                    .sum(0).toDoubleVector();
            case CONNECTIVITY_OUT -> hidden -> directWeights(hidden.consumer(), hidden.consumerParams())
                    .norm2(1).toDoubleVector();
        };
    }

    private static double[] eigenvalue(HiddenLayer hidden, PruningConfig.EigenvalueRule rule) {
        boolean out = hidden.producer() instanceof SpectralLayerConfig;
        boolean in = hidden.consumer() instanceof SpectralLayerConfig;
        if (!out && !in) {
            throw new IllegalArgumentException("NodeScore.EIGENVALUE for hidden layer \"" + hidden.name() + "\": neither "
                    + hidden.producer().getClass().getSimpleName() + " nor " + hidden.consumer().getClass().getSimpleName()
                    + " is spectral; expected a spectral neighbour, or a baseline score (RANDOM, CONNECTIVITY)");
        }
        boolean outDecides = out && trains(hidden.producer(), SpectralParam.LAMBDA_OUT);
        boolean inDecides = in && trains(hidden.consumer(), SpectralParam.LAMBDA_IN);
        if (!outDecides && !inDecides) {
            throw new IllegalArgumentException("NodeScore.EIGENVALUE for hidden layer \"" + hidden.name() + "\": no trained "
                    + "eigenvalue (" + (out ? "the producing layer's lambdaOut is not trained" : "the producing layer is not "
                    + "spectral") + "; " + (in ? "the consuming layer's lambdaIn is not trained or pinned at 0" : "the "
                    + "consuming layer is not spectral") + "); expected a spectral neighbour that trains the node's "
                    + "eigenvalue, or a baseline score (RANDOM, CONNECTIVITY)");
        }
        if (rule == PruningConfig.EigenvalueRule.BY_TRAINING && outDecides && inDecides) {
            boolean phiTrained = ((SpectralLayerConfig) hidden.producer()).getSpectral().isTrainPhi();
            outDecides = phiTrained;
            inDecides = !phiTrained;
        }
        double[] outScores = outDecides ? absolute(hidden.producer(), SpectralParam.LAMBDA_OUT, hidden.producerParams()) : null;
        double[] inScores = inDecides ? absolute(hidden.consumer(), SpectralParam.LAMBDA_IN, hidden.consumerParams()) : null;
        if (outScores == null || inScores == null) {
            return outScores != null ? outScores : inScores;
        }
        double[] combined = new double[outScores.length];
        for (int h = 0; h < combined.length; h++) {
            combined[h] = rule.combine(outScores[h], inScores[h]);
        }
        return combined;
    }

    /** Whether the spectral layer {@code layer} trains the eigenvalue set {@code eigenvalues}. */
    private static boolean trains(Layer layer, SpectralParam eigenvalues) {
        return ((SpectralLayerConfig) layer).getSpectral().trains(eigenvalues);
    }

    private static Layer required(HiddenLayer hidden, boolean producer) {
        Layer layer = producer ? hidden.producer() : hidden.consumer();
        String rule = producer ? "EIGENVALUE_OUT" : "EIGENVALUE_IN";
        String role = producer ? "producing" : "consuming";
        SpectralParam set = producer ? SpectralParam.LAMBDA_OUT : SpectralParam.LAMBDA_IN;
        if (!(layer instanceof SpectralLayerConfig spectral)) {
            throw new IllegalArgumentException("NodeScore." + rule + " for hidden layer \"" + hidden.name() + "\": the "
                    + role + " layer is a " + layer.getClass().getSimpleName() + "; expected a spectral layer");
        }
        if (!spectral.getSpectral().trains(set)) {
            throw new IllegalArgumentException("NodeScore." + rule + " for hidden layer \"" + hidden.name() + "\": the "
                    + role + " layer does not train " + set.key() + " (" + spectral.getSpectral().describe()
                    + "), so it cannot rank the nodes; expected a layer that trains " + set.key() + ", or NodeScore."
                    + (producer ? "EIGENVALUE_IN" : "EIGENVALUE_OUT") + " / EIGENVALUE");
        }
        return layer;
    }

    private static double[] absolute(Layer layer, SpectralParam eigenvalues, Map<String, INDArray> params) {
        return Transforms.abs(params.get(eigenvalues.key()), true).toDoubleVector();
    }

    /** W [nIn, nOut] of a spectral layer (effective weights) or of a DL4J dense/output layer. */
    static INDArray directWeights(Layer layer, Map<String, INDArray> params) {
        if (layer instanceof SpectralLayerConfig spectral) {
            return EffectiveWeights.of(spectral, params);
        }
        INDArray w = params.get(DefaultParamInitializer.WEIGHT_KEY);
        if (w == null) {
            throw new IllegalArgumentException("layer \"" + layer.getLayerName() + "\" (" + layer.getClass().getSimpleName()
                    + ") has no weight matrix W; expected a spectral, dense or output layer");
        }
        return w;
    }
}
