package io.github.dl4jspectral.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime (native DL4J) layer of {@link io.github.dl4jspectral.conf.SpectralDenseLayer}: hand-written
 * forward and backward passes with ND4J operations, see {@link SpectralMap} for the formulas.
 * Created by DL4J from the configuration; users work with the configuration class.
 */
public class SpectralDenseLayer extends BaseLayer<io.github.dl4jspectral.conf.SpectralDenseLayer> {

    /** Scratch for the factors of the eigenvalue differences, reused from pass to pass. */
    private final DifferenceFactors differenceFactors = new DifferenceFactors();

    public SpectralDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(training, false, workspaceMgr).z();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        SpectralMap.Forward forward = forward(true, true, workspaceMgr);
        INDArray delta = layerConf().getActivationFn().backprop(forward.z(), epsilon).getFirst();
        if (maskArray != null) {
            applyMask(delta);
        }
        Pair<Gradient, INDArray> result = SpectralMap.backprop(layerConf(), input, delta, forward,
                params(true, workspaceMgr), gradientViews, workspaceMgr);
        weightNoiseParams.clear();
        return new Pair<>(result.getFirst(), backpropDropOutIfPresent(result.getSecond()));
    }

    /** Input dropout, then W and z = x W + b (masked). */
    private SpectralMap.Forward forward(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(forBackprop);
        applyDropOutIfNecessary(training, workspaceMgr);
        return SpectralMap.forward(layerConf(), input, params(training, workspaceMgr), forBackprop,
                maskArray == null ? null : this::applyMask, workspaceMgr, layerId(), differenceFactors);
    }

    private SpectralParams params(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return SpectralParams.read(layerConf(), key -> getParamWithNoise(key, training, workspaceMgr), this::getParam);
    }

    @Override
    public void applyConstraints(int iteration, int epoch) {
        SpectralMap.applyConstraints(this, layerConf(), layerConf().getConstraints(), iteration, epoch);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }
}
