package io.github.dl4jspectral.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of {@link io.github.dl4jspectral.conf.SparseDenseLayer}: DL4J's dense forward and backward
 * pass, with the weight gradient masked to the fixed support so that W stays exactly zero outside it.
 */
public class SparseDenseLayer extends BaseLayer<io.github.dl4jspectral.conf.SparseDenseLayer> {

    public SparseDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> result = super.backpropGradient(epsilon, workspaceMgr);
        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        weightGradient.muli(layerConf().support(weightGradient.dataType()));
        return result;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
