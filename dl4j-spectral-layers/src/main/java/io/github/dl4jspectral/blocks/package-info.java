/**
 * Eigenvector blocks: how phi [nIn, nOut] is stored and multiplied. The sealed {@link
 * io.github.dl4jspectral.blocks.PhiBlock} has one immutable class per kind ({@link
 * io.github.dl4jspectral.blocks.DenseBlock}, {@link io.github.dl4jspectral.blocks.SparseBlock}, {@link
 * io.github.dl4jspectral.blocks.LowRankBlock}, {@link io.github.dl4jspectral.blocks.SvdBlock}, {@link
 * io.github.dl4jspectral.blocks.QrBlock}); each is the configuration value (its JSON form through {@link
 * io.github.dl4jspectral.blocks.BlockJson}) and owns its parameter groups, shapes, trained counts, initialization,
 * product with phi (whole or factored, native and SameDiff), slicing for pruning, phi itself and whether its values
 * regenerate from the seed. docs/adding-a-block.md says how to add one.
 * <p>May use: {@code conf} (the parameter keys, {@code SpectralParam}); DL4J (its configuration exception and weight
 * initializations), ND4J (with the Jackson it shades), SameDiff.
 */
package io.github.dl4jspectral.blocks;
