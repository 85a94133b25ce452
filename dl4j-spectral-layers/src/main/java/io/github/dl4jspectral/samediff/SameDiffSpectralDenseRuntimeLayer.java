package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.layers.EffectiveWeights;
import io.github.dl4jspectral.layers.LayerInput;
import io.github.dl4jspectral.layers.MagnitudeSparsity;
import io.github.dl4jspectral.layers.PreActivationHandoff;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.util.SameDiffUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime of {@link SameDiffSpectralDenseLayer}: the spectral map as two SameDiff graphs, each differentiated
 * by SameDiff, where DL4J's {@link SameDiffLayer} would run one graph:
 * <pre>
 *   map graph:     x -> x W                      ({@link SpectralGraph#preActivation}: phi, lambdaIn, lambdaOut)
 *   output graph:  x W -> y = activation(x W + b)   ({@link SpectralGraph#output}: b)
 * </pre>
 * With a mask [minibatch, 1], y is multiplied by it (as in DL4J's SameDiffLayer), outside the graphs: in a graph
 * the broadcast product's gradient alone costs more than the rest of the output graph.
 *
 * <p>The backward pass chains the graphs: the output graph gives dL/d(x W) and dL/db from dL/dy, the map graph dL/dx
 * and the gradients of phi (or its factors) and the eigenvalues from dL/d(x W). That split is for speed: DL4J's
 * SameDiffLayer recomputes the whole forward pass in its backward pass, x W included (the activation's gradient
 * needs {@code x W + b}); here a training forward pass keeps x W ({@link PreActivationHandoff}, the native layer's
 * rule for when the copy may be used) and the map graph's gradient needs only x, W and dL/d(x W), so x W is
 * multiplied once per training step (W is rebuilt, cheap). Only trained groups' gradients are requested; frozen
 * groups get zero gradients. The input is checked before a graph runs, with the native layer's message for a
 * wrong width or rank; {@code setParam} writes the value (DL4J M2.1's does nothing).
 */
public class SameDiffSpectralDenseRuntimeLayer extends SameDiffLayer {

    /**
     * In ND4J 1.0.0-M2.1 a SameDiff gradient function fed external errors ({@code SameDiffUtils.externalErrors},
     * which DL4J's SameDiffLayer uses too) adds them to themselves, so every gradient comes back exactly twice the
     * true value (DL4J's GradientCheckUtil then reports a relative error of 1/3). The layer multiplies the errors it
     * feeds each graph by this factor. The test {@code SameDiffLayerTest} checks the factor on DL4J's own path
     * ({@link #uncorrectedBackpropGradient}) against the native layer and fails if an upstream fix makes it wrong.
     */
    public static final double GRADIENT_CORRECTION = 0.5;

    private static final String MAP_INPUT = INPUT_KEY;
    private static final String OUTPUT_INPUT = "xW";
    private static final String OUTPUT = "out";

    /** x -> x W, with the layer's groups other than the bias as variables on DL4J's parameter views. */
    private SameDiff mapGraph;
    /** x W -> activation(x W + b), with the bias as a variable on DL4J's parameter view. */
    private SameDiff outputGraph;
    /** Name of x W in the map graph. */
    private String mapOutput;
    /** Placeholders for dL/d(x W) and dL/dy in the gradient functions. */
    private String mapErrors;
    private String outputErrors;

    /** The map x W of the last training forward pass, for the backward pass that follows it. */
    private final PreActivationHandoff<Double> keptProduct = new PreActivationHandoff<>();

    public SameDiffSpectralDenseRuntimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        checkInput();
        buildGraphs();
        double threshold = setMagnitudeThreshold(Double.NaN);
        INDArray xW = run(mapGraph, Map.of(MAP_INPUT, input), mapOutput, workspaceMgr,
                ArrayType.FF_WORKING_MEM, ArrayType.FF_WORKING_MEM);
        if (training) {
            keptProduct.keep(xW, threshold, input, getIterationCount(), getEpochCount());
        } else {
            keptProduct.drop();
        }
        INDArray y = run(outputGraph, Map.of(OUTPUT_INPUT, xW), OUTPUT, workspaceMgr, ArrayType.FF_WORKING_MEM,
                ArrayType.ACTIVATIONS);
        if (maskArray != null) {
            y = y.mulColumnVector(maskArray.castTo(y.dataType()));
        }
        // As DL4J's SameDiffLayer: an output that is a placeholder's array (identity activation) is not in the
        // activations workspace yet.
        if (workspaceMgr.isScopedOut(ArrayType.ACTIVATIONS)) {
            return y.isAttached() ? y.detach() : y;
        }
        return y.isAttached() && y.data().getParentWorkspace().getId()
                .equals(workspaceMgr.getWorkspaceName(ArrayType.ACTIVATIONS)) ? y : workspaceMgr.dup(ArrayType.ACTIVATIONS, y);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        checkInput();
        buildGraphs();
        PreActivationHandoff.Kept<Double> kept = keptProduct.take(input, getIterationCount(), getEpochCount());
        INDArray xW;
        if (kept != null) {
            setMagnitudeThreshold(kept.payload());
            xW = kept.z();
        } else {
            setMagnitudeThreshold(Double.NaN);
            xW = run(mapGraph, Map.of(MAP_INPUT, input), mapOutput, workspaceMgr, ArrayType.BP_WORKING_MEM,
                    ArrayType.BP_WORKING_MEM);
        }
        SpectralLayerConfig conf = (SpectralLayerConfig) layerConf();
        INDArray outputErrorValues = maskArray == null ? epsilon.mul(GRADIENT_CORRECTION)
                : epsilon.mulColumnVector(maskArray.castTo(epsilon.dataType()).mul(GRADIENT_CORRECTION));
        Map<String, INDArray> outputPlaceholders = Map.of(OUTPUT_INPUT, xW, outputErrors, outputErrorValues);
        List<String> outputWanted = new ArrayList<>(List.of(OUTPUT_INPUT));
        List<String> mapWanted = new ArrayList<>(List.of(MAP_INPUT));
        for (String key : paramTable.keySet()) {
            if (conf.getSpectral().trains(key)) {
                (key.equals(SpectralParam.BIAS.key()) ? outputWanted : mapWanted).add(key);
            }
        }
        Map<String, INDArray> outputGradients = gradients(outputGraph, outputPlaceholders, outputWanted, workspaceMgr,
                ArrayType.BP_WORKING_MEM);
        Map<String, INDArray> mapGradients = gradients(mapGraph,
                Map.of(MAP_INPUT, input, mapErrors, outputGradients.get(OUTPUT_INPUT).muli(GRADIENT_CORRECTION)), mapWanted, workspaceMgr,
                ArrayType.ACTIVATION_GRAD);
        Gradient gradient = new DefaultGradient();
        for (String key : paramTable.keySet()) {
            INDArray view = gradTable.get(key);
            INDArray computed = outputGradients.containsKey(key) ? outputGradients.get(key) : mapGradients.get(key);
            if (computed == null) {
                view.assign(0);
            } else {
                view.assign(computed);
            }
            gradient.gradientForVariable().put(key, view);
        }
        return new Pair<>(gradient, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, mapGradients.get(MAP_INPUT)));
    }

    /**
     * DL4J's own SameDiffLayer backward pass (one graph from {@link SameDiffSpectralDenseLayer#defineLayer}, the
     * forward pass recomputed), without correction, for diagnosis: its gradients are {@code 1 / GRADIENT_CORRECTION}
     * times the true ones while the M2.1 defect lasts. Writes the gradient views like {@link #backpropGradient}.
     */
    public Pair<Gradient, INDArray> uncorrectedBackpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        checkInput();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
            if (!sameDiff.hasGradientFunction()) {   // as DL4J's backpropGradient would, without SameDiff's lines
                QuietGradientFunction.create(sameDiff, INPUT_KEY);
            }
        }
        double fraction = ((SpectralLayerConfig) layerConf()).getSpectral().getMagnitudeSparsity();
        if (fraction > 0) {
            sameDiff.getVariable(SpectralGraph.MAGNITUDE_THRESHOLD).getArr().assign(currentThreshold(fraction));
        }
        return super.backpropGradient(epsilon, workspaceMgr);
    }

    /** Builds both graphs once, on DL4J's parameter views (so they always see the current parameters). */
    private void buildGraphs() {
        if (mapGraph != null) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            SpectralLayerConfig conf = (SpectralLayerConfig) layerConf();
            mapGraph = graph();
            SDVariable x = mapGraph.placeHolder(MAP_INPUT, dataType, -1, conf.getNIn());
            Map<String, SDVariable> mapParams = new LinkedHashMap<>();
            outputGraph = graph();
            SDVariable mapped = outputGraph.placeHolder(OUTPUT_INPUT, dataType, -1, conf.getNOut());
            SDVariable bias = null;
            for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
                boolean isBias = e.getKey().equals(SpectralParam.BIAS.key());
                SameDiff owner = isBias ? outputGraph : mapGraph;
                SDVariable v = owner.var(e.getKey(), dataType, e.getValue().shape());
                owner.associateArrayWithVariable(e.getValue(), v);
                if (isBias) {
                    bias = v;
                } else {
                    mapParams.put(e.getKey(), v);
                }
            }
            SDVariable xW = SpectralGraph.preActivation(mapGraph, x, mapParams, conf);
            mapOutput = xW.name();
            mapErrors = SameDiffUtils.externalErrors(mapGraph, null, xW).getGradPlaceholderName();
            QuietGradientFunction.create(mapGraph, MAP_INPUT);

            SDVariable y = SpectralGraph.output(outputGraph, mapped, bias, ((SameDiffSpectralDenseLayer) conf).getActivation(),
                    OUTPUT);
            outputErrors = SameDiffUtils.externalErrors(outputGraph, null, y).getGradPlaceholderName();
            QuietGradientFunction.create(outputGraph, OUTPUT_INPUT);
        }
    }

    /** A graph as DL4J's SameDiffLayer makes it: single-threaded array holders, so that variables can be views. */
    private static SameDiff graph() {
        SameDiff sd = SameDiff.create();
        sd.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
        return sd;
    }

    /** Runs {@code graph} to {@code output}, in DL4J's workspaces for working memory and for the result. */
    private static INDArray run(SameDiff graph, Map<String, INDArray> placeholders, String output,
                                LayerWorkspaceMgr workspaceMgr, ArrayType working, ArrayType result) {
        InferenceSession session = graph.getSessions()
                .computeIfAbsent(Thread.currentThread().getId(), id -> SameDiff.getInferenceFactory().create(graph));
        session.setMmgr(memory(workspaceMgr, working, result));
        INDArray out = graph.output(placeholders, output).get(output);
        graph.clearPlaceholders(true);
        graph.clearOpInputs();
        return out;
    }

    /** The gradients of {@code wanted} from {@code graph}'s gradient function, results in the {@code result} workspace. */
    private static Map<String, INDArray> gradients(SameDiff graph, Map<String, INDArray> placeholders,
                                                   List<String> wanted, LayerWorkspaceMgr workspaceMgr, ArrayType result) {
        SameDiff gradientFunction = graph.getFunction("grad");
        InferenceSession session = gradientFunction.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                id -> SameDiff.getInferenceFactory().create(gradientFunction));
        session.setMmgr(memory(workspaceMgr, ArrayType.BP_WORKING_MEM, result));
        Map<String, INDArray> gradients = graph.calculateGradients(placeholders, wanted);
        graph.clearPlaceholders(true);
        graph.clearOpInputs();
        return gradients;
    }

    private static DL4JSameDiffMemoryMgr memory(LayerWorkspaceMgr workspaceMgr, ArrayType working, ArrayType result) {
        return new DL4JSameDiffMemoryMgr(workspaceMgr.getWorkspaceName(working), workspaceMgr.getWorkspaceName(result),
                workspaceMgr.getConfiguration(working), workspaceMgr.getConfiguration(result));
    }

    /**
     * Rejects an input that is not [minibatch, nIn] with the native layer's message ({@link LayerInput}), before the
     * graph runs: otherwise a wrong width fails inside ND4J's matmul (with C++ error lines on stderr) and a rank-1
     * input in DL4J's mask handling, neither naming the layer or the expected shape.
     */
    private void checkInput() {
        assertInputSet(false);
        LayerInput.requireFeedForward((SpectralLayerConfig) layerConf(), input, layerId());
    }

    /**
     * With magnitude sparsity: sets the map graph's threshold constant to {@code kept} if it is a number, else to the
     * m-th smallest |W| of the current parameters ({@link MagnitudeSparsity}, the native layer's own rule and code).
     * Returns the threshold set, or NaN without magnitude sparsity.
     */
    private double setMagnitudeThreshold(double kept) {
        double fraction = ((SpectralLayerConfig) layerConf()).getSpectral().getMagnitudeSparsity();
        if (fraction == 0) {
            return Double.NaN;
        }
        double threshold = Double.isNaN(kept) ? currentThreshold(fraction) : kept;
        mapGraph.getVariable(SpectralGraph.MAGNITUDE_THRESHOLD).getArr().assign(threshold);
        return threshold;
    }

    private double currentThreshold(double fraction) {
        SpectralLayerConfig conf = (SpectralLayerConfig) layerConf();
        return MagnitudeSparsity.threshold(EffectiveWeights.beforeSparsification(conf, paramTable()), fraction);
    }

    /** Writes {@code val} into the parameter (DL4J M2.1's SameDiffLayer only checks the shape). */
    @Override
    public void setParam(String key, INDArray val) {
        keptProduct.drop();
        INDArray current = paramTable().get(key);
        if (current == null) {
            throw new IllegalArgumentException(((SpectralLayerConfig) layerConf()).describe() + ": unknown parameter \""
                    + key + "\"; expected one of " + paramTable().keySet());
        }
        if (!Arrays.equals(current.shape(), val.shape())) {
            throw new IllegalArgumentException(((SpectralLayerConfig) layerConf()).describe() + ": parameter \"" + key
                    + "\" has shape " + Arrays.toString(val.shape()) + "; expected " + Arrays.toString(current.shape()));
        }
        current.assign(val);
    }

    // Everything else that may change x W drops the one kept for the backward pass (the mask does not change it: it
    // is applied after the graphs; SameDiff layers have no weight noise).

    @Override
    public void setParams(INDArray params) {
        keptProduct.drop();
        super.setParams(params);
    }

    @Override
    public void setParamsViewArray(INDArray params) {
        keptProduct.drop();
        super.setParamsViewArray(params);
    }

    @Override
    public void setParamTable(Map<String, INDArray> paramTable) {
        keptProduct.drop();
        super.setParamTable(paramTable);
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        keptProduct.drop();
        super.setInput(input, workspaceMgr);
    }

    @Override
    public void clear() {
        keptProduct.drop();
        super.clear();
    }

    @Override
    public void applyConstraints(int iteration, int epoch) {
        keptProduct.drop();
        super.applyConstraints(iteration, epoch);
    }
}
