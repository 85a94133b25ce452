package io.github.dl4jspectral.data;

import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 28x28 grey-scale images of clothing in 10 classes,
 * 60,000 for training and 10,000 for testing, in the IDX files Zalando publishes. Find the files with
 * {@link FashionMnistLocator}, iterate over them with {@link FashionMnistIterator}.
 */
public final class FashionMnist {

    public static final int CLASSES = 10;
    public static final int ROWS = 28;
    public static final int COLUMNS = 28;
    /** Features per example: ROWS x COLUMNS. */
    public static final int PIXELS = ROWS * COLUMNS;
    /** Class names, index = label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The training or the test part, with its file names and its size in the full dataset. */
    public enum Split {
        TRAIN("train-images-idx3-ubyte", "train-labels-idx1-ubyte", 60_000),
        TEST("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 10_000);

        private final String images;
        private final String labels;
        private final int fullSize;

        Split(String images, String labels, int fullSize) {
            this.images = images;
            this.labels = labels;
            this.fullSize = fullSize;
        }

        /** Images file name without the ".gz" suffix. */
        public String imagesFile() {
            return images;
        }

        /** Labels file name without the ".gz" suffix. */
        public String labelsFile() {
            return labels;
        }

        /** Number of examples in the full dataset. */
        public int fullSize() {
            return fullSize;
        }
    }

    private FashionMnist() {
    }
}
