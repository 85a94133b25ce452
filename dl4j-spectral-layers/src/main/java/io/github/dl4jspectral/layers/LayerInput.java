package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The input check of every spectral runtime layer, native ({@link SpectralDenseLayer}, {@link SpectralOutputLayer})
 * and SameDiff ({@code samediff.SameDiffSpectralDenseRuntimeLayer}), so that the same mistake gets the same message
 * whichever implementation runs, before anything is computed.
 */
public final class LayerInput {

    private LayerInput() {
    }

    /**
     * Rejects an input that is not [minibatch, nIn].
     *
     * @param layerId DL4J's description of the runtime layer (name, index, type), appended to the message
     * @throws DL4JInvalidInputException naming the layer, the input's shape and the expected shape
     */
    public static void requireFeedForward(SpectralLayerConfig conf, INDArray input, String layerId) {
        if (input.rank() != 2 || input.size(1) != conf.getNIn()) {
            throw new DL4JInvalidInputException(conf.describe() + ": input has shape " + Arrays.toString(input.shape())
                    + "; expected [minibatch, nIn] = [minibatch, " + conf.getNIn() + "] " + layerId);
        }
    }
}
