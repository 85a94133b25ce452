/**
 * Compact model files: a network's configuration, its trained parameter groups and updater state, and for each frozen
 * random group of a spectral layer only the seed and generator that regenerate it, with a checksum the reader verifies
 * ({@link io.github.dl4jspectral.compact.CompactModelFile}). A file grows with the trained numbers (linear in the nodes
 * for the EIGENVALUES presets), not with the weights. A read gives exactly the network written or a
 * {@link io.github.dl4jspectral.compact.CompactModelException} naming the file and entry: every entry is checked
 * against a digest ({@code EntryDigest}, {@code Manifest}), read only through the central directory under a cap
 * ({@code CompactZip}), and every array header is checked before ND4J reads it ({@code ArrayEntry}).
 * <p>May use: {@code conf} (the layers' spectral settings), {@code params} (regenerating a layer's initial values),
 * {@code blocks} (the generator's id), {@code files} (atomic writes); DL4J, ND4J, the JDK. Used by the examples' CLI.
 */
package io.github.dl4jspectral.compact;
