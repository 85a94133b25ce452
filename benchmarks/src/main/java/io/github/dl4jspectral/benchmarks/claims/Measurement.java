package io.github.dl4jspectral.benchmarks.claims;

/**
 * One measured point of one seed: a trained (and possibly pruned) network's test accuracy.
 *
 * @param experiment      {@code dense}, {@code sparse} or {@code pruning}
 * @param series          the line of the chart the point belongs to (e.g. "conventional")
 * @param model           the network, e.g. {@code eigenvalues} or {@code sparse-0.05}
 * @param x               the experiment's x value: trainable parameters, density, or percent of hidden nodes trimmed
 * @param seed            seed of initialization and data order
 * @param learningRate    Adam learning rate the network was trained with (the chosen one of the sweep)
 * @param accuracy        fraction of the test set classified correctly, 0..1
 * @param trainable       trainable parameters of the evaluated network (a count of numbers)
 * @param frozen          frozen parameters of the evaluated network
 * @param secondsPerEpoch mean wall-clock seconds per training epoch of this network (NaN if not trained here)
 * @param epochs          epochs the network (or its retraining) was trained; with early stopping or a target
 *                        accuracy the epochs it took; {@link #UNKNOWN_EPOCHS} in logs written before it was recorded
 * @param dataset         the data it was trained and scored on ({@code mnist} or {@code fashion}); {@link #UNKNOWN}
 *                        in logs written before it was recorded (those runs were all Fashion-MNIST)
 * @param width           hidden width of the network; {@link #UNKNOWN_WIDTH} in logs written before it was recorded
 * @param commit          the commit of the code that measured it ("+dirty" if the work tree had changes);
 *                        {@link #UNKNOWN} in logs written before it was recorded
 */
public record Measurement(String experiment, String series, String model, double x, long seed, double learningRate,
                          double accuracy, long trainable, long frozen, double secondsPerEpoch, int epochs,
                          String dataset, int width, String commit) {

    /** The epochs of a point logged before the count was recorded. */
    public static final int UNKNOWN_EPOCHS = -1;
    /** The width of a point logged before it was recorded. */
    public static final int UNKNOWN_WIDTH = -1;
    /** The dataset or commit of a point logged before it was recorded. */
    public static final String UNKNOWN = "";

    /** A point whose provenance is not yet stamped (see {@link #stamped}). */
    public Measurement(String experiment, String series, String model, double x, long seed, double learningRate,
                       double accuracy, long trainable, long frozen, double secondsPerEpoch, int epochs) {
        this(experiment, series, model, x, seed, learningRate, accuracy, trainable, frozen, secondsPerEpoch, epochs,
                UNKNOWN, UNKNOWN_WIDTH, UNKNOWN);
    }

    /** This point with its dataset, hidden width and the commit of the code that measured it. */
    public Measurement stamped(String dataset, int width, String commit) {
        return new Measurement(experiment, series, model, x, seed, learningRate, accuracy, trainable, frozen,
                secondsPerEpoch, epochs, dataset, width, commit);
    }
}
