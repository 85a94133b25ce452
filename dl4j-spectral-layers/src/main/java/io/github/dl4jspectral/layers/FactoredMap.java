package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.blocks.FactoredBlock;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralSettings;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

/**
 * A spectral map whose eigenvector block is {@code phi = U V^T} (width r: a {@link FactoredBlock}, low rank, S-SVD or QR, which gives
 * U and V and maps their gradients onto its own groups), computed through the factors so that no nIn x nOut
 * matrix is ever built (docs/METHOD.md section 2.3):
 * <pre>
 *   x W = [ (x .* lambdaIn) U , x U ] [ V^T ; -(V .* lambdaOut)^T ] = (x A) B^T
 *   A = [ lambdaIn^T .* U , U ]   [nIn, 2r]        B = [ V , -(lambdaOut^T .* V) ]   [nOut, 2r]
 * </pre>
 * With {@code H = x A} [batch, 2r] (its halves P = x_l U and Q = x U) and {@code R = delta B} [batch, 2r]
 * (halves delta V and -(delta .* lambdaOut) V), every gradient comes from small products:
 * <pre>
 *   M = delta^T H  [nOut, 2r]:  dL/dV = M_1 - lambdaOut^T .* M_2,   dL/dlambdaOut = -rowSums(V .* M_2)
 *   N = x^T R      [nIn, 2r]:   dL/dU = lambdaIn^T .* N_1 + N_2,    dL/dlambdaIn  =  rowSums(U .* N_1)
 *   dL/dx = R A^T
 * </pre>
 * The only [batch, nOut] and [batch, nIn] arrays are z and dL/dx themselves; every product is a gemm with
 * one side of size 2r, so forward and backward cost O(batch r (nIn + nOut)).
 */
final class FactoredMap {

    private FactoredMap() {
    }

    /** The pre-activation z (without bias) and what the backward pass reuses: the factors U and V, A, B and H = x A. */
    record State(INDArray z, INDArray u, INDArray v, INDArray a, INDArray b, INDArray h) {
    }

    /**
     * @param u U [nIn, r]
     * @param v V [nOut, r]
     */
    static State forward(INDArray x, INDArray u, INDArray v, INDArray lambdaIn, INDArray lambdaOut,
                         LayerWorkspaceMgr mgr, ArrayType working) {
        long nIn = u.size(0), nOut = v.size(0), rank = u.size(1);
        INDArray a = mgr.createUninitialized(working, x.dataType(), new long[]{nIn, 2 * rank}, 'f');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(u, lambdaIn.reshape(nIn), left(a, rank), 0));
        right(a, rank).assign(u);
        INDArray b = mgr.createUninitialized(working, x.dataType(), new long[]{nOut, 2 * rank}, 'f');
        left(b, rank).assign(v);
        Nd4j.getExecutioner().exec(new BroadcastMulOp(v, lambdaOut.reshape(nOut), right(b, rank), 0));
        right(b, rank).negi();
        INDArray h = Nd4j.gemm(x, a, mgr.createUninitialized(working, x.dataType(), new long[]{x.size(0), 2 * rank}, 'f'),
                false, false, 1.0, 0.0);
        INDArray z = Nd4j.gemm(h, b, mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(),
                new long[]{x.size(0), nOut}, 'f'), false, true, 1.0, 0.0);
        return new State(z, u, v, a, b, h);
    }

    /**
     * Fills the gradient views of the trained eigenvalues, hands dL/dU and dL/dV to the block when it trains,
     * and returns dL/dx.
     */
    static INDArray backprop(SpectralSettings s, FactoredBlock block, INDArray x, INDArray delta, SpectralParams params,
                             State state, Map<String, INDArray> gradientViews, LayerWorkspaceMgr mgr) {
        INDArray u = state.u();
        INDArray v = state.v();
        INDArray lambdaIn = params.lambdaIn();
        INDArray lambdaOut = params.lambdaOut();
        long batch = x.size(0), nIn = u.size(0), nOut = v.size(0), rank = u.size(1);
        ArrayType working = ArrayType.BP_WORKING_MEM;
        INDArray r = Nd4j.gemm(delta, state.b(), mgr.createUninitialized(working, x.dataType(), new long[]{batch, 2 * rank}, 'f'),
                false, false, 1.0, 0.0);
        INDArray dU = null;
        INDArray dV = null;
        if (s.isTrainPhi() || s.isTrainLambdaOut()) {
            INDArray m = Nd4j.gemm(delta, state.h(), mgr.createUninitialized(working, x.dataType(),
                    new long[]{nOut, 2 * rank}, 'f'), true, false, 1.0, 0.0);
            if (s.isTrainPhi()) {
                dV = mgr.createUninitialized(working, x.dataType(), new long[]{nOut, rank}, 'f');
                Nd4j.getExecutioner().exec(new BroadcastMulOp(right(m, rank), lambdaOut.reshape(nOut), dV, 0));
                dV.rsubi(left(m, rank));
            }
            if (s.isTrainLambdaOut()) {
                INDArray product = mgr.createUninitialized(working, x.dataType(), new long[]{nOut, rank}, 'f');
                Nd4j.getExecutioner().exec(new MulOp(v, right(m, rank), product));
                product.sum(gradientViews.get(SpectralParam.LAMBDA_OUT.key()), 1).negi();
            }
        }
        if (s.isTrainPhi() || s.isTrainLambdaIn()) {
            INDArray n = Nd4j.gemm(x, r, mgr.createUninitialized(working, x.dataType(), new long[]{nIn, 2 * rank}, 'f'),
                    true, false, 1.0, 0.0);
            if (s.isTrainPhi()) {
                dU = mgr.createUninitialized(working, x.dataType(), new long[]{nIn, rank}, 'f');
                Nd4j.getExecutioner().exec(new BroadcastMulOp(left(n, rank), lambdaIn.reshape(nIn), dU, 0));
                dU.addi(right(n, rank));
            }
            if (s.isTrainLambdaIn()) {
                INDArray product = mgr.createUninitialized(working, x.dataType(), new long[]{nIn, rank}, 'f');
                Nd4j.getExecutioner().exec(new MulOp(u, left(n, rank), product));
                product.sum(gradientViews.get(SpectralParam.LAMBDA_IN.key()), 1);
            }
        }
        if (s.isTrainPhi()) {
            block.factorGradients(dU, dV, params.plain(), gradientViews);
        }
        return Nd4j.gemm(r, state.a(), mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(),
                new long[]{batch, nIn}, 'f'), false, true, 1.0, 0.0);
    }

    /** Columns 0..r-1 of a [n, 2r] array (a contiguous view in 'f' order). */
    private static INDArray left(INDArray pair, long rank) {
        return pair.get(NDArrayIndex.all(), NDArrayIndex.interval(0, rank));
    }

    /** Columns r..2r-1 of a [n, 2r] array. */
    private static INDArray right(INDArray pair, long rank) {
        return pair.get(NDArrayIndex.all(), NDArrayIndex.interval(rank, 2 * rank));
    }
}
