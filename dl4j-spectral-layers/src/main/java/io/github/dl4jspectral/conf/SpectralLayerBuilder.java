package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.blocks.DenseBlock;
import io.github.dl4jspectral.blocks.LowRankBlock;
import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.blocks.QrBlock;
import io.github.dl4jspectral.blocks.SparseBlock;
import io.github.dl4jspectral.blocks.SvdBlock;

/**
 * The builder methods that {@link SpectralDenseLayer.Builder} and {@link SpectralOutputLayer.Builder}
 * share: preset, per-group trainability, initialization and the eigenvector block (with a shortcut per block kind).
 *
 * @param <T> the concrete builder type, returned for chaining
 */
public interface SpectralLayerBuilder<T extends SpectralLayerBuilder<T>> {

    /** The collected spectral settings; resolved and validated by {@code build()}. Not for direct use. */
    SpectralSettings.Builder spectralSettings();

    /** Which groups are trained: see {@link SpectralPreset}. Default {@link SpectralPreset#EIGENVALUES}. */
    default T preset(SpectralPreset preset) {
        spectralSettings().preset(preset);
        return self();
    }

    /** Train (true) or freeze (false) the eigenvalues of the sending nodes. */
    default T trainLambdaIn(boolean trainable) {
        spectralSettings().trainable(SpectralParam.LAMBDA_IN, trainable);
        return self();
    }

    /** Train (true) or freeze (false) the eigenvalues of the receiving nodes. */
    default T trainLambdaOut(boolean trainable) {
        spectralSettings().trainable(SpectralParam.LAMBDA_OUT, trainable);
        return self();
    }

    /** Train (true) or freeze (false) the eigenvector block phi. */
    default T trainPhi(boolean trainable) {
        spectralSettings().trainable(SpectralParam.PHI, trainable);
        return self();
    }

    /** Train (true) or freeze (false) the bias. */
    default T trainBias(boolean trainable) {
        spectralSettings().trainable(SpectralParam.BIAS, trainable);
        return self();
    }

    /** How phi and the eigenvalues are initialized; default {@link SpectralInit#varianceMatched()}. */
    default T spectralInit(SpectralInit init) {
        spectralSettings().init(init);
        return self();
    }

    /** Store phi as U V^T of rank r (keys phiU, phiV): see {@link LowRankBlock}. */
    default T lowRank(int r) {
        spectralSettings().block(new LowRankBlock(r));
        return self();
    }

    /** Give phi a fixed random support of this density, from this seed: see {@link SparseBlock}. */
    default T sparse(double density, long seed) {
        spectralSettings().block(new SparseBlock(density, seed));
        return self();
    }

    /** The Phys. Rev. E S-SVD block phi = A diag(s) B^T, s trained (keys phiA, phiS, phiB): see {@link SvdBlock}. */
    default T svd() {
        spectralSettings().block(new SvdBlock());
        return self();
    }

    /** The Phys. Rev. E QR block phi^T = R Q, R trained (keys phiQ, phiR): see {@link QrBlock}. */
    default T qr() {
        spectralSettings().block(new QrBlock());
        return self();
    }

    /**
     * Keep only the largest-magnitude effective weights: at every forward pass (training and inference) the
     * {@code round(fractionOfZeros * nIn * nOut)} smallest |W| of {@code W = phi .* (lambdaIn^T - lambdaOut)} are
     * set to zero and pass no gradient (Phys. Rev. E 2021's sparse networks); the threshold follows the current
     * parameters, so a zeroed entry can come back. See {@link io.github.dl4jspectral.layers.MagnitudeSparsity}.
     */
    default T magnitudeSparsity(double fractionOfZeros) {
        spectralSettings().magnitudeSparsity(fractionOfZeros);
        return self();
    }

    /**
     * The seed of the layer's initial values, drawn in plain Java so that they are the same on every backend and
     * machine (a compact model file regenerates frozen groups from it). Default: chosen from the network's seed and
     * the layer's index when the network is initialized, and recorded in the configuration.
     */
    default T initSeed(long seed) {
        spectralSettings().initSeed(seed);
        return self();
    }

    /** How phi is stored and multiplied, any block kind; default {@link DenseBlock}. */
    default T eigenvectorBlock(PhiBlock block) {
        spectralSettings().block(block);
        return self();
    }

    /** @deprecated use {@link #eigenvectorBlock(PhiBlock)} */
    @Deprecated
    default T eigenvectorBlock(EigenvectorBlock block) {
        return eigenvectorBlock(block.block());
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }
}
