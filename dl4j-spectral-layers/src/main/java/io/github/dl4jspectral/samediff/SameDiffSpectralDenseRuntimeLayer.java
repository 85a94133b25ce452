package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.layers.LayerInput;
import io.github.dl4jspectral.layers.PreActivationHandoff;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;

/**
 * The runtime of {@link SameDiffSpectralDenseLayer}: the spectral map as two SameDiff graphs ({@link SameDiffMap}),
 * where DL4J's {@link SameDiffLayer} would run one graph. With a mask [minibatch, 1], y is multiplied by it (as in
 * DL4J's SameDiffLayer), outside the graphs. Only trained groups' gradients are requested; frozen groups get zero
 * gradients. A training forward pass hands x W to the backward pass after it ({@link PreActivationHandoff}); every
 * DL4J method that can change the parameters, gradient views, input or configuration is overridden to invalidate
 * that handover first. The input is checked before a graph runs, with the native layer's message for a wrong width
 * or rank; {@code setParam} writes the value (DL4J M2.1's does nothing).
 */
public class SameDiffSpectralDenseRuntimeLayer extends SameDiffLayer {

    /**
     * In ND4J 1.0.0-M2.1 a SameDiff gradient function fed external errors ({@code SameDiffUtils.externalErrors},
     * which DL4J's SameDiffLayer uses too) adds them to themselves, so every gradient comes back exactly twice the
     * true value (DL4J's GradientCheckUtil then reports a relative error of 1/3). The layer multiplies the errors it
     * feeds each graph by this factor. The test {@code SameDiffLayerTest} checks the factor on DL4J's own path
     * ({@link #uncorrectedBackpropGradient}) against the native layer and fails if an upstream fix makes it wrong.
     */
    public static final double GRADIENT_CORRECTION = 0.5;

    /** The two graphs, their passes, and what they hold between passes. */
    private final SameDiffMap map = new SameDiffMap(this);

    public SameDiffSpectralDenseRuntimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        checkInput();
        INDArray y = map.forward(training, workspaceMgr);
        if (maskArray != null) {
            y = y.mulColumnVector(maskArray.castTo(y.dataType()));
        }
        // As DL4J's SameDiffLayer: an output that is a placeholder's array (identity activation) is not in the
        // activations workspace yet.
        if (workspaceMgr.isScopedOut(ArrayType.ACTIVATIONS)) {
            return y.isAttached() ? y.detach() : y;
        }
        return y.isAttached() && y.data().getParentWorkspace().getId()
                .equals(workspaceMgr.getWorkspaceName(ArrayType.ACTIVATIONS)) ? y : workspaceMgr.dup(ArrayType.ACTIVATIONS, y);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        checkInput();
        SameDiffMap.Gradients computed = map.backward(epsilon, maskArray, GRADIENT_CORRECTION, workspaceMgr);
        Gradient gradient = new DefaultGradient();
        for (String key : paramTable.keySet()) {
            INDArray view = gradTable.get(key);
            INDArray value = computed.byKey().get(key);
            if (value == null) {
                view.assign(0);
            } else {
                view.assign(value);
            }
            gradient.gradientForVariable().put(key, view);
        }
        return new Pair<>(gradient, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, computed.epsilon()));
    }

    /**
     * DL4J's own SameDiffLayer backward pass (one graph from {@link SameDiffSpectralDenseLayer#defineLayer}, the
     * forward pass recomputed), without correction, for diagnosis: its gradients are {@code 1 / GRADIENT_CORRECTION}
     * times the true ones while the M2.1 defect lasts. Writes the gradient views like {@link #backpropGradient}.
     */
    public Pair<Gradient, INDArray> uncorrectedBackpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        checkInput();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
            if (!sameDiff.hasGradientFunction()) {   // as DL4J's backpropGradient would, without SameDiff's lines
                QuietGradientFunction.create(sameDiff, INPUT_KEY);
            }
        }
        double fraction = ((SpectralLayerConfig) layerConf()).getSpectral().getMagnitudeSparsity();
        if (fraction > 0) {
            sameDiff.getVariable(SpectralGraph.MAGNITUDE_THRESHOLD).getArr()
                    .assign(SameDiffMap.currentThreshold((SpectralLayerConfig) layerConf(), paramTable(), fraction));
        }
        return super.backpropGradient(epsilon, workspaceMgr);
    }

    /**
     * Rejects an input that is not [minibatch, nIn] with the native layer's message ({@link LayerInput}), before the
     * graph runs: otherwise a wrong width fails inside ND4J's matmul (with C++ error lines on stderr) and a rank-1
     * input in DL4J's mask handling, neither naming the layer or the expected shape.
     */
    private void checkInput() {
        assertInputSet(false);
        LayerInput.requireFeedForward((SpectralLayerConfig) layerConf(), input, layerId());
    }

    /** Writes {@code val} into the parameter (DL4J M2.1's SameDiffLayer only checks the shape). */
    @Override
    public void setParam(String key, INDArray val) {
        map.invalidate();
        INDArray current = paramTable().get(key);
        if (current == null) {
            throw new IllegalArgumentException(((SpectralLayerConfig) layerConf()).describe() + ": unknown parameter \""
                    + key + "\"; expected one of " + paramTable().keySet());
        }
        if (!Arrays.equals(current.shape(), val.shape())) {
            throw new IllegalArgumentException(((SpectralLayerConfig) layerConf()).describe() + ": parameter \"" + key
                    + "\" has shape " + Arrays.toString(val.shape()) + "; expected " + Arrays.toString(current.shape()));
        }
        current.assign(val);
    }

    // Every DL4J method that can change the parameters, gradient views, input or configuration invalidates the
    // handover first (RuntimeInvalidationTest lists DL4J's setters and checks each is here). The mask is applied after
    // the graphs and does not change x W.

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
    public void applyConstraints(int iteration, int epoch) {
        map.invalidate();
        super.applyConstraints(iteration, epoch);
    }
}
