/**
 * Keras H5 import: Keras 2 and Keras 3 model files into DL4J networks through DL4J's own {@code KerasModelImport}
 * ({@link io.github.dl4jspectral.keras.SpectralKerasImport}), after writing a normalized copy of the file that DL4J
 * reads, and the reference code's {@code Spectral} layer into the library's spectral layer
 * ({@link io.github.dl4jspectral.keras.KerasSpectral}).
 * <p>May use: {@code conf} (the spectral layer configuration), DL4J (deeplearning4j-modelimport
 * included), ND4J, bytedeco hdf5, SLF4J and the JDK.
 */
package io.github.dl4jspectral.keras;
