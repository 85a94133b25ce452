/**
 * Keras H5 import: Keras 2 and Keras 3 model files into DL4J networks through DL4J's own {@code KerasModelImport}
 * ({@link io.github.dl4jspectral.keras.SpectralKerasImport}), after writing a normalized copy of the file that DL4J
 * reads, and the reference code's {@code Spectral} layer into the library's spectral layer
 * ({@link io.github.dl4jspectral.keras.KerasSpectral}).
 * <p>May use: {@code io.github.dl4jspectral.conf} (the spectral layer configuration); DL4J (including
 * deeplearning4j-modelimport), ND4J, bytedeco hdf5, the JDK.
 */
package io.github.dl4jspectral.keras;
