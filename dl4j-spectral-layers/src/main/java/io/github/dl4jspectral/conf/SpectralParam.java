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
 *   <tr><td>{@link #LAMBDA_IN}</td><td>{@code lambdaIn}</td><td>[1, nIn]</td><td>eigenvalues of the sending nodes</td></tr>
 *   <tr><td>{@link #LAMBDA_OUT}</td><td>{@code lambdaOut}</td><td>[1, nOut]</td><td>eigenvalues of the receiving nodes</td></tr>
 *   <tr><td>{@link #BIAS}</td><td>{@code b}</td><td>[1, nOut]</td><td>bias (absent when {@code hasBias(false)})</td></tr>
 * </table>
 *
 * Keys contain no '_' because DL4J's updater splits parameter names on it.
 */
public enum SpectralParam {
    PHI("phi"),
    PHI_U("phiU"),
    PHI_V("phiV"),
    LAMBDA_IN("lambdaIn"),
    LAMBDA_OUT("lambdaOut"),
    BIAS("b");

    private final String key;

    SpectralParam(String key) {
        this.key = key;
    }

    /** Whether this group stores (part of) the eigenvector block: phi, phiU or phiV. */
    public boolean isEigenvectorBlock() {
        return this == PHI || this == PHI_U || this == PHI_V;
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
