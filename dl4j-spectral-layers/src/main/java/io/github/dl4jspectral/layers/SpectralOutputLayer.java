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
 * output-layer behaviour (labels, loss, score, evaluation) on top of a {@link SpectralMap}. Its backward pass always
 * computes its forward pass again, so its map never hands anything over and no setter needs to invalidate it.
 * Created by DL4J from the configuration.
 */
public class SpectralOutputLayer extends BaseOutputLayer<io.github.dl4jspectral.conf.SpectralOutputLayer> {

    /** The forward and backward passes and what they hold between passes. */
    private final SpectralMap map = new SpectralMap();

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
        Pair<Gradient, INDArray> result = map.backward(layerConf(), input, delta, forward,
                params(true, workspaceMgr), gradientViews, workspaceMgr);
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
        return map.forward(layerConf(), input, params(training, workspaceMgr), training, forBackprop,
                maskArray == null ? null : this::applyMask, workspaceMgr, layerId());
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
