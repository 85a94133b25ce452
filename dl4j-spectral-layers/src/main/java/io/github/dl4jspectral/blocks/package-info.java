/**
 * Eigenvector blocks: how phi [nIn, nOut] is stored and multiplied. One class per kind ({@link
 * io.github.dl4jspectral.blocks.DenseBlock}, {@link io.github.dl4jspectral.blocks.SparseBlock}, {@link
 * io.github.dl4jspectral.blocks.LowRankBlock}, {@link io.github.dl4jspectral.blocks.SvdBlock}, {@link
 * io.github.dl4jspectral.blocks.QrBlock}) owns its parameter groups, shapes, trained counts, initialization, product
 * with phi (whole or factored, native and SameDiff), slicing for pruning and phi itself; the configuration value
 * {@link io.github.dl4jspectral.conf.EigenvectorBlock} names the kind and gives its layout.
 * <p>May use: {@code conf} (settings and parameter keys); DL4J (its configuration exception and weight
 * initializations), ND4J, SameDiff.
 */
package io.github.dl4jspectral.blocks;
