package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.layers.EffectiveWeights;
import io.github.dl4jspectral.layers.LayerInput;
import io.github.dl4jspectral.layers.MagnitudeSparsity;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

/**
 * The runtime of {@link SameDiffSpectralDenseLayer}: DL4J's SameDiff layer with three M2.1 defects
 * repaired. Gradients (of the parameters and of the input) are scaled by {@link #GRADIENT_CORRECTION};
 * frozen groups get a zero gradient; {@code setParam} writes the value. The input is checked before the graph
 * runs, with the native layer's message for a wrong width or rank.
 */
public class SameDiffSpectralDenseRuntimeLayer extends SameDiffLayer {

    /**
     * DL4J 1.0.0-M2.1 returns every gradient of a SameDiffLayer exactly twice the true value (its
     * GradientCheckUtil then reports a relative error of 1/3); multiplying by 0.5 restores it. The test
     * {@code SameDiffLayerTest} compares against the native layer and fails if an upstream fix makes
     * this correction wrong.
     */
    public static final double GRADIENT_CORRECTION = 0.5;

    public SameDiffSpectralDenseRuntimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        checkInput();
        setMagnitudeThreshold();
        return super.activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        checkInput();
        setMagnitudeThreshold();
        Pair<Gradient, INDArray> raw = uncorrectedBackpropGradient(epsilon, workspaceMgr);
        SpectralLayerConfig conf = (SpectralLayerConfig) layerConf();
        for (Map.Entry<String, INDArray> e : raw.getFirst().gradientForVariable().entrySet()) {
            boolean trained = conf.getSpectral().trains(e.getKey());
            if (trained) {
                e.getValue().muli(GRADIENT_CORRECTION);
            } else {
                e.getValue().assign(0);
            }
        }
        return new Pair<>(raw.getFirst(), raw.getSecond().muli(GRADIENT_CORRECTION));
    }

    /**
     * DL4J's own backward pass without the correction, for diagnosis: its gradients are
     * {@code 1 / GRADIENT_CORRECTION} times the true ones while the M2.1 defect lasts. Writes the
     * gradient views like {@link #backpropGradient}.
     */
    public Pair<Gradient, INDArray> uncorrectedBackpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
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

    /**
     * With magnitude sparsity: sets the graph's threshold constant to the m-th smallest |W| of the current
     * parameters ({@link MagnitudeSparsity}, the native layer's own rule and code), before every pass.
     */
    private void setMagnitudeThreshold() {
        SpectralLayerConfig conf = (SpectralLayerConfig) layerConf();
        double fraction = conf.getSpectral().getMagnitudeSparsity();
        if (fraction == 0) {
            return;
        }
        if (sameDiff == null) {
            doInit();
        }
        double threshold = MagnitudeSparsity.threshold(EffectiveWeights.beforeSparsification(conf, paramTable()), fraction);
        sameDiff.getVariable(SpectralGraph.MAGNITUDE_THRESHOLD).getArr().assign(threshold);
    }

    /** Writes {@code val} into the parameter (DL4J M2.1's SameDiffLayer only checks the shape). */
    @Override
    public void setParam(String key, INDArray val) {
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
}
