package io.github.dl4jspectral.conf;

/**
 * Named choices of which parameter groups of a spectral layer are trained (docs/METHOD.md section 1).
 *
 * <table>
 *   <caption>Presets; trainable parameters of a 784 x 500 map with bias</caption>
 *   <tr><th>preset</th><th>trainable</th><th>frozen</th><th>trainable count</th></tr>
 *   <tr><td>{@link #EIGENVALUES_OUT}</td><td>lambdaOut, b</td><td>phi (random), lambdaIn = 0</td><td>nOut + nOut</td></tr>
 *   <tr><td>{@link #EIGENVALUES} (default)</td><td>lambdaIn, lambdaOut, b</td><td>phi (random)</td><td>nIn + 2 nOut</td></tr>
 *   <tr><td>{@link #FULL}</td><td>lambdaIn, lambdaOut, phi, b</td><td>none</td><td>nIn nOut + nIn + 2 nOut</td></tr>
 *   <tr><td>{@link #EIGENVECTORS}</td><td>phi, b</td><td>lambdaIn, lambdaOut</td><td>nIn nOut + nOut</td></tr>
 * </table>
 *
 * With {@link #EIGENVALUES_OUT} the effective weights are {@code W = -phi .* lambdaOut}: every
 * link entering node {@code i} is scaled by the one trainable number {@code lambdaOut[i]}.
 */
public enum SpectralPreset {
    /** Train lambdaOut and the bias; lambdaIn is pinned at 0 and phi is frozen (Nat. Commun. 2021). */
    EIGENVALUES_OUT(false, true, false),
    /** Train both sets of eigenvalues and the bias; phi is frozen (Phys. Rev. E 2021). The default. */
    EIGENVALUES(true, true, false),
    /** Train everything: eigenvalues, eigenvector block and bias. */
    FULL(true, true, true),
    /** Train the eigenvector block and the bias; eigenvalues are frozen (ablation). */
    EIGENVECTORS(false, false, true);

    private final boolean lambdaIn;
    private final boolean lambdaOut;
    private final boolean phi;

    SpectralPreset(boolean lambdaIn, boolean lambdaOut, boolean phi) {
        this.lambdaIn = lambdaIn;
        this.lambdaOut = lambdaOut;
        this.phi = phi;
    }

    /** Whether this preset trains {@code group}. The bias is trained by every preset; fixed factors by none. */
    public boolean trains(SpectralParam group) {
        if (group.isEigenvectorBlock()) {
            return phi && !group.isFixedFactor();
        }
        return switch (group) {
            case LAMBDA_IN -> lambdaIn;
            case LAMBDA_OUT -> lambdaOut;
            default -> true;
        };
    }

    /** Whether this preset fixes lambdaIn at exactly 0 (only {@link #EIGENVALUES_OUT}). */
    public boolean pinsLambdaInToZero() {
        return this == EIGENVALUES_OUT;
    }
}
