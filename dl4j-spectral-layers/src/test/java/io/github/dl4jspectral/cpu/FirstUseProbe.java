package io.github.dl4jspectral.cpu;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run in a child JVM by {@link CpuSpeedTest}: loads ND4J, then builds, initializes and runs two networks of two
 * spectral layers each (four first-use checks), and prints the setting in effect as its last line.
 */
public final class FirstUseProbe {

    private FirstUseProbe() {
    }

    public static void main(String[] args) {
        Nd4j.create(2, 2);
        for (int i = 0; i < 2; i++) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(i).list()
                    .layer(new SpectralDenseLayer.Builder().nOut(3).build())
                    .layer(new SpectralOutputLayer.Builder().nOut(2).build())
                    .setInputType(InputType.feedForward(4)).build());
            net.init();
            net.output(Nd4j.rand(2, 4));
        }
        System.out.println("setting " + CpuSpeed.setting());
    }
}
