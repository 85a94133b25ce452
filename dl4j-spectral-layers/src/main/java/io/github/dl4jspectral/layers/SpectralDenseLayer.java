package io.github.dl4jspectral.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The runtime (native DL4J) layer of {@link io.github.dl4jspectral.conf.SpectralDenseLayer}: hand-written
 * forward and backward passes with ND4J operations, see {@link SpectralMap} for the formulas. The backward pass
 * of a training step reuses the pre-activation of the forward pass instead of recomputing it, see
 * {@link PreActivationHandoff} for when. Created by DL4J from the configuration; users work with the
 * configuration class.
 */
public class SpectralDenseLayer extends BaseLayer<io.github.dl4jspectral.conf.SpectralDenseLayer> {

    /** The vectors of ones for the eigenvalue gradients' sums. */
    private final SumVectors sumVectors = new SumVectors();

    /** The arrays W and D are built in, and the W of the last inference pass. */
    private final KeptWeights keptWeights = new KeptWeights();

    /** The pre-activation and weights of the last training forward pass, for the backward pass that follows it. */
    private final PreActivationHandoff<SpectralMap.Weights> preActivation = new PreActivationHandoff<>();

    public SpectralDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        SpectralMap.Forward forward = forward(training, false, workspaceMgr);
        if (training && forward.factored() == null) {
            preActivation.keep(forward.z(), forward.weights(), input, getIterationCount(), getEpochCount());
        } else {
            preActivation.drop();
        }
        return forward.z();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        PreActivationHandoff.Kept<SpectralMap.Weights> kept = preActivation.take(input, getIterationCount(),
                getEpochCount());
        SpectralMap.Forward forward = kept != null
                ? SpectralMap.withPreActivation(kept, params(true, workspaceMgr))
                : forward(true, true, workspaceMgr);
        INDArray delta = layerConf().getActivationFn().backprop(forward.z(), epsilon).getFirst();
        if (maskArray != null) {
            applyMask(delta);
        }
        Pair<Gradient, INDArray> result = SpectralMap.backprop(layerConf(), input, delta, forward,
                params(true, workspaceMgr), gradientViews, workspaceMgr, keptWeights);
        weightNoiseParams.clear();
        return new Pair<>(result.getFirst(), backpropDropOutIfPresent(result.getSecond()));
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
    public void applyConstraints(int iteration, int epoch) {
        preActivation.drop();
        SpectralMap.applyConstraints(this, layerConf(), layerConf().getConstraints(), iteration, epoch);
    }

    // Everything that may change the pre-activation drops the one kept for the backward pass.

    @Override
    public void setParam(String key, INDArray val) {
        preActivation.drop();
        super.setParam(key, val);
    }

    @Override
    public void setParams(INDArray params) {
        preActivation.drop();
        super.setParams(params);
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        preActivation.drop();
        super.setParamsViewArray(params);
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        preActivation.drop();
        super.setParamTable(paramTable);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        preActivation.drop();
        super.setInput(input, workspaceMgr);
    }

    @Override
    public void setMaskArray(INDArray maskArray) {
        preActivation.drop();
        super.setMaskArray(maskArray);
    }

    @Override
    public void clear() {
        preActivation.drop();
        super.clear();
    }

    @Override
    public void clearNoiseWeightParams() {
        preActivation.drop();
        super.clearNoiseWeightParams();
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
