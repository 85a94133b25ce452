package io.github.dl4jspectral.samediff;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.layers.EffectiveWeights;
import io.github.dl4jspectral.layers.MagnitudeSparsity;
import io.github.dl4jspectral.layers.PreActivationHandoff;
import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.util.SameDiffUtils;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spectral map of one {@link SameDiffSpectralDenseRuntimeLayer}: its two SameDiff graphs, each differentiated by
 * SameDiff, its forward and backward passes through them, and what it holds between passes:
 * <pre>
 *   map graph:     x -> x W                         ({@link SpectralGraph#preActivation}: phi, lambdaIn, lambdaOut)
 *   output graph:  x W -> y = activation(x W + b)   ({@link SpectralGraph#output}: b)
 * </pre>
 * The backward pass chains the graphs: the output graph gives dL/d(x W) and dL/db from dL/dy, the map graph dL/dx
 * and the gradients of phi (or its factors) and the eigenvalues from dL/d(x W). A training forward pass hands x W
 * and its magnitude threshold to the backward pass after it ({@link PreActivationHandoff}: same input, iteration and
 * epoch only), which then does not run the map graph forward; {@link #invalidate} forgets that handover, and the layer
 * calls it from every DL4J method that can change its parameters, gradient views or input. The graphs are built once,
 * on the layer's parameter views (so they always see the current parameters). Not thread-safe, like the layer.
 */
final class SameDiffMap {

    private static final String MAP_INPUT = SameDiffLayer.INPUT_KEY;
    private static final String OUTPUT_INPUT = "xW";
    private static final String OUTPUT = "out";

    /** dL/dx (in the activation gradients workspace) and the gradients of the trained groups of one backward pass. */
    record Gradients(INDArray epsilon, Map<String, INDArray> byKey) {
    }

    private final SameDiffSpectralDenseRuntimeLayer layer;

    /** x -> x W, with the layer's groups other than the bias as variables on DL4J's parameter views. */
    private SameDiff mapGraph;
    /** x W -> activation(x W + b), with the bias as a variable on DL4J's parameter view. */
    private SameDiff outputGraph;
    /** Name of x W in the map graph. */
    private String mapOutput;
    /** Placeholders for dL/d(x W) and dL/dy in the gradient functions. */
    private String mapErrors;
    private String outputErrors;

    /** The x W of the last training forward pass and its magnitude threshold, for the backward pass after it. */
    private final PreActivationHandoff<Double> handoff = new PreActivationHandoff<>();

    SameDiffMap(SameDiffSpectralDenseRuntimeLayer layer) {
        this.layer = layer;
    }

    /**
     * The forward pass: {@code y = activation(x W + b)} of the layer's input (before the layer's mask), in the
     * activations workspace or a placeholder's array; a training pass hands x W over to the backward pass.
     */
    INDArray forward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        buildGraphs();
        INDArray input = layer.input();
        double threshold = setMagnitudeThreshold(Double.NaN);
        INDArray xW = run(mapGraph, Map.of(MAP_INPUT, input), mapOutput, workspaceMgr,
                ArrayType.FF_WORKING_MEM, ArrayType.FF_WORKING_MEM);
        if (training) {
            handoff.handOver(xW, threshold, input, layer.getIterationCount(), layer.getEpochCount());
        } else {
            handoff.drop();
        }
        return run(outputGraph, Map.of(OUTPUT_INPUT, xW), OUTPUT, workspaceMgr, ArrayType.FF_WORKING_MEM,
                ArrayType.ACTIVATIONS);
    }

    /**
     * The backward pass from dL/dy = {@code epsilon} (times the column {@code mask}, if any) times
     * {@code correction}, the factor the layer applies to the errors it feeds each graph.
     */
    Gradients backward(INDArray epsilon, INDArray mask, double correction, LayerWorkspaceMgr workspaceMgr) {
        buildGraphs();
        INDArray input = layer.input();
        PreActivationHandoff.Handover<Double> handover = handoff.takeHandover(input, layer.getIterationCount(),
                layer.getEpochCount());
        INDArray xW;
        if (handover != null) {
            setMagnitudeThreshold(handover.payload());
            xW = handover.z();
        } else {
            setMagnitudeThreshold(Double.NaN);
            xW = run(mapGraph, Map.of(MAP_INPUT, input), mapOutput, workspaceMgr, ArrayType.BP_WORKING_MEM,
                    ArrayType.BP_WORKING_MEM);
        }
        SpectralLayerConfig conf = conf();
        INDArray outputErrorValues = mask == null ? epsilon.mul(correction)
                : epsilon.mulColumnVector(mask.castTo(epsilon.dataType()).mul(correction));
        Map<String, INDArray> outputPlaceholders = Map.of(OUTPUT_INPUT, xW, outputErrors, outputErrorValues);
        List<String> outputWanted = new ArrayList<>(List.of(OUTPUT_INPUT));
        List<String> mapWanted = new ArrayList<>(List.of(MAP_INPUT));
        for (String key : layer.paramTable().keySet()) {
            if (conf.getSpectral().trains(key)) {
                (key.equals(SpectralParam.BIAS.key()) ? outputWanted : mapWanted).add(key);
            }
        }
        Map<String, INDArray> outputGradients = gradients(outputGraph, outputPlaceholders, outputWanted, workspaceMgr,
                ArrayType.BP_WORKING_MEM);
        Map<String, INDArray> mapGradients = gradients(mapGraph,
                Map.of(MAP_INPUT, input, mapErrors, outputGradients.get(OUTPUT_INPUT).muli(correction)), mapWanted,
                workspaceMgr, ArrayType.ACTIVATION_GRAD);
        Map<String, INDArray> byKey = new LinkedHashMap<>();
        for (String key : layer.paramTable().keySet()) {
            INDArray computed = outputGradients.containsKey(key) ? outputGradients.get(key) : mapGradients.get(key);
            if (computed != null) {
                byKey.put(key, computed);
            }
        }
        return new Gradients(mapGradients.get(MAP_INPUT), byKey);
    }

    /** Forgets what a forward pass handed over; the next backward pass runs the map graph forward again. */
    void invalidate() {
        handoff.drop();
    }

    /**
     * The m-th smallest |W| of the layer's current parameters ({@link MagnitudeSparsity}, the native layer's own rule
     * and code), for magnitude sparsity {@code fraction}.
     */
    static double currentThreshold(SpectralLayerConfig conf, Map<String, INDArray> params, double fraction) {
        return MagnitudeSparsity.threshold(EffectiveWeights.beforeSparsification(conf, params), fraction);
    }

    private SpectralLayerConfig conf() {
        return (SpectralLayerConfig) layer.layerConf();
    }

    /** Builds both graphs once, on DL4J's parameter views. */
    private void buildGraphs() {
        if (mapGraph != null) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            SpectralLayerConfig conf = conf();
            mapGraph = graph();
            SDVariable x = mapGraph.placeHolder(MAP_INPUT, layer.getDataType(), -1, conf.getNIn());
            Map<String, SDVariable> mapParams = new LinkedHashMap<>();
            outputGraph = graph();
            SDVariable mapped = outputGraph.placeHolder(OUTPUT_INPUT, layer.getDataType(), -1, conf.getNOut());
            SDVariable bias = null;
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                boolean isBias = e.getKey().equals(SpectralParam.BIAS.key());
                SameDiff owner = isBias ? outputGraph : mapGraph;
                SDVariable v = owner.var(e.getKey(), layer.getDataType(), e.getValue().shape());
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

            SDVariable y = SpectralGraph.output(outputGraph, mapped, bias,
                    ((SameDiffSpectralDenseLayer) conf).getActivation(), OUTPUT);
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
     * With magnitude sparsity: sets the map graph's threshold constant to {@code handedOver} if it is a number, else
     * to the m-th smallest |W| of the current parameters. Returns the threshold set, or NaN without magnitude
     * sparsity.
     */
    private double setMagnitudeThreshold(double handedOver) {
        double fraction = conf().getSpectral().getMagnitudeSparsity();
        if (fraction == 0) {
            return Double.NaN;
        }
        double threshold = Double.isNaN(handedOver) ? currentThreshold(conf(), layer.paramTable(), fraction)
                : handedOver;
        mapGraph.getVariable(SpectralGraph.MAGNITUDE_THRESHOLD).getArr().assign(threshold);
        return threshold;
    }
}
