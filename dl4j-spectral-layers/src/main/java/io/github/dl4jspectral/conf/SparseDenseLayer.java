package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.blocks.SparseSupport;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * The conventional baseline for sparse spectral networks (docs/METHOD.md section 4): an ordinary direct-space
 * dense layer {@code y = activation(x W + b)} whose W has the fixed random support of
 * {@link SparseSupport} (the same support as a spectral layer with {@code sparse(density, seed)} of the
 * same shape). Only the surviving weights and the bias are trained: W is zero outside the support at
 * initialization and its gradient is masked, so it stays exactly zero there.
 *
 * <p>W is drawn by the layer's WeightInit, zeroed outside the support and divided by sqrt(density), as
 * the spectral SPARSE block's variance-matched initialization does. Parameters: {@code W} [nIn, nOut] and
 * {@code b} [1, nOut] (always with bias), as in DL4J's DenseLayer.
 */
public class SparseDenseLayer extends FeedForwardLayer {

    @JsonProperty("density")
    private double density = 1.0;
    @JsonProperty("seed")
    private long seed;
    /** The support, kept while this configuration lives (shared with identical layers, freed with the last). */
    @JsonIgnore
    private SparseSupport.Holder support = new SparseSupport.Holder();

    /** For JSON deserialization; use the {@link Builder}. */
    public SparseDenseLayer() {
    }

    private SparseDenseLayer(Builder builder) {
        super(builder);
        this.density = builder.density;
        this.seed = builder.seed;
        if (!(density > 0 && density <= 1)) {
            throw new DL4JInvalidConfigException(describe() + ": sparse density = " + density + "; expected 0 < density <= 1");
        }
        initializeConstraints(builder);
    }

    private String describe() {
        return getLayerName() == null ? "SparseDenseLayer (unnamed)" : "SparseDenseLayer \"" + getLayerName() + "\"";
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        LayerValidation.assertNInNOutSet("SparseDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        var layer = new io.github.dl4jspectral.layers.SparseDenseLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        if (initializeParams) {
            INDArray w = params.get(DefaultParamInitializer.WEIGHT_KEY);
            w.muli(support(w.dataType())).divi(Math.sqrt(density));
        }
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    /** The 0/1 support [nIn, nOut] (cached, read only). */
    public INDArray support(DataType type) {
        return support.get(getNIn(), getNOut(), density, seed, type);
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        return new LayerMemoryReport.Builder(getLayerName(), SparseDenseLayer.class, inputType, outputType)
                .standardMemory(numParams, getIUpdater().stateSize(numParams))
                .workingMemory(0, 0, getNIn() * getNOut(), outputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    public double getDensity() {
        return density;
    }

    public void setDensity(double density) {
        this.density = density;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseDenseLayer other && super.equals(o) && Double.compare(density, other.density) == 0
                && seed == other.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), density, seed);
    }

    /** Builds a {@link SparseDenseLayer}; {@link #sparse(double, long)} is required in spirit (default density 1). */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private double density = 1.0;
        private long seed;

        /** The fixed support: each weight kept with probability {@code density} in (0, 1], drawn from {@code seed}. */
        public Builder sparse(double density, long seed) {
            this.density = density;
            this.seed = seed;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SparseDenseLayer build() {
            return new SparseDenseLayer(this);
        }
    }
}
