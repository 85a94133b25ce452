package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralSettings;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * A spectral map whose eigenvector block is {@code phi = U V^T} (rank r), computed through the factors
 * so that no nIn x nOut matrix is ever built (SPEC section 3). With {@code x_l = x .* lambdaIn},
 * {@code P = x_l U}, {@code Q = x U} (both [batch, r]) and {@code T = Q V^T} ([batch, nOut]):
 * <pre>
 *   z             = P V^T - T .* lambdaOut + b
 *   dL/dV         = delta^T P - (delta .* lambdaOut)^T Q
 *   dL/dU         = x_l^T (delta V) - x^T ((delta .* lambdaOut) V)
 *   dL/dlambdaIn  = columnSums(x .* ((delta V) U^T))
 *   dL/dlambdaOut = -columnSums(delta .* T)
 *   dL/dx         = ((delta V) U^T) .* lambdaIn - ((delta .* lambdaOut) V) U^T
 * </pre>
 * Every product is a gemm with inner or outer size r, so forward and backward cost O(batch r (nIn + nOut)).
 */
final class LowRankMap {

    private LowRankMap() {
    }

    /** The forward pass's pre-activation z (without bias) and the intermediates the backward pass needs. */
    record State(INDArray z, INDArray xLambda, INDArray p, INDArray q, INDArray t) {
    }

    static State forward(INDArray x, SpectralParams params, LayerWorkspaceMgr mgr, ArrayType working) {
        INDArray u = params.phiU();
        INDArray v = params.phiV();
        long batch = x.size(0), nIn = u.size(0), nOut = v.size(0), rank = u.size(1);
        INDArray xLambda = mgr.createUninitialized(working, x.dataType(), new long[]{batch, nIn}, 'f');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(x, params.lambdaIn().reshape(nIn), xLambda, 1));
        INDArray p = Nd4j.gemm(xLambda, u, mgr.createUninitialized(working, x.dataType(), new long[]{batch, rank}, 'f'),
                false, false, 1.0, 0.0);
        INDArray q = Nd4j.gemm(x, u, mgr.createUninitialized(working, x.dataType(), new long[]{batch, rank}, 'f'),
                false, false, 1.0, 0.0);
        INDArray t = Nd4j.gemm(q, v, mgr.createUninitialized(working, x.dataType(), new long[]{batch, nOut}, 'f'),
                false, true, 1.0, 0.0);
        INDArray z = Nd4j.gemm(p, v, mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), new long[]{batch, nOut}, 'f'),
                false, true, 1.0, 0.0);
        INDArray tLambda = mgr.createUninitialized(working, x.dataType(), new long[]{batch, nOut}, 'f');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(t, params.lambdaOut().reshape(nOut), tLambda, 1));
        z.subi(tLambda);
        return new State(z, xLambda, p, q, t);
    }

    /** Fills the gradient views of the trained phiU, phiV, lambdaIn, lambdaOut and returns dL/dx. */
    static INDArray backprop(SpectralSettings s, INDArray x, INDArray delta, SpectralParams params, State state,
                             Map<String, INDArray> gradientViews, LayerWorkspaceMgr mgr) {
        INDArray u = params.phiU();
        INDArray v = params.phiV();
        long batch = x.size(0), nIn = u.size(0), nOut = v.size(0), rank = u.size(1);
        ArrayType working = ArrayType.BP_WORKING_MEM;
        INDArray deltaV = Nd4j.gemm(delta, v, mgr.createUninitialized(working, x.dataType(), new long[]{batch, rank}, 'f'),
                false, false, 1.0, 0.0);
        INDArray deltaLambda = mgr.createUninitialized(working, x.dataType(), new long[]{batch, nOut}, 'f');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(delta, params.lambdaOut().reshape(nOut), deltaLambda, 1));
        INDArray deltaLambdaV = Nd4j.gemm(deltaLambda, v,
                mgr.createUninitialized(working, x.dataType(), new long[]{batch, rank}, 'f'), false, false, 1.0, 0.0);

        if (s.isTrainPhi()) {
            INDArray dV = gradientViews.get(SpectralParam.PHI_V.key());
            Nd4j.gemm(delta, state.p(), dV, true, false, 1.0, 0.0);
            Nd4j.gemm(deltaLambda, state.q(), dV, true, false, -1.0, 1.0);
            INDArray dU = gradientViews.get(SpectralParam.PHI_U.key());
            Nd4j.gemm(state.xLambda(), deltaV, dU, true, false, 1.0, 0.0);
            Nd4j.gemm(x, deltaLambdaV, dU, true, false, -1.0, 1.0);
        }
        // dL/dx_l = (delta V) U^T
        INDArray dxLambda = Nd4j.gemm(deltaV, u, mgr.createUninitialized(working, x.dataType(), new long[]{batch, nIn}, 'f'),
                false, true, 1.0, 0.0);
        if (s.isTrainLambdaIn()) {
            INDArray product = mgr.createUninitialized(working, x.dataType(), new long[]{batch, nIn}, 'f');
            Nd4j.getExecutioner().exec(new MulOp(x, dxLambda, product));
            product.sum(gradientViews.get(SpectralParam.LAMBDA_IN.key()), 0);
        }
        if (s.isTrainLambdaOut()) {
            INDArray product = mgr.createUninitialized(working, x.dataType(), new long[]{batch, nOut}, 'f');
            Nd4j.getExecutioner().exec(new MulOp(delta, state.t(), product));
            product.sum(gradientViews.get(SpectralParam.LAMBDA_OUT.key()), 0).negi();
        }
        INDArray epsilon = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(), new long[]{batch, nIn}, 'f');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dxLambda, params.lambdaIn().reshape(nIn), epsilon, 1));
        return Nd4j.gemm(deltaLambdaV, u, epsilon, false, true, -1.0, 1.0);
    }
}
