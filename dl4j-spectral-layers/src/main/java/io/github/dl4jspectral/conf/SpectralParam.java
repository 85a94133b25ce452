package io.github.dl4jspectral.conf;

import java.util.Arrays;
import java.util.Optional;

/**
 * The parameter groups of a spectral layer and their DL4J parameter keys.
 *
 * <p>For a map from {@code nIn} to {@code nOut} nodes the effective weight matrix is
 * {@code W[j][i] = phi[j][i] * (lambdaIn[j] - lambdaOut[i])} and the layer computes
 * {@code activation(x * W + b)}.
 *
 * <table>
 *   <caption>Parameter groups</caption>
 *   <tr><th>group</th><th>key</th><th>shape</th><th>meaning</th></tr>
 *   <tr><td>{@link #PHI}</td><td>{@code phi}</td><td>[nIn, nOut]</td><td>eigenvector block (DENSE and SPARSE blocks)</td></tr>
 *   <tr><td>{@link #PHI_U}</td><td>{@code phiU}</td><td>[nIn, r]</td><td>left factor of phi = U V^T (LOW_RANK block)</td></tr>
 *   <tr><td>{@link #PHI_V}</td><td>{@code phiV}</td><td>[nOut, r]</td><td>right factor of phi = U V^T (LOW_RANK block)</td></tr>
 *   <tr><td>{@link #PHI_A}</td><td>{@code phiA}</td><td>[nIn, k]</td><td>frozen left factor of phi = A diag(s) B^T (SVD block)</td></tr>
 *   <tr><td>{@link #PHI_S}</td><td>{@code phiS}</td><td>[1, k]</td><td>singular values s of phi = A diag(s) B^T (SVD block)</td></tr>
 *   <tr><td>{@link #PHI_B}</td><td>{@code phiB}</td><td>[nOut, k]</td><td>frozen right factor of phi = A diag(s) B^T (SVD block)</td></tr>
 *   <tr><td>{@link #PHI_Q}</td><td>{@code phiQ}</td><td>[k, nIn]</td><td>frozen orthonormal rows Q of phi^T = R Q (QR block)</td></tr>
 *   <tr><td>{@link #PHI_R}</td><td>{@code phiR}</td><td>[nOut, k]</td><td>R of phi^T = R Q (QR block)</td></tr>
 *   <tr><td>{@link #LAMBDA_IN}</td><td>{@code lambdaIn}</td><td>[1, nIn]</td><td>eigenvalues of the sending nodes</td></tr>
 *   <tr><td>{@link #LAMBDA_OUT}</td><td>{@code lambdaOut}</td><td>[1, nOut]</td><td>eigenvalues of the receiving nodes</td></tr>
 *   <tr><td>{@link #BIAS}</td><td>{@code b}</td><td>[1, nOut]</td><td>bias (absent when {@code hasBias(false)})</td></tr>
 * </table>
 *
 * The eigenvector-block groups (phi and the factors) are trained or frozen together, as "the eigenvector
 * block"; the {@linkplain #isFixedFactor() fixed factors} (phiA, phiB, phiQ) are never trained. Which groups a
 * layer has is decided by its block ({@link io.github.dl4jspectral.blocks.PhiBlock}).
 * Keys contain no '_' because DL4J's updater splits parameter names on it.
 */
public enum SpectralParam {
    PHI("phi", true, false),
    PHI_U("phiU", true, false),
    PHI_V("phiV", true, false),
    PHI_A("phiA", true, true),
    PHI_S("phiS", true, false),
    PHI_B("phiB", true, true),
    PHI_Q("phiQ", true, true),
    PHI_R("phiR", true, false),
    LAMBDA_IN("lambdaIn", false, false),
    LAMBDA_OUT("lambdaOut", false, false),
    BIAS("b", false, false);

    private final String key;
    private final boolean eigenvectorBlock;
    private final boolean fixedFactor;

    SpectralParam(String key, boolean eigenvectorBlock, boolean fixedFactor) {
        this.key = key;
        this.eigenvectorBlock = eigenvectorBlock;
        this.fixedFactor = fixedFactor;
    }

    /** Whether this group stores (part of) the eigenvector block: phi or one of its factors. */
    public boolean isEigenvectorBlock() {
        return eigenvectorBlock;
    }

    /** Whether this group is a factor of the eigenvector block that is never trained (phiA, phiB, phiQ). */
    public boolean isFixedFactor() {
        return fixedFactor;
    }

    /** The DL4J parameter key, e.g. {@code "lambdaIn"}. */
    public String key() {
        return key;
    }

    /** The group whose key is {@code key}, or empty for a key of no spectral group. */
    public static Optional<SpectralParam> forKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
    }
}
