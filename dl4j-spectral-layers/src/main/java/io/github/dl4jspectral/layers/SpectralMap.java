package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralSettings;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The forward and backward computation of one spectral map, shared by the runtime
 * {@link SpectralDenseLayer} and {@link SpectralOutputLayer}. Only backend-neutral ND4J operations
 * (gemm, broadcast and pairwise arithmetic, reductions) are used, so it runs on nd4j-native and nd4j-cuda.
 *
 * <p>Dense and sparse blocks (SPEC sections 1, 2, 4): {@code W = phi .* (lambdaIn^T - lambdaOut)}
 * (times the support for SPARSE), {@code z = x W + b}; backward with {@code G = x^T delta}:
 * <pre>
 *   dL/dphi       = G .* (lambdaIn^T - lambdaOut)      (times the support for SPARSE)
 *   dL/dlambdaIn  =  rowSums(G .* phi)
 *   dL/dlambdaOut = -columnSums(G .* phi)
 *   dL/db         =  columnSums(delta)
 *   dL/dx         =  delta W^T
 * </pre>
 * Low-rank blocks are computed through their factors by {@link LowRankMap}. Every gradient view is
 * overwritten on each call (DL4J does not zero them); frozen groups get zeros.
 */
final class SpectralMap {

    private SpectralMap() {
    }

    /**
     * What the forward pass leaves for the backward pass: z, and W (dense/sparse) or the low-rank
     * intermediates.
     */
    record Forward(INDArray z, INDArray weights, LowRankMap.State lowRank) {
    }

    /**
     * The forward pass of one call: checks the input, computes z = x W + b, and masks z.
     *
     * @param input        the layer input after dropout, [batch, nIn]
     * @param forBackprop  whether intermediates are kept for the backward pass (backprop working memory)
     * @param mask         applies the layer's mask in place, or {@code null} without mask
     * @param layerId      DL4J's layer id, appended to error messages
     */
    static Forward forward(SpectralLayerConfig conf, INDArray input, SpectralParams p, boolean forBackprop,
                           Consumer<INDArray> mask, LayerWorkspaceMgr mgr, String layerId) {
        checkInput(conf, input, layerId);
        ArrayType working = forBackprop ? ArrayType.BP_WORKING_MEM : ArrayType.FF_WORKING_MEM;
        INDArray x = input.castTo(p.lambdaIn().dataType());
        Forward forward;
        if (p.phiU() != null) {
            LowRankMap.State state = LowRankMap.forward(x, p, mgr, working);
            forward = new Forward(state.z(), null, state);
        } else {
            INDArray w = weights(p, mgr, working);
            INDArray z = mgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(), x.size(0), w.size(1));
            x.mmuli(w, z);
            forward = new Forward(z, w, null);
        }
        if (p.bias() != null) {
            forward.z().addiRowVector(p.bias());
        }
        if (mask != null) {
            mask.accept(forward.z());
        }
        return forward;
    }

    /** Rejects an input that is not [batch, nIn], before anything is computed. */
    private static void checkInput(SpectralLayerConfig conf, INDArray input, String layerId) {
        if (input.rank() != 2 || input.size(1) != conf.getNIn()) {
            throw new DL4JInvalidInputException(conf.describe() + ": input has shape " + Arrays.toString(input.shape())
                    + "; expected [minibatch, nIn] = [minibatch, " + conf.getNIn() + "] " + layerId);
        }
    }

    /** The effective weights {@code W = phi .* (lambdaIn^T - lambdaOut)} (.* support), [nIn, nOut]. */
    static INDArray weights(SpectralParams p, LayerWorkspaceMgr mgr, ArrayType type) {
        long[] shape = p.phi().shape();
        INDArray w = mgr.createUninitialized(type, p.phi().dataType(), shape, 'f');
        INDArray scaledOut = mgr.createUninitialized(type, p.phi().dataType(), shape, 'f');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(p.phi(), p.lambdaIn().reshape(shape[0]), w, 0));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(p.phi(), p.lambdaOut().reshape(shape[1]), scaledOut, 1));
        w.subi(scaledOut);
        if (p.support() != null) {
            // phi is zero outside the support, but weight noise may have touched it in this pass.
            w.muli(p.support());
        }
        return w;
    }

    /**
     * Fills every gradient view of the layer and returns the gradient (the views themselves) and dL/dx.
     *
     * @param input the layer input (after dropout), [batch, nIn]
     * @param delta {@code dL/dz}, [batch, nOut]
     */
    static Pair<Gradient, INDArray> backprop(SpectralLayerConfig conf, INDArray input, INDArray delta, Forward forward,
                                             SpectralParams p, Map<String, INDArray> gradientViews,
                                             LayerWorkspaceMgr mgr) {
        SpectralSettings s = conf.getSpectral();
        INDArray x = input.castTo(delta.dataType());
        INDArray epsilon = forward.lowRank() != null
                ? LowRankMap.backprop(s, x, delta, p, forward.lowRank(), gradientViews, mgr)
                : denseBackprop(s, x, delta, forward.weights(), p, gradientViews, mgr);

        Gradient gradient = new DefaultGradient();
        for (Map.Entry<String, INDArray> view : gradientViews.entrySet()) {
            SpectralParam group = SpectralParam.forKey(view.getKey()).orElseThrow();
            if (!s.trains(group)) {
                view.getValue().assign(0);
            } else if (group == SpectralParam.BIAS) {
                delta.sum(view.getValue(), 0);
            }
            gradient.gradientForVariable().put(view.getKey(), view.getValue());
        }
        return new Pair<>(gradient, epsilon);
    }

    /** Dense and sparse blocks: the gradients of phi and the eigenvalues, and dL/dx = delta W^T. */
    private static INDArray denseBackprop(SpectralSettings s, INDArray x, INDArray delta, INDArray w, SpectralParams p,
                                          Map<String, INDArray> gradientViews, LayerWorkspaceMgr mgr) {
        boolean eigenvalues = s.isTrainLambdaIn() || s.isTrainLambdaOut();
        if (eigenvalues || s.isTrainPhi()) {
            // G = x^T delta, written straight into phi's gradient view when phi is trained.
            INDArray phiGrad = gradientViews.get(SpectralParam.PHI.key());
            INDArray g = s.isTrainPhi() ? phiGrad
                    : mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), w.shape(), 'f');
            Nd4j.gemm(x, delta, g, true, false, 1.0, 0.0);
            if (eigenvalues) {
                INDArray gPhi = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), w.shape(), 'f');
                Nd4j.getExecutioner().exec(new MulOp(g, p.phi(), gPhi));
                if (p.support() != null) {
                    gPhi.muli(p.support());
                }
                if (s.isTrainLambdaIn()) {
                    gPhi.sum(gradientViews.get(SpectralParam.LAMBDA_IN.key()), 1);
                }
                if (s.isTrainLambdaOut()) {
                    gPhi.sum(gradientViews.get(SpectralParam.LAMBDA_OUT.key()), 0).negi();
                }
            }
            if (s.isTrainPhi()) {
                // dL/dphi = G .* lambdaIn^T - G .* lambdaOut, in place in the view.
                INDArray gOut = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), w.shape(), 'f');
                Nd4j.getExecutioner().exec(new BroadcastMulOp(g, p.lambdaOut().reshape(w.size(1)), gOut, 1));
                Nd4j.getExecutioner().exec(new BroadcastMulOp(g, p.lambdaIn().reshape(w.size(0)), g, 0));
                g.subi(gOut);
                if (p.support() != null) {
                    g.muli(p.support());
                }
            }
        }
        INDArray epsilon = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[]{w.size(0), delta.size(0)}, 'f');
        return w.mmuli(delta.transpose(), epsilon).transpose();
    }

    /**
     * Applies the layer's constraints to trained groups only: a frozen group must stay bit-identical,
     * so a constraint configured for "all weights" skips it.
     */
    static void applyConstraints(Layer layer, SpectralLayerConfig conf, List<LayerConstraint> constraints,
                                 int iteration, int epoch) {
        if (constraints == null) {
            return;
        }
        Set<String> trained = new HashSet<>();
        for (String key : layer.paramTable().keySet()) {
            if (conf.getSpectral().trains(key)) {
                trained.add(key);
            }
        }
        for (LayerConstraint constraint : constraints) {
            LayerConstraint restricted = constraint.clone();
            Set<String> keys = new HashSet<>(constraint.getParams());
            keys.retainAll(trained);
            restricted.setParams(keys);
            restricted.applyConstraint(layer, iteration, epoch);
        }
    }
}
