package io.github.dl4jspectral.spectralize;

import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.conf.SpectralPreset;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the dense maps of a trained plain DL4J network into spectral layers that compute exactly the same outputs,
 * so that a network trained without this library can be adapted by its eigenvalues or pruned by them
 * (docs/METHOD.md section 1.1). A {@link DenseLayer} becomes a {@link SpectralDenseLayer} and an {@link OutputLayer} a
 * {@link SpectralOutputLayer} with
 * <pre>    phi = W,   lambdaIn = 0,   lambdaOut = -1,   b = b</pre>
 * so that {@code phi .* (lambdaIn^T - lambdaOut) = W .* 1 = W}, entry for entry without rounding
 * ({@link SpectralizeOptions.Start#UNIT_EIGENVALUES}, the default; {@link SpectralizeOptions.Start#COLUMN_NORMS}
 * starts each lambdaOut at its node's incoming weight norm instead, equal up to rounding). The converted
 * layers train the groups of the options' preset (default {@link SpectralPreset#EIGENVALUES}: the eigenvalues and the
 * bias; {@code phi} frozen).
 *
 * <pre>{@code
 * Spectralized<MultiLayerNetwork> s = Spectralize.of(trained);
 * System.out.println(s.report());
 * MultiLayerNetwork tunable = s.network();      // same outputs, nIn + 2 nOut trainable numbers per map
 * }</pre>
 *
 * <p>Each converted layer keeps its name, sizes, activation, loss, bias (or its absence), updater and bias updater,
 * dropout, weight noise, gradient normalization, weight and bias init, and the constraints on its bias. Two
 * settings cannot act on the spectral layer as they acted on W, and the report notes them for the layer:
 * <ul>
 *   <li>regularization of the weights (l1, l2, weight decay) is carried over and acts on the trained weight-like
 *       groups (the eigenvalues, and phi when the preset trains it), not on their product W;</li>
 *   <li>constraints on W are dropped (a bound on W is not a bound on phi or on the eigenvalues).</li>
 * </ul>
 *
 * <p>Every other layer is kept as it is, with its parameters, and the report says why: a kind of layer other than
 * DenseLayer and OutputLayer (subclasses included, e.g. a convolution or a CenterLossOutputLayer), a DenseLayer with
 * layer normalization (its gain has no spectral counterpart), a layer already spectral, a layer inside a wrapper
 * such as {@code FrozenLayer} (frozen by the user: it has nothing to tune), and a layer the options do not select.
 *
 * <p>The result is a new network with a fresh updater state; the input network is untouched. The network-level
 * configuration (data type, seed, input pre-processors, training counters) is copied. The result works with DL4J's
 * {@code TransferLearning} (feature extractor, {@code nOutReplace} on a head) and with
 * {@code DirectSpaceExport.toDense}, which gives back plain layers with the same outputs and, until trained, the same
 * parameters.
 */
public final class Spectralize {

    private static final String WHERE = "Spectralize";

    private Spectralize() {
    }

    /** {@code network} converted with the default options (preset EIGENVALUES, every dense map). */
    public static Spectralized<MultiLayerNetwork> of(MultiLayerNetwork network) {
        return of(network, SpectralizeOptions.DEFAULT);
    }

    /** {@code graph} converted with the default options (preset EIGENVALUES, every dense map). */
    public static Spectralized<ComputationGraph> of(ComputationGraph graph) {
        return of(graph, SpectralizeOptions.DEFAULT);
    }

    /** {@code network} converted as {@code options} say. */
    public static Spectralized<MultiLayerNetwork> of(MultiLayerNetwork network, SpectralizeOptions options) {
        if (network.getLayers() == null || network.params() == null) {
            throw new IllegalStateException(WHERE + ": the MultiLayerNetwork is not initialized (no parameters); "
                    + "expected a trained network, or one after init()");
        }
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        Plan plan = new Plan(options);
        for (int i = 0; i < conf.getConfs().size(); i++) {
            plan.visit(conf.getConf(i), network.getLayer(i).conf().getLayer().getLayerName());
        }
        plan.requireSelectedFound();
        MultiLayerNetwork converted = new MultiLayerNetwork(conf);
        converted.init();
        for (int i = 0; i < network.getnLayers(); i++) {
            copyParams(network.getLayer(i), converted.getLayer(i), options.start());
        }
        return new Spectralized<>(converted, plan.converted, plan.kept);
    }

    /** {@code graph} converted as {@code options} say. */
    public static Spectralized<ComputationGraph> of(ComputationGraph graph, SpectralizeOptions options) {
        if (graph.getLayers() == null || graph.params() == null) {
            throw new IllegalStateException(WHERE + ": the ComputationGraph is not initialized (no parameters); "
                    + "expected a trained graph, or one after init()");
        }
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        Plan plan = new Plan(options);
        for (Map.Entry<String, GraphVertex> vertex : conf.getVertices().entrySet()) {
            if (vertex.getValue() instanceof LayerVertex layerVertex) {
                plan.visit(layerVertex.getLayerConf(), vertex.getKey());
            }
        }
        plan.requireSelectedFound();
        ComputationGraph converted = new ComputationGraph(conf);
        converted.init();
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            copyParams(layer, converted.getLayer(layer.conf().getLayer().getLayerName()), options.start());
        }
        return new Spectralized<>(converted, plan.converted, plan.kept);
    }

    /**
     * The spectral layer configuration that {@code plain} (a DenseLayer or OutputLayer, not a subclass, without layer
     * normalization) becomes, with the settings carried over as the class description says; {@code notes} receives
     * what acts differently.
     */
    static BaseLayer spectralEquivalent(BaseLayer plain, SpectralPreset preset, List<String> notes) {
        BaseLayer spectral;
        if (plain instanceof OutputLayer out) {
            spectral = new SpectralOutputLayer.Builder(out.getLossFn()).nIn(out.getNIn()).nOut(out.getNOut())
                    .hasBias(out.hasBias()).preset(preset).build();
        } else {
            DenseLayer dense = (DenseLayer) plain;
            spectral = new SpectralDenseLayer.Builder().nIn(dense.getNIn()).nOut(dense.getNOut())
                    .hasBias(dense.hasBias()).preset(preset).build();
        }
        spectral.setLayerName(plain.getLayerName());
        spectral.setActivationFn(plain.getActivationFn());
        spectral.setIUpdater(plain.getIUpdater());
        spectral.setBiasUpdater(plain.getBiasUpdater());
        spectral.setRegularization(plain.getRegularization());
        spectral.setRegularizationBias(plain.getRegularizationBias());
        spectral.setWeightInitFn(plain.getWeightInitFn());
        spectral.setBiasInit(plain.getBiasInit());
        spectral.setGainInit(plain.getGainInit());
        spectral.setGradientNormalization(plain.getGradientNormalization());
        spectral.setGradientNormalizationThreshold(plain.getGradientNormalizationThreshold());
        spectral.setIDropout(plain.getIDropout());
        spectral.setWeightNoise(plain.getWeightNoise());
        spectral.setConstraints(biasConstraints(plain.getConstraints(), notes));
        if (plain.getRegularization() != null && !plain.getRegularization().isEmpty()) {
            notes.add("weight regularization " + plain.getRegularization() + " now acts on the trained weight-like "
                    + "groups (eigenvalues" + (preset.trains(SpectralParam.PHI) ? ", phi" : "") + "), not on W");
        }
        return spectral;
    }

    /** The constraints of {@code constraints} on the bias, restricted to it; those on W are dropped with a note. */
    private static List<LayerConstraint> biasConstraints(List<LayerConstraint> constraints, List<String> notes) {
        if (constraints == null || constraints.isEmpty()) {
            return null;
        }
        List<LayerConstraint> kept = new ArrayList<>();
        for (LayerConstraint constraint : constraints) {
            Set<String> keys = new TreeSet<>(constraint.getParams());
            if (keys.remove(DefaultParamInitializer.WEIGHT_KEY)) {
                notes.add("constraint " + constraint.getClass().getSimpleName() + " on W dropped: a bound on W is not "
                        + "a bound on phi or on the eigenvalues");
            }
            if (!keys.isEmpty()) {
                LayerConstraint copy = constraint.clone();
                copy.setParams(keys);
                kept.add(copy);
            }
        }
        return kept.isEmpty() ? null : kept;
    }

    /** Why {@code layer} cannot be converted, or {@code null} if it can. */
    private static String whyNot(Layer layer) {
        if (layer instanceof SpectralLayerConfig) {
            return "already a spectral layer";
        }
        if (layer instanceof FrozenLayer || layer instanceof BaseWrapperLayer) {
            return "inside a wrapper (" + layer.getClass().getSimpleName() + "): frozen or wrapped by the user, so it "
                    + "is kept as it is; unwrap it first to convert the layer inside";
        }
        if (layer.getClass() == DenseLayer.class) {
            return ((DenseLayer) layer).hasLayerNorm()
                    ? "DenseLayer with layer normalization: its gain g has no spectral counterpart" : null;
        }
        if (layer.getClass() == OutputLayer.class) {
            return null;
        }
        return "a " + layer.getClass().getSimpleName() + " is not a dense map; only DenseLayer and OutputLayer "
                + "(not their subclasses) are converted";
    }

    private static String kind(Layer layer) {
        Layer inner = layer instanceof FrozenLayer f ? f.getLayer()
                : layer instanceof BaseWrapperLayer w ? w.getUnderlying() : null;
        return layer.getClass().getSimpleName() + (inner == null ? "" : "(" + inner.getClass().getSimpleName() + ")");
    }

    /** Decides layer by layer, replaces the convertible ones in the cloned configuration, and collects the report. */
    private static final class Plan {
        private final SpectralizeOptions options;
        private final List<Spectralized.Converted> converted = new ArrayList<>();
        private final List<Spectralized.Kept> kept = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();

        Plan(SpectralizeOptions options) {
            this.options = options;
        }

        void visit(NeuralNetConfiguration layerConf, String name) {
            Layer layer = layerConf.getLayer();
            seen.add(name);
            String whyNot = whyNot(layer);
            if (!options.selects(name)) {
                kept.add(new Spectralized.Kept(name, kind(layer), "not among the layers selected by the options "
                        + options.layers()));
                return;
            }
            if (whyNot != null) {
                if (options.layers() != null) {
                    throw new IllegalArgumentException(WHERE + ": layer \"" + name + "\" (" + kind(layer) + ") was "
                            + "selected but cannot be converted: " + whyNot + "; expected a DenseLayer or OutputLayer");
                }
                kept.add(new Spectralized.Kept(name, kind(layer), whyNot));
                return;
            }
            List<String> notes = new ArrayList<>();
            BaseLayer spectral = spectralEquivalent((BaseLayer) layer, options.preset(), notes);
            layerConf.setLayer(spectral);
            layerConf.clearVariables();
            converted.add(new Spectralized.Converted(name, layer.getClass().getSimpleName(),
                    spectral.getClass().getSimpleName() + " (" + options.preset() + ")", notes));
        }

        void requireSelectedFound() {
            if (options.layers() == null) {
                return;
            }
            Set<String> missing = new TreeSet<>(options.layers());
            missing.removeAll(seen);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(WHERE + ": layers " + missing + " selected by the options are not "
                        + "in the network; expected names among " + new TreeSet<>(seen));
            }
        }
    }

    /**
     * Copies {@code from}'s parameters into {@code to}: for a converted layer phi and the eigenvalues as {@code start}
     * says ({@code lambdaIn = 0}) and the bias; for a kept layer the whole parameter vector.
     */
    private static void copyParams(org.deeplearning4j.nn.api.Layer from, org.deeplearning4j.nn.api.Layer to,
                                   SpectralizeOptions.Start start) {
        if (to.conf().getLayer() instanceof SpectralLayerConfig spectral
                && !(from.conf().getLayer() instanceof SpectralLayerConfig)) {
            Map<String, INDArray> plain = new LinkedHashMap<>(from.paramTable());
            INDArray w = plain.get(DefaultParamInitializer.WEIGHT_KEY);
            INDArray lambdaOut = to.getParam(SpectralParam.LAMBDA_OUT.key());
            if (start == SpectralizeOptions.Start.COLUMN_NORMS) {
                INDArray norms = w.norm2(0).reshape(1, w.columns());
                norms.addi(norms.eq(0).castTo(norms.dataType()));   // a zero column: phi = 0, lambdaOut = -1
                to.setParam(SpectralParam.PHI.key(), w.divRowVector(norms));
                lambdaOut.assign(norms.neg());
            } else {
                to.setParam(SpectralParam.PHI.key(), w);
                lambdaOut.assign(-1);
            }
            to.getParam(SpectralParam.LAMBDA_IN.key()).assign(0);
            if (spectral.hasBias()) {
                to.setParam(SpectralParam.BIAS.key(), plain.get(DefaultParamInitializer.BIAS_KEY));
            }
        } else if (from.numParams() > 0) {
            to.params().assign(from.params());
        }
    }
}
