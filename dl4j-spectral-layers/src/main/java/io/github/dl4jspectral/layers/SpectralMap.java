package io.github.dl4jspectral.layers;

import io.github.dl4jspectral.blocks.FactoredBlock;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralSettings;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The spectral map of one native runtime layer ({@link SpectralDenseLayer}, {@link SpectralOutputLayer}): its forward
 * and backward passes, and what it holds between passes. Only backend-neutral ND4J operations (gemm, broadcast and
 * pairwise arithmetic, reductions) are used, so it runs on nd4j-native and nd4j-cuda.
 *
 * <p>Dense and sparse blocks (docs/METHOD.md sections 1, 2, 4): {@code W = phi .* D} with the eigenvalue differences
 * {@code D = lambdaIn^T - lambdaOut} (times the support for SPARSE), {@code z = x W + b}; backward with
 * {@code G = x^T delta}:
 * <pre>
 *   dL/dphi       = G .* D                             (times the support for SPARSE)
 *   dL/dlambdaIn  =  rowSums(G .* phi)
 *   dL/dlambdaOut = -columnSums(G .* phi)
 *   dL/db         =  columnSums(delta)
 *   dL/dx         =  delta W^T
 * </pre>
 * {@code D} is built column by column (lambdaIn copied into each contiguous column of the 'f' array, then a scalar per
 * column subtracted) and {@code W} is one pairwise product; the row and column sums are gemms with vectors of ones
 * ({@link SumVectors}); every product goes through {@code Nd4j.gemm} (docs/decisions.md says why). The backward pass
 * needs no further nIn x nOut arrays: W's memory takes {@code G .* phi} once dL/dx is computed, and D's memory takes G
 * when phi is frozen.
 *
 * <p>Factored blocks (LOW_RANK, SVD, QR: {@code phi = U V^T}) are computed through their factors by
 * {@link FactoredMap}; whole-phi blocks (DENSE, SPARSE) as above. Every gradient view is
 * overwritten on each call (DL4J does not zero them); frozen groups get zeros.
 *
 * <p>What the map holds between passes, all outside workspaces: the arrays W and D (and the mask) are built in
 * ({@link WeightCache}, which also lets an inference pass reuse the last inference pass's W while its sources are
 * unchanged), the vectors of ones ({@link SumVectors}), and the pre-activation and weights a training forward pass
 * hands to the backward pass after it ({@link PreActivationHandoff}). {@link #invalidate} forgets the handoff; a layer
 * that hands over ({@link #handOver}) calls it from every DL4J method that can change its parameters, gradient views,
 * input or mask ({@code RuntimeInvalidationTest} checks that list against DL4J's classes). Not thread-safe, like the
 * layer.
 */
final class SpectralMap {

    private final WeightCache weightCache = new WeightCache();
    private final SumVectors sums = new SumVectors();
    private final PreActivationHandoff<Weights> handoff = new PreActivationHandoff<>();

    /**
     * What the forward pass leaves for the backward pass: z, and W (whole-phi blocks) or the factored
     * intermediates.
     */
    record Forward(INDArray z, Weights weights, FactoredMap.State factored) {
    }

    /**
     * The effective weights {@code w = phi .* d} (times the magnitude mask, if the layer sparsifies) built from
     * {@code phi} and the eigenvalue differences {@code d = lambdaIn^T - lambdaOut}, all [nIn, nOut] 'f', and the
     * 0/1 magnitude mask and its threshold (or {@code null} and NaN).
     */
    record Weights(INDArray w, INDArray d, INDArray phi, INDArray mask, double threshold) {

        /** These weights with {@code newPhi} as the phi they were built from (same values, e.g. re-read). */
        Weights withPhi(INDArray newPhi) {
            return new Weights(w, d, newPhi, mask, threshold);
        }
    }

    /**
     * The forward pass of one call: checks the input, computes z = x W + b, and masks z. W is built into the map's
     * {@link WeightCache}, or, in an inference pass, reused from the last inference pass if its sources are unchanged.
     *
     * @param input        the layer input after dropout, [batch, nIn]
     * @param training     whether this is a training pass (an inference pass may reuse W)
     * @param forBackprop  whether this pass is part of a backward pass (its intermediates go to backprop working memory)
     * @param mask         applies the layer's mask in place, or {@code null} without mask
     * @param layerId      DL4J's layer id, appended to error messages
     */
    Forward forward(SpectralLayerConfig conf, INDArray input, SpectralParams p, boolean training, boolean forBackprop,
                    Consumer<INDArray> mask, LayerWorkspaceMgr mgr, String layerId) {
        LayerInput.requireFeedForward(conf, input, layerId);
        ArrayType working = forBackprop ? ArrayType.BP_WORKING_MEM : ArrayType.FF_WORKING_MEM;
        INDArray x = input.castTo(p.lambdaIn().dataType());
        double sparsity = conf.getSpectral().getMagnitudeSparsity();
        Forward forward;
        if (p.block() instanceof FactoredBlock factored && sparsity == 0) {
            INDArray[] uv = factored.factors(p.plain());
            FactoredMap.State state = FactoredMap.forward(x, uv[0], uv[1], p.lambdaIn(), p.lambdaOut(), mgr, working);
            forward = new Forward(state.z(), null, state);
        } else {
            Weights weights = training ? build(p, sparsity) : forInference(p, sparsity);
            INDArray w = weights.w();
            INDArray z = mgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(), x.size(0), w.size(1));
            Nd4j.gemm(x, w, z, false, false, 1.0, 0.0);
            forward = new Forward(z, weights, null);
        }
        if (p.bias() != null) {
            forward.z().addiRowVector(p.bias());
        }
        if (mask != null) {
            mask.accept(forward.z());
        }
        return forward;
    }

    /**
     * Hands the pre-activation and weights of a training forward pass to the backward pass that follows it
     * ({@link PreActivationHandoff}: same input, iteration and epoch only); a pass through a factored block's factors
     * hands nothing over (its backward pass needs intermediates the forward pass does not hold), and forgets what an
     * earlier pass handed over.
     *
     * @param input the layer input after dropout the pass computed {@code forward} from
     */
    void handOver(Forward forward, INDArray input, int iteration, int epoch) {
        if (forward.factored() == null) {
            handoff.handOver(forward.z(), forward.weights(), input, iteration, epoch);
        } else {
            handoff.drop();
        }
    }

    /**
     * What the backward pass needs, if the training forward pass handed over its pre-activation and weights for this
     * input, iteration and epoch: no product {@code x W} and no W built again; else {@code null}. Either way nothing is
     * handed over afterwards. phi is taken from {@code params} (read again for this pass, with the same weight noise)
     * when the block stores it whole; {@code params} is called only when something was handed over.
     */
    Forward takeHandover(INDArray input, int iteration, int epoch, Supplier<SpectralParams> params) {
        PreActivationHandoff.Handover<Weights> handover = handoff.takeHandover(input, iteration, epoch);
        if (handover == null) {
            return null;
        }
        SpectralParams p = params.get();
        Weights weights = handover.payload();
        return new Forward(handover.z(), p.phi() == null ? weights : weights.withPhi(p.phi()), null);
    }

    /** Forgets what a forward pass handed over; the next backward pass computes its forward pass again. */
    void invalidate() {
        handoff.drop();
    }

    /**
     * W for an inference pass: the one the last inference pass built if every array it was built from is unchanged,
     * else built now (and held for the next inference pass).
     */
    private Weights forInference(SpectralParams p, double sparsity) {
        List<INDArray> sources = sources(p);
        Weights reused = weightCache.reusableForInference(sources);
        if (reused != null) {
            return reused;
        }
        Weights built = build(p, sparsity);
        weightCache.builtForInference(built, sources);
        return built;
    }

    /** The arrays W is computed from: phi (or the block's factors), lambdaIn and lambdaOut. */
    private static List<INDArray> sources(SpectralParams p) {
        List<INDArray> sources = new ArrayList<>();
        if (p.phi() != null) {
            sources.add(p.phi());
        } else {
            p.block().groups().forEach(group -> sources.add(p.plain().apply(group.key())));
        }
        sources.add(p.lambdaIn());
        sources.add(p.lambdaOut());
        return sources;
    }

    /**
     * W, D (and the mask) built into the map's {@link WeightCache}; a factored block's phi is formed there first as
     * U V^T (a factored block builds W only when the layer sparsifies its weights by magnitude).
     */
    private Weights build(SpectralParams p, double sparsity) {
        long nIn = p.lambdaIn().length(), nOut = p.lambdaOut().length();
        WeightCache.Buffers buffers = weightCache.buffers(p.lambdaIn().dataType(), nIn, nOut, sparsity > 0,
                p.phi() == null);
        SpectralParams withPhi = p;
        if (p.phi() == null) {
            INDArray[] uv = ((FactoredBlock) p.block()).factors(p.plain());
            withPhi = p.withPhi(Nd4j.gemm(uv[0], uv[1], buffers.phi(), false, true, 1.0, 0.0));
        }
        return weights(withPhi, buffers, sparsity, Double.NaN);
    }

    /**
     * The effective weights {@code W = phi .* (lambdaIn^T - lambdaOut)} (.* support) and the eigenvalue
     * differences, [nIn, nOut] 'f', as arrays of type {@code type}; with {@code sparsity} > 0 the smallest |W| are
     * zeroed by {@link MagnitudeSparsity}.
     *
     * @param p         parameters with phi at hand
     * @param buffers   the arrays to write W, D and the mask into
     * @param threshold the magnitude threshold if an earlier pass computed it from the same parameters, else NaN
     */
    static Weights weights(SpectralParams p, WeightCache.Buffers buffers, double sparsity, double threshold) {
        long nIn = p.phi().size(0), nOut = p.phi().size(1);
        DataType dataType = p.phi().dataType();
        // D = lambdaIn^T - lambdaOut column by column (a column of an 'f' array is contiguous): lambdaIn copied into
        // every column, then each column's lambdaOut subtracted (a scalar per column).
        INDArray d = buffers.d();
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(d, p.lambdaIn().castTo(dataType).reshape(nIn), d, 0));
        ScalarSubtraction minusLambdaOut = new ScalarSubtraction(d, p.lambdaOut().castTo(dataType).reshape(nOut), d, 0);
        minusLambdaOut.setDimension(0);
        Nd4j.getExecutioner().exec(minusLambdaOut);
        INDArray w = buffers.w();
        Nd4j.getExecutioner().exec(new MulOp(p.phi(), d, w));
        if (p.support() != null) {
            // phi is zero outside the support, but weight noise may have touched it in this pass.
            w.muli(p.support());
        }
        INDArray mask = null;
        double used = Double.NaN;
        if (sparsity > 0) {
            mask = buffers.mask();
            used = MagnitudeSparsity.mask(w, sparsity, threshold, mask);
            w.muli(mask);
        }
        return new Weights(w, d, p.phi(), mask, used);
    }

    /**
     * Fills every gradient view of the layer and returns the gradient (the views themselves) and dL/dx.
     *
     * @param input   the layer input (after dropout), [batch, nIn]
     * @param delta   {@code dL/dz}, [batch, nOut]
     * @param forward the forward pass of this input and these parameters; the memory of its W and D is reused
     */
    Pair<Gradient, INDArray> backward(SpectralLayerConfig conf, INDArray input, INDArray delta, Forward forward,
                                      SpectralParams p, Map<String, INDArray> gradientViews, LayerWorkspaceMgr mgr) {
        SpectralSettings s = conf.getSpectral();
        if (forward.weights() != null) {
            weightCache.overwritten();
        }
        INDArray x = input.castTo(delta.dataType());
        INDArray epsilon = forward.factored() != null
                ? FactoredMap.backprop(s, (FactoredBlock) p.block(), x, delta, p, forward.factored(), gradientViews, mgr)
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

    /**
     * Passes that built W (whole-phi blocks, and any block with magnitude sparsity): the gradients of phi and the
     * eigenvalues, and dL/dx = delta W^T. dL/dW = G = x^T delta is masked like W; a factored block receives
     * dL/dphi and maps it onto its groups ({@link FactoredBlock#phiGradients}).
     */
    private INDArray denseBackprop(SpectralSettings s, INDArray x, INDArray delta, Weights weights,
                                          SpectralParams p, Map<String, INDArray> gradientViews, LayerWorkspaceMgr mgr) {
        INDArray w = weights.w();
        long nIn = w.size(0), nOut = w.size(1);
        // dL/dx = (W delta^T)^T, computed first: W's memory is reused below.
        INDArray epsilon = Nd4j.gemm(w, delta, mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[]{nIn, delta.size(0)}, 'f'), false, true, 1.0, 0.0).transpose();
        boolean eigenvalues = s.isTrainLambdaIn() || s.isTrainLambdaOut();
        if (!eigenvalues && !s.isTrainPhi()) {
            return epsilon;
        }
        // G = x^T delta, written straight into phi's gradient view when phi is trained (a whole phi), into working
        // memory for a factored block's dL/dphi, else into D's memory (D is needed after this point only for dL/dphi).
        INDArray phiView = gradientViews.get(SpectralParam.PHI.key());
        INDArray g = !s.isTrainPhi() ? weights.d() : phiView != null ? phiView
                : mgr.createUninitialized(ArrayType.BP_WORKING_MEM, w.dataType(), new long[]{nIn, nOut}, 'f');
        Nd4j.gemm(x, delta, g, true, false, 1.0, 0.0);
        if (weights.mask() != null) {
            g.muli(weights.mask());
        }
        if (eigenvalues) {
            INDArray gPhi = w;  // W is no longer needed
            Nd4j.getExecutioner().exec(new MulOp(g, weights.phi(), gPhi));
            if (p.support() != null) {
                gPhi.muli(p.support());
            }
            SumVectors ones = sums.forSize(w.dataType(), nIn, nOut);
            if (s.isTrainLambdaIn()) {
                // rowSums(G .* phi) = ones [1, nOut] x (G .* phi)^T, straight into the [1, nIn] view
                Nd4j.gemm(ones.onesRow(), gPhi, gradientViews.get(SpectralParam.LAMBDA_IN.key()),
                        false, true, 1.0, 0.0);
            }
            if (s.isTrainLambdaOut()) {
                // -columnSums(G .* phi) = (-ones [nIn, 1])^T x (G .* phi), straight into the [1, nOut] view
                Nd4j.gemm(ones.minusOnesColumn(), gPhi, gradientViews.get(SpectralParam.LAMBDA_OUT.key()),
                        true, false, 1.0, 0.0);
            }
        }
        if (s.isTrainPhi()) {
            g.muli(weights.d());
            if (p.support() != null) {
                g.muli(p.support());
            }
            if (phiView == null) {
                ((FactoredBlock) p.block()).phiGradients(g, p.plain(), gradientViews);
            }
        }
        return epsilon;
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
