package io.github.dl4jspectral.data;

import io.github.dl4jspectral.data.FashionMnist.Split;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * A DL4J {@link DataSetIterator} over Fashion-MNIST (or any {@link LabeledImages} of 10 classes):
 * features [batch, 784] FLOAT (pixel / 255 by default), one-hot labels [batch, 10].
 * <p>
 * With {@link Builder#shuffle(long)} every epoch visits the examples in a new order drawn from one
 * {@link Random} seeded once, so two iterators with the same seed give identical batches epoch after
 * epoch (identical data order for every model compared). {@link #reset()} starts the next epoch.
 *
 * <pre>{@code
 * DataSetIterator train = FashionMnistIterator.builder(Split.TRAIN).batchSize(128).shuffle(42).build();
 * }</pre>
 */
public final class FashionMnistIterator implements DataSetIterator {

    private final LabeledImages data;
    private final int batchSize;
    private final boolean scaled;
    private final Random shuffler;
    private final int[] order;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    private FashionMnistIterator(LabeledImages data, int batchSize, boolean scaled, Long seed) {
        this.data = data;
        this.batchSize = batchSize;
        this.scaled = scaled;
        this.shuffler = seed == null ? null : new Random(seed);
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        shuffle();
    }

    /** An iterator over one split of the data {@link FashionMnistLocator#defaults()} finds. */
    public static Builder builder(Split split) {
        return new Builder(split, null);
    }

    /** An iterator over data already loaded (for example a validation range of the training split). */
    public static Builder builder(LabeledImages data) {
        return new Builder(null, data);
    }

    /** The examples this iterator visits (after {@link Builder#examples}). */
    public LabeledImages data() {
        return data;
    }

    private void shuffle() {
        if (shuffler == null) {
            return;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = shuffler.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("FashionMnistIterator: epoch finished after " + data.size()
                    + " examples; call reset()");
        }
        int end = Math.min(cursor + num, order.length);
        int[] rows = java.util.Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        DataSet batch = data.toDataSet(rows, FashionMnist.CLASSES, scaled);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    /** Starts the next epoch (in a new order if shuffling). */
    @Override
    public void reset() {
        cursor = 0;
        shuffle();
    }

    @Override
    public int inputColumns() {
        return data.pixelsPerImage();
    }

    @Override
    public int totalOutcomes() {
        return FashionMnist.CLASSES;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return FashionMnist.CLASS_NAMES;
    }

    /** Options of a {@link FashionMnistIterator}; checked by {@link #build()}. */
    public static final class Builder {
        private final Split split;
        private final LabeledImages loaded;
        private FashionMnistLocator locator = FashionMnistLocator.defaults();
        private int batchSize = 128;
        private boolean scaled = true;
        private Long seed;
        private int examples = -1;

        private Builder(Split split, LabeledImages loaded) {
            this.split = split;
            this.loaded = loaded;
        }

        /** Where to find the files; default {@link FashionMnistLocator#defaults()}. */
        public Builder locator(FashionMnistLocator locator) {
            this.locator = locator;
            return this;
        }

        /** Examples per batch (the last batch of an epoch may be smaller); default 128. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Visit the examples in a new random order each epoch, drawn from this seed; default: file order. */
        public Builder shuffle(long seed) {
            this.seed = seed;
            return this;
        }

        /** Features pixel / 255 in [0, 1] (default) or the raw 0..255 values. */
        public Builder scaled(boolean scaled) {
            this.scaled = scaled;
            return this;
        }

        /** Use only the first {@code examples} examples (in file order); default all. */
        public Builder examples(int examples) {
            this.examples = examples;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field if batchSize or examples is out of range
         */
        public FashionMnistIterator build() {
            if (batchSize < 1) {
                throw new IllegalArgumentException("FashionMnistIterator batchSize " + batchSize + "; expected >= 1");
            }
            LabeledImages data = loaded != null ? loaded : locator.locate().load(split);
            if (examples != -1) {
                if (examples < 1 || examples > data.size()) {
                    throw new IllegalArgumentException("FashionMnistIterator examples " + examples + "; expected 1.."
                            + data.size() + " (the size of " + data.origin() + ")");
                }
                data = data.range(0, examples);
            }
            return new FashionMnistIterator(data, batchSize, scaled, seed);
        }
    }
}
