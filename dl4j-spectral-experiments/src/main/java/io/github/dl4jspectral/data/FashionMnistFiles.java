package io.github.dl4jspectral.data;

import io.github.dl4jspectral.data.FashionMnist.Split;

import java.util.Map;

/**
 * The four Fashion-MNIST files {@link FashionMnistLocator} found, and where.
 *
 * @param origin   which source they came from
 * @param location the directory or classpath folder, for messages
 * @param images   images file of each split
 * @param labels   labels file of each split
 */
public record FashionMnistFiles(DataOrigin origin, String location, Map<Split, IdxSource> images,
                                Map<Split, IdxSource> labels) {

    public FashionMnistFiles {
        images = Map.copyOf(images);
        labels = Map.copyOf(labels);
    }

    /**
     * Reads one split.
     *
     * @throws IdxFormatException naming the file if it is corrupt, its images are not 28x28, or images and
     *                            labels disagree
     */
    public LabeledImages load(Split split) {
        IdxSource imageFile = images.get(split);
        LabeledImages data = IdxReader.read(imageFile, labels.get(split), FashionMnist.CLASSES);
        if (data.rows() != FashionMnist.ROWS || data.columns() != FashionMnist.COLUMNS) {
            throw new IdxFormatException(imageFile.name() + ": images of " + data.rows() + "x" + data.columns()
                    + "; expected " + FashionMnist.ROWS + "x" + FashionMnist.COLUMNS + " for Fashion-MNIST");
        }
        return data;
    }
}
