package io.github.dl4jspectral.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime (native DL4J) layer of {@link io.github.dl4jspectral.conf.SpectralOutputLayer}: DL4J's
 * output-layer behaviour (labels, loss, score, evaluation) on top of the spectral map of
 * {@link SpectralMap}. Created by DL4J from the configuration.
 */
public class SpectralOutputLayer extends BaseOutputLayer<io.github.dl4jspectral.conf.SpectralOutputLayer> {

    /** The vectors of ones for the eigenvalue gradients' sums. */
    private final SumVectors sumVectors = new SumVectors();

    /** The arrays W and D are built in, and the W of the last inference pass. */
    private final KeptWeights keptWeights = new KeptWeights();

    public SpectralOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(training, false, workspaceMgr).z();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        SpectralMap.Forward forward = forward(true, true, workspaceMgr);
        INDArray delta = layerConf().getLossFn().computeGradient(getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM),
                forward.z(), layerConf().getActivationFn(), maskArray);
        Pair<Gradient, INDArray> result = SpectralMap.backprop(layerConf(), input, delta, forward,
                params(true, workspaceMgr), gradientViews, workspaceMgr, keptWeights);
        // As in DL4J's output layers, weight noise is cleared by the network after the score is computed.
        return new Pair<>(result.getFirst(), backpropDropOutIfPresent(result.getSecond()));
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            return;
        }
        gradient = backpropGradient(null, workspaceMgr).getFirst();
        score = computeScore(calcRegularizationScore(true), true, workspaceMgr);
    }

    /** Input dropout, then W and z = x W + b (masked). */
    private SpectralMap.Forward forward(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        return SpectralMap.forward(layerConf(), input, params(training, workspaceMgr), training, forBackprop,
                maskArray == null ? null : this::applyMask, workspaceMgr, layerId(), sumVectors, keptWeights);
    }

    private SpectralParams params(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return SpectralParams.read(layerConf(), key -> getParamWithNoise(key, training, workspaceMgr), this::getParam);
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        return labels;
    }

    @Override
    public void applyConstraints(int iteration, int epoch) {
        SpectralMap.applyConstraints(this, layerConf(), layerConf().getConstraints(), iteration, epoch);
    }
}
