package io.github.dl4jspectral.spark;

import io.github.dl4jspectral.data.Iris;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.SplitTestAndTrain;

/** The distributed-training tests' common setting: Iris, a 4 - 16 - 3 network, two workers, Adam. */
final class IrisRuns {

    /** Seed of the data split, the networks' initialization and the RDDs' split. */
    static final long SEED = 42;
    /** Flowers in the training part (the other 45 are the test part). */
    static final int TRAIN_EXAMPLES = 105;
    static final int HIDDEN = 16;
    static final int WORKERS = 2;
    static final int BATCH_SIZE_PER_WORKER = 15;
    static final int AVERAGING_FREQUENCY = 2;
    static final int EPOCHS = 40;
    /** Adam's learning rate for eigenvalue-only training. */
    static final double LEARNING_RATE = 0.05;

    private IrisRuns() {
    }

    /** Iris in float, shuffled with {@code seed}, 105 training and 45 test flowers, standardized. */
    static SplitTestAndTrain split(long seed) {
        return Iris.standardizedSplit(DataType.FLOAT, seed, TRAIN_EXAMPLES);
    }

    /** Fraction of {@code data} classified correctly by {@code predictions}, a network's output for its features. */
    static double accuracy(INDArray predictions, DataSet data) {
        Evaluation evaluation = new Evaluation(Iris.CLASSES);
        evaluation.eval(data.getLabels(), predictions);
        return evaluation.accuracy();
    }
}
