package io.github.dl4jspectral.data;

/** Where {@link FashionMnistLocator} found the data, in the order it looks. */
public enum DataOrigin {
    /** The directory the user named. */
    USER_DIRECTORY,
    /** /usr/share/datasets/fashion-mnist, from the Debian package {@code dataset-fashion-mnist}. */
    SYSTEM_DIRECTORY,
    /** DL4J's resources directory (~/.deeplearning4j/data/fashion-mnist), where downloads are kept. */
    DL4J_RESOURCES,
    /** Downloaded just now (and kept in the DL4J resources directory). */
    DOWNLOAD,
    /** The 10,000 + 2,000 example subset inside the dl4j-spectral-experiments jar. */
    BUNDLED_SUBSET
}
