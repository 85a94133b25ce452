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
 * forward and backward passes with ND4J operations, see {@link SpectralMap} for the formulas and what the layer holds
 * between passes. The backward pass of a training step takes the pre-activation the forward pass handed over instead
 * of recomputing it, see {@link PreActivationHandoff} for when; every DL4J method that can change the parameters,
 * gradient views, input, mask or configuration is overridden to invalidate that handover first. Created by DL4J from
 * the configuration; users work with the configuration class.
 */
public class SpectralDenseLayer extends BaseLayer<io.github.dl4jspectral.conf.SpectralDenseLayer> {

    /** The forward and backward passes and what they hold between passes. */
    private final SpectralMap map = new SpectralMap();

    public SpectralDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        SpectralMap.Forward forward = forward(training, false, workspaceMgr);
        if (training) {
            map.handOver(forward, input, getIterationCount(), getEpochCount());
        } else {
            map.invalidate();
        }
        return forward.z();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        SpectralMap.Forward handedOver = map.takeHandover(input, getIterationCount(), getEpochCount(),
                () -> params(true, workspaceMgr));
        SpectralMap.Forward forward = handedOver != null ? handedOver : forward(true, true, workspaceMgr);
        INDArray delta = layerConf().getActivationFn().backprop(forward.z(), epsilon).getFirst();
        if (maskArray != null) {
            applyMask(delta);
        }
        Pair<Gradient, INDArray> result = map.backward(layerConf(), input, delta, forward,
                params(true, workspaceMgr), gradientViews, workspaceMgr);
        weightNoiseParams.clear();
        return new Pair<>(result.getFirst(), backpropDropOutIfPresent(result.getSecond()));
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
    public void applyConstraints(int iteration, int epoch) {
        map.invalidate();
        SpectralMap.applyConstraints(this, layerConf(), layerConf().getConstraints(), iteration, epoch);
    }

    // Every DL4J method that can change the parameters, gradient views, input, mask or configuration invalidates the
    // handover first (RuntimeInvalidationTest lists DL4J's setters and checks each is here).

    @Override
    public void setParam(String key, INDArray val) {
        map.invalidate();
        super.setParam(key, val);
    }

    @Override
    public void setParams(INDArray params) {
        map.invalidate();
        super.setParams(params);
    }

    @Override
    protected void setParams(INDArray params, char order) {
        map.invalidate();
        super.setParams(params, order);
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        map.invalidate();
        super.setParamsViewArray(params);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray gradients) {
        map.invalidate();
        super.setBackpropGradientsViewArray(gradients);
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        map.invalidate();
        super.setParamTable(paramTable);
    }

    @Override
    public void update(Gradient gradient) {
        map.invalidate();
        super.update(gradient);
    }

    @Override
    public void update(INDArray gradient, String paramType) {
        map.invalidate();
        super.update(gradient, paramType);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        map.invalidate();
        super.setInput(input, workspaceMgr);
    }

    @Override
    public void setDropoutApplied(boolean dropoutApplied) {
        map.invalidate();
        super.setDropoutApplied(dropoutApplied);
    }

    @Override
    public void setMaskArray(INDArray maskArray) {
        map.invalidate();
        super.setMaskArray(maskArray);
    }

    @Override
    public void setConf(NeuralNetConfiguration conf) {
        map.invalidate();
        super.setConf(conf);
    }

    @Override
    public void setDataType(DataType dataType) {
        map.invalidate();
        super.setDataType(dataType);
    }

    @Override
    public void clear() {
        map.invalidate();
        super.clear();
    }

    @Override
    public void clearNoiseWeightParams() {
        map.invalidate();
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
