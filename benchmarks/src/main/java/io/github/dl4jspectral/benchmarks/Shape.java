package io.github.dl4jspectral.benchmarks;

/**
 * The size of a benchmarked network: nIn - hidden tanh - nOut softmax, fed batches of {@code batch} examples.
 *
 * @param nIn    input width
 * @param hidden width of the one hidden layer
 * @param nOut   number of classes
 * @param batch  minibatch size
 */
public record Shape(int nIn, int hidden, int nOut, int batch) {

    /** 784 - 500 - 10, batch 128 (MNIST-sized). */
    public static final Shape MNIST = new Shape(784, 500, 10, 128);
    /** 2048 - 2048 - 10, batch 256 (a wide layer, where the gemms dominate). */
    public static final Shape WIDE = new Shape(2048, 2048, 10, 256);

    /** For tables and CSV files, e.g. {@code 784-500-10 b128}. */
    public String label() {
        return nIn + "-" + hidden + "-" + nOut + " b" + batch;
    }

    /**
     * Floating-point operations of the three gemms per layer that a fit step of the DenseLayer network needs
     * (forward {@code x W}, weight gradient {@code x^T delta}, input gradient {@code delta W^T}; 2 m n k each).
     */
    public double fitFlops() {
        return 3 * (2.0 * batch * nIn * hidden + 2.0 * batch * hidden * nOut);
    }

    /** Floating-point operations of the forward gemms of the DenseLayer network (one output call). */
    public double outputFlops() {
        return 2.0 * batch * nIn * hidden + 2.0 * batch * hidden * nOut;
    }
}
