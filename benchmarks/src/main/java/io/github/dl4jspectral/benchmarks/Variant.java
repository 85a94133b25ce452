package io.github.dl4jspectral.benchmarks;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The networks compared by the benchmarks: nIn - hidden tanh - nOut softmax, Adam. Spectral variants
 * use a native SpectralOutputLayer; the SAMEDIFF ones differ from their SPECTRAL twin only in the hidden map.
 */
public enum Variant {
    /** DL4J's DenseLayer and OutputLayer: the baseline every ratio refers to. */
    DENSE,
    /** Both maps spectral, eigenvalues (and bias) trained, phi frozen. */
    SPECTRAL_EIGENVALUES,
    /** Both maps spectral, everything trained. */
    SPECTRAL_FULL,
    /** As SPECTRAL_EIGENVALUES, but the hidden map is the SameDiff implementation. */
    SAMEDIFF_EIGENVALUES,
    /** As SPECTRAL_FULL, but the hidden map is the SameDiff implementation. */
    SAMEDIFF_FULL,
    /** Hidden map spectral FULL with phi = U V^T of rank 8; DL4J OutputLayer. */
    LOW_RANK_8,
    /** Hidden map spectral FULL with phi = U V^T of rank 32; DL4J OutputLayer. */
    LOW_RANK_32,
    /** Hidden map spectral FULL with phi = U V^T of rank 128; DL4J OutputLayer. */
    LOW_RANK_128;

    /** The variant this one is compared with besides DENSE: the native twin of a SAMEDIFF variant, else DENSE. */
    public Variant twin() {
        return switch (this) {
            case SAMEDIFF_EIGENVALUES -> SPECTRAL_EIGENVALUES;
            case SAMEDIFF_FULL -> SPECTRAL_FULL;
            default -> DENSE;
        };
    }

    /** A freshly initialized network of this variant. */
    public MultiLayerNetwork network(int nIn, int hidden, int nOut) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1)
                .updater(new Adam(1e-3)).list();
        if (this == DENSE) {
            list.layer(new DenseLayer.Builder().nOut(hidden).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder().nOut(nOut).activation(Activation.SOFTMAX).build());
        } else if (name().startsWith("LOW_RANK_")) {
            int rank = Integer.parseInt(name().substring("LOW_RANK_".length()));
            list.layer(new SpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH)
                            .preset(SpectralPreset.FULL).lowRank(rank).build())
                    .layer(new OutputLayer.Builder().nOut(nOut).activation(Activation.SOFTMAX).build());
        } else {
            SpectralPreset preset = this == SPECTRAL_FULL || this == SAMEDIFF_FULL
                    ? SpectralPreset.FULL : SpectralPreset.EIGENVALUES;
            boolean sameDiff = this == SAMEDIFF_EIGENVALUES || this == SAMEDIFF_FULL;
            list.layer(sameDiff
                            ? new SameDiffSpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH).preset(preset).build()
                            : new SpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH).preset(preset).build())
                    .layer(new SpectralOutputLayer.Builder().nOut(nOut).activation(Activation.SOFTMAX).preset(preset).build());
        }
        MultiLayerConfiguration conf = list.setInputType(InputType.feedForward(nIn)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
