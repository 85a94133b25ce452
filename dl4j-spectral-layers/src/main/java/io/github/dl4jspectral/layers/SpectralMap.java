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
 * <p>Forward (SPEC section 1): {@code W = phi .* (lambdaIn^T - lambdaOut)}, {@code z = x W + b}.
 * Backward (SPEC section 2), with {@code G = x^T delta}:
 * <pre>
 *   dL/dphi       = G .* (lambdaIn^T - lambdaOut)
 *   dL/dlambdaIn  =  rowSums(G .* phi)
 *   dL/dlambdaOut = -columnSums(G .* phi)
 *   dL/db         =  columnSums(delta)
 *   dL/dx         =  delta W^T
 * </pre>
 * Every gradient view is overwritten on each call (DL4J does not zero them); frozen groups get zeros.
 */
final class SpectralMap {

    private SpectralMap() {
    }

    /**
     * The forward pass of one call: checks the input, builds W and z = x W + b, and masks z.
     *
     * @param input        the layer input after dropout, [batch, nIn]
     * @param forBackprop  whether W is kept for the backward pass (backprop working memory)
     * @param mask         applies the layer's mask in place, or {@code null} without mask
     * @param layerId      DL4J's layer id, appended to error messages
     */
    static Forward forward(SpectralLayerConfig conf, INDArray input, SpectralParams p, boolean forBackprop,
                           Consumer<INDArray> mask, LayerWorkspaceMgr mgr, String layerId) {
        checkInput(conf, input, layerId);
        INDArray w = weights(p, mgr, forBackprop ? ArrayType.BP_WORKING_MEM : ArrayType.FF_WORKING_MEM);
        INDArray z = preOutput(input, w, p.bias(), mgr);
        if (mask != null) {
            mask.accept(z);
        }
        return new Forward(w, z);
    }

    /** The effective weights W [nIn, nOut] and the pre-activation z [batch, nOut] of one forward pass. */
    record Forward(INDArray weights, INDArray z) {
    }

    /** Rejects an input that is not [batch, nIn], before anything is computed. */
    private static void checkInput(SpectralLayerConfig conf, INDArray input, String layerId) {
        if (input.rank() != 2 || input.size(1) != conf.getNIn()) {
            throw new DL4JInvalidInputException(conf.describe() + ": input has shape " + Arrays.toString(input.shape())
                    + "; expected [minibatch, nIn] = [minibatch, " + conf.getNIn() + "] " + layerId);
        }
    }

    /** The effective weights {@code W = phi .* (lambdaIn^T - lambdaOut)}, [nIn, nOut], in working memory of {@code type}. */
    private static INDArray weights(SpectralParams p, LayerWorkspaceMgr mgr, ArrayType type) {
        long[] shape = p.phi().shape();
        INDArray w = mgr.createUninitialized(type, p.phi().dataType(), shape, 'f');
        INDArray scaledOut = mgr.createUninitialized(type, p.phi().dataType(), shape, 'f');
        Nd4j.getExecutioner().exec(new BroadcastMulOp(p.phi(), p.lambdaIn().reshape(shape[0]), w, 0));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(p.phi(), p.lambdaOut().reshape(shape[1]), scaledOut, 1));
        return w.subi(scaledOut);
    }

    /** The pre-activation {@code z = x W + b}, [batch, nOut], as an activations array. */
    private static INDArray preOutput(INDArray input, INDArray w, INDArray bias, LayerWorkspaceMgr mgr) {
        INDArray z = mgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(), input.size(0), w.size(1));
        input.castTo(w.dataType()).mmuli(w, z);
        if (bias != null) {
            z.addiRowVector(bias);
        }
        return z;
    }

    /**
     * Fills every gradient view of the layer and returns the gradient (the views themselves) and
     * {@code dL/dx = delta W^T}.
     *
     * @param input the layer input (after dropout), [batch, nIn]
     * @param delta {@code dL/dz}, [batch, nOut]
     * @param w     the effective weights used in the forward pass
     */
    static Pair<Gradient, INDArray> backprop(SpectralLayerConfig conf, INDArray input, INDArray delta, INDArray w,
                                             SpectralParams p, Map<String, INDArray> gradientViews,
                                             LayerWorkspaceMgr mgr) {
        SpectralSettings s = conf.getSpectral();
        INDArray phiGrad = gradientViews.get(SpectralParam.PHI.key());
        INDArray lambdaInGrad = gradientViews.get(SpectralParam.LAMBDA_IN.key());
        INDArray lambdaOutGrad = gradientViews.get(SpectralParam.LAMBDA_OUT.key());
        boolean eigenvalues = s.isTrainLambdaIn() || s.isTrainLambdaOut();

        if (eigenvalues || s.isTrainPhi()) {
            // G = x^T delta, written straight into phi's gradient view when phi is trained.
            INDArray g = s.isTrainPhi() ? phiGrad
                    : mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), w.shape(), 'f');
            Nd4j.gemm(input.castTo(g.dataType()), delta, g, true, false, 1.0, 0.0);
            if (eigenvalues) {
                INDArray gPhi = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), w.shape(), 'f');
                Nd4j.getExecutioner().exec(new MulOp(g, p.phi(), gPhi));
                if (s.isTrainLambdaIn()) {
                    gPhi.sum(lambdaInGrad, 1);
                }
                if (s.isTrainLambdaOut()) {
                    gPhi.sum(lambdaOutGrad, 0).negi();
                }
            }
            if (s.isTrainPhi()) {
                // dL/dphi = G .* lambdaIn^T - G .* lambdaOut, in place in the view.
                INDArray gOut = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), w.shape(), 'f');
                Nd4j.getExecutioner().exec(new BroadcastMulOp(g, p.lambdaOut().reshape(w.size(1)), gOut, 1));
                Nd4j.getExecutioner().exec(new BroadcastMulOp(g, p.lambdaIn().reshape(w.size(0)), g, 0));
                g.subi(gOut);
            }
        }
        zeroIfFrozen(s, SpectralParam.PHI, phiGrad);
        zeroIfFrozen(s, SpectralParam.LAMBDA_IN, lambdaInGrad);
        zeroIfFrozen(s, SpectralParam.LAMBDA_OUT, lambdaOutGrad);

        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(SpectralParam.PHI.key(), phiGrad);
        gradient.gradientForVariable().put(SpectralParam.LAMBDA_IN.key(), lambdaInGrad);
        gradient.gradientForVariable().put(SpectralParam.LAMBDA_OUT.key(), lambdaOutGrad);
        if (conf.hasBias()) {
            INDArray biasGrad = gradientViews.get(SpectralParam.BIAS.key());
            if (s.isTrainBias()) {
                delta.sum(biasGrad, 0);
            } else {
                biasGrad.assign(0);
            }
            gradient.gradientForVariable().put(SpectralParam.BIAS.key(), biasGrad);
        }

        INDArray epsilon = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[]{w.size(0), delta.size(0)}, 'f');
        epsilon = w.mmuli(delta.transpose(), epsilon).transpose();
        return new Pair<>(gradient, epsilon);
    }

    private static void zeroIfFrozen(SpectralSettings s, SpectralParam group, INDArray view) {
        if (!s.trains(group)) {
            view.assign(0);
        }
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
        conf.getSpectral().trainableGroups().forEach(g -> trained.add(g.key()));
        for (LayerConstraint constraint : constraints) {
            LayerConstraint restricted = constraint.clone();
            Set<String> keys = new HashSet<>(constraint.getParams());
            keys.retainAll(trained);
            restricted.setParams(keys);
            restricted.applyConstraint(layer, iteration, epoch);
        }
    }
}
