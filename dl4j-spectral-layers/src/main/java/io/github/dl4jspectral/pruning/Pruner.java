package io.github.dl4jspectral.pruning;

import io.github.dl4jspectral.blocks.ParamSlices;
import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.conf.SpectralParam;
import io.github.dl4jspectral.count.ParameterCounts;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Removes hidden nodes from a trained network (docs/METHOD.md section 5) and returns a NEW, genuinely smaller
 * network: the producing layer's nOut and the consuming layer's nIn shrink, every remaining parameter is
 * copied exactly (except the factors of a LOW_RANK block left with fewer nodes than its rank, see below), and the
 * input network is untouched. The new network has a fresh updater, so it can be trained further at once
 * (fine-tuning).
 *
 * <pre>{@code
 * PruningResult<MultiLayerNetwork> result = Pruner.prune(network,
 *         PruningConfig.builder().score(NodeScore.EIGENVALUE).fraction(0.5).build(), testIterator);
 * System.out.println(result.report());
 * }</pre>
 *
 * <p>Hidden layers are the outputs of every spectral, DenseLayer or SameDiff spectral layer that feeds
 * another such layer or an OutputLayer; ActivationLayer, DropoutLayer and BatchNormalization between the
 * two are sliced consistently; each spectral layer's eigenvector block slices itself
 * ({@link PhiBlock#sliceOutputs}). Any other layer in between, and a block that cannot be sliced exactly (SPARSE,
 * whose support is defined by its shape and seed), are rejected with an error rather than pruned wrongly. A
 * ComputationGraph must be a chain of layers.
 *
 * <p>Factored blocks and their width: SVD and QR layers keep their width k (a pinned width, {@code SvdBlock(k)}), even
 * when fewer than k nodes remain on a side. A LOW_RANK layer with fewer than r nodes left on a side becomes
 * lowRank(r') with {@code r' = min(nIn', nOut', r)}, the largest rank its slice {@code U V^T} can have: the block is
 * refactored by a thin QR so that phi is unchanged up to rounding, and its factors are then new numbers, not copies
 * (docs/METHOD.md section 5.4, {@link io.github.dl4jspectral.blocks.LowRankBlock}). Every other parameter is copied.
 */
public final class Pruner {

    private Pruner() {
    }

    /** Post-processing: prune a trained MultiLayerNetwork. */
    public static PruningResult<MultiLayerNetwork> prune(MultiLayerNetwork network, PruningConfig config) {
        return prune(network, config, null);
    }

    /** Post-processing, with accuracy before and after on {@code evaluation} (may be {@code null}). */
    public static PruningResult<MultiLayerNetwork> prune(MultiLayerNetwork network, PruningConfig config,
                                                         DataSetIterator evaluation) {
        Pruned<MultiLayerNetwork> pruned = prune(LayerChain.of(network), config);
        return new PruningResult<>(pruned.network(), new PruningReport(config.scoreName(), pruned.layers(),
                ParameterCounts.of(network), ParameterCounts.of(pruned.network()),
                accuracy(network, evaluation), accuracy(pruned.network(), evaluation)));
    }

    /** Post-processing of a ComputationGraph whose layers form a chain. */
    public static PruningResult<ComputationGraph> prune(ComputationGraph graph, PruningConfig config,
                                                        DataSetIterator evaluation) {
        Pruned<ComputationGraph> pruned = prune(LayerChain.of(graph), config);
        return new PruningResult<>(pruned.network(), new PruningReport(config.scoreName(), pruned.layers(),
                ParameterCounts.of(graph), ParameterCounts.of(pruned.network()),
                accuracy(graph, evaluation), accuracy(pruned.network(), evaluation)));
    }

    /**
     * Pre-processing (Sci. Rep. 2022): train the eigenvalues only for {@code epochs}, prune by
     * {@code config}, then make the eigenvector blocks trainable and train the smaller network for
     * {@code epochs} more with a fresh updater. The input network must train no eigenvector block (e.g.
     * preset EIGENVALUES) and is left untouched.
     */
    public static PruningResult<MultiLayerNetwork> preProcessing(MultiLayerNetwork eigenvalueNetwork,
                                                                 DataSetIterator training, int epochs,
                                                                 PruningConfig config, DataSetIterator evaluation) {
        for (LayerChain.Link link : LayerChain.of(eigenvalueNetwork).links()) {
            if (link.conf() instanceof SpectralLayerConfig s && s.getSpectral().isTrainPhi()) {
                throw new IllegalArgumentException("Pruner.preProcessing: layer \"" + link.name() + "\" trains its eigenvector "
                        + "block (" + s.getSpectral().describe() + "); expected eigenvalue-only layers (preset EIGENVALUES "
                        + "or EIGENVALUES_OUT)");
            }
        }
        MultiLayerNetwork trained = eigenvalueNetwork.clone();
        trained.fit(training, epochs);
        PruningResult<MultiLayerNetwork> pruned = prune(trained, config, evaluation);
        MultiLayerNetwork retrained = withEigenvectorsTrainable(pruned.network(), null);
        retrained.fit(training, epochs);
        PruningReport r = pruned.report();
        return new PruningResult<>(retrained, new PruningReport(r.score(), r.layers(), r.before(),
                ParameterCounts.of(retrained), r.accuracyBefore(), accuracy(retrained, evaluation)));
    }

    /**
     * The second half of pre-processing on its own: a copy of {@code network} (e.g. pruned by eigenvalue) in which
     * every spectral layer also trains its eigenvector block (preset EIGENVALUES becomes FULL), every parameter value
     * kept, with a fresh updater: {@code updater} for every layer with parameters, or each layer's own if null.
     * Use it to pick the retraining's learning rate and epochs yourself, or to prune one trained eigenvalue network
     * at several fractions.
     */
    public static MultiLayerNetwork withEigenvectorsTrainable(MultiLayerNetwork network, IUpdater updater) {
        LayerChain<MultiLayerNetwork> chain = LayerChain.of(network);
        List<Layer> confs = new ArrayList<>();
        List<Map<String, INDArray>> params = new ArrayList<>();
        for (LayerChain.Link link : chain.links()) {
            Layer conf = link.conf().clone();
            if (conf instanceof SpectralLayerConfig spectral) {
                spectral.setSpectral(spectral.getSpectral().withPhiTrainable());
            }
            if (updater != null && conf instanceof BaseLayer base) {
                base.setIUpdater(updater.clone());
            }
            confs.add(conf);
            params.add(link.params());
        }
        return chain.rebuild(confs, params);
    }

    /** The smaller network and what was removed from each hidden layer. */
    private record Pruned<N>(N network, List<PruningReport.LayerPruning> layers) {
    }

    private static <N> Pruned<N> prune(LayerChain<N> chain, PruningConfig config) {
        List<LayerChain.Link> links = chain.links();
        List<int[]> hidden = hiddenLayers(links);
        if (hidden.isEmpty()) {
            throw new IllegalArgumentException("Pruner: the network has no prunable hidden layer; expected a spectral, "
                    + "DenseLayer or SameDiff spectral layer feeding another such layer or an OutputLayer");
        }
        List<double[]> scores = new ArrayList<>();
        for (int k = 0; k < hidden.size(); k++) {
            HiddenLayer h = describe(links, hidden.get(k));
            double[] s = config.score().scorer(config, k).score(h);
            if (s.length != h.nodes()) {
                throw new IllegalArgumentException("Pruner: score " + config.scoreName() + " gave " + s.length
                        + " values for hidden layer \"" + h.name() + "\"; expected " + h.nodes());
            }
            scores.add(s);
        }
        List<Set<Integer>> removed = chooseRemoved(scores, config);

        List<Layer> confs = new ArrayList<>();
        List<Map<String, INDArray>> params = new ArrayList<>();
        for (LayerChain.Link link : links) {
            confs.add(link.conf().clone());
            params.add(new LinkedHashMap<>(link.params()));
        }
        List<PruningReport.LayerPruning> layers = new ArrayList<>();
        for (int k = 0; k < hidden.size(); k++) {
            int[] pc = hidden.get(k);
            int nodes = scores.get(k).length;
            Set<Integer> gone = removed.get(k);
            int[] keep = IntStream.range(0, nodes).filter(h -> !gone.contains(h)).toArray();
            if (keep.length == 0) {
                throw new IllegalArgumentException("Pruner: " + config.scoreName() + " with " + config.amount()
                        + " would remove all " + nodes + " nodes of hidden layer \"" + links.get(pc[0]).name()
                        + "\"; expected at least one node to remain");
            }
            sliceProducer(confs.get(pc[0]), params.get(pc[0]), keep, links.get(pc[0]).name());
            for (int between = pc[0] + 1; between < pc[1]; between++) {
                slicePassThrough(confs.get(between), params.get(between), keep, links.get(between).name());
            }
            sliceConsumer(confs.get(pc[1]), params.get(pc[1]), keep, links.get(pc[1]).name());
            layers.add(new PruningReport.LayerPruning(links.get(pc[0]).name(), nodes, keep.length,
                    gone.stream().mapToInt(Integer::intValue).sorted().toArray()));
        }
        N pruned = chain.rebuild(confs, params);
        return new Pruned<>(pruned, layers);
    }

    /** Pairs {producer index, consumer index} of the chain's hidden layers. */
    private static List<int[]> hiddenLayers(List<LayerChain.Link> links) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            if (!isProducer(links.get(i).conf())) {
                continue;
            }
            int j = i + 1;
            while (j < links.size() && isPassThrough(links.get(j).conf())) {
                j++;
            }
            if (j < links.size() && isConsumer(links.get(j).conf())) {
                pairs.add(new int[]{i, j});
            } else if (j < links.size()) {
                throw new IllegalArgumentException("Pruner: layer \"" + links.get(j).name() + "\" ("
                        + links.get(j).conf().getClass().getSimpleName() + ") follows hidden layer \"" + links.get(i).name()
                        + "\" and cannot be sliced; expected a spectral, DenseLayer or OutputLayer consumer, with only "
                        + "ActivationLayer, DropoutLayer or BatchNormalization between");
            }
        }
        return pairs;
    }

    private static boolean isProducer(Layer l) {
        return !(l instanceof BaseOutputLayer) && (l instanceof SpectralLayerConfig || l.getClass() == DenseLayer.class);
    }

    private static boolean isConsumer(Layer l) {
        return l instanceof SpectralLayerConfig || l.getClass() == DenseLayer.class || l.getClass() == OutputLayer.class;
    }

    private static boolean isPassThrough(Layer l) {
        return l instanceof ActivationLayer || l instanceof DropoutLayer || l instanceof BatchNormalization;
    }

    private static HiddenLayer describe(List<LayerChain.Link> links, int[] pc) {
        LayerChain.Link producer = links.get(pc[0]);
        LayerChain.Link consumer = links.get(pc[1]);
        return new HiddenLayer(producer.name(), (int) nOut(producer.conf()), producer.conf(), producer.params(),
                consumer.conf(), consumer.params());
    }

    /** The removed node indices of each hidden layer. */
    private static List<Set<Integer>> chooseRemoved(List<double[]> scores, PruningConfig config) {
        List<Set<Integer>> removed = new ArrayList<>();
        scores.forEach(s -> removed.add(new HashSet<>()));
        PruningConfig.Amount amount = config.amount();
        if (amount.kind() == PruningConfig.Amount.Kind.THRESHOLD) {
            for (int k = 0; k < scores.size(); k++) {
                for (int h = 0; h < scores.get(k).length; h++) {
                    if (scores.get(k)[h] < amount.value()) {
                        removed.get(k).add(h);
                    }
                }
            }
            return removed;
        }
        // Ranked removal: lowest scores first, ties by layer then node index.
        List<int[]> groups = new ArrayList<>();
        if (config.pooled()) {
            groups.add(IntStream.range(0, scores.size()).toArray());
        } else {
            IntStream.range(0, scores.size()).forEach(k -> groups.add(new int[]{k}));
        }
        for (int[] group : groups) {
            List<int[]> nodes = new ArrayList<>();
            for (int k : group) {
                for (int h = 0; h < scores.get(k).length; h++) {
                    nodes.add(new int[]{k, h});
                }
            }
            nodes.sort(Comparator.<int[]>comparingDouble(n -> scores.get(n[0])[n[1]])
                    .thenComparingInt(n -> n[0]).thenComparingInt(n -> n[1]));
            long count = amount.kind() == PruningConfig.Amount.Kind.FRACTION
                    ? (long) Math.floor(amount.value() * nodes.size()) : (long) amount.value();
            for (int i = 0; i < Math.min(count, nodes.size()); i++) {
                removed.get(nodes.get(i)[0]).add(nodes.get(i)[1]);
            }
        }
        return removed;
    }

    /** Output columns of the producer: its block's, lambdaOut, b (spectral) or W, b (dense). */
    private static void sliceProducer(Layer conf, Map<String, INDArray> params, int[] keep, String name) {
        if (conf instanceof SpectralLayerConfig s) {
            PhiBlock block = s.spec().block();
            s.setSpectral(s.getSpectral().withBlock(block.sliceOutputs(params, keep, name)));
            ParamSlices.keepColumns(params, SpectralParam.LAMBDA_OUT.key(), keep);
            ParamSlices.keepColumns(params, SpectralParam.BIAS.key(), keep);
        } else {
            ParamSlices.keepColumns(params, DefaultParamInitializer.WEIGHT_KEY, keep);
            ParamSlices.keepColumns(params, DefaultParamInitializer.BIAS_KEY, keep);
            ParamSlices.keepColumns(params, DefaultParamInitializer.GAIN_KEY, keep);
        }
        setNOut(conf, keep.length);
    }

    /** Input rows of the consumer: its block's and lambdaIn (spectral) or W (dense/output). */
    private static void sliceConsumer(Layer conf, Map<String, INDArray> params, int[] keep, String name) {
        if (conf instanceof SpectralLayerConfig s) {
            PhiBlock block = s.spec().block();
            s.setSpectral(s.getSpectral().withBlock(block.sliceInputs(params, keep, name)));
            ParamSlices.keepColumns(params, SpectralParam.LAMBDA_IN.key(), keep);
        } else {
            ParamSlices.keepRows(params, DefaultParamInitializer.WEIGHT_KEY, keep);
        }
        setNIn(conf, keep.length);
    }

    private static void slicePassThrough(Layer conf, Map<String, INDArray> params, int[] keep, String name) {
        if (conf instanceof BatchNormalization bn) {
            for (String key : List.copyOf(params.keySet())) {
                ParamSlices.keepColumns(params, key, keep);
            }
            bn.setNIn(keep.length);
            bn.setNOut(keep.length);
        }
    }

    private static long nOut(Layer conf) {
        return conf instanceof SpectralLayerConfig s ? s.getNOut() : ((FeedForwardLayer) conf).getNOut();
    }

    private static void setNOut(Layer conf, long n) {
        if (conf instanceof SpectralLayerConfig s) {
            s.setNOut(n);
        } else {
            ((FeedForwardLayer) conf).setNOut(n);
        }
    }

    private static void setNIn(Layer conf, long n) {
        if (conf instanceof SpectralLayerConfig s) {
            s.setNIn(n);
        } else {
            ((FeedForwardLayer) conf).setNIn(n);
        }
    }

    /** Accuracy of {@code network} on {@code evaluation} (reset first), or NaN without evaluation data. */
    static double accuracy(MultiLayerNetwork network, DataSetIterator evaluation) {
        if (evaluation == null) {
            return Double.NaN;
        }
        evaluation.reset();
        return network.evaluate(evaluation).accuracy();
    }

    private static double accuracy(ComputationGraph graph, DataSetIterator evaluation) {
        if (evaluation == null) {
            return Double.NaN;
        }
        evaluation.reset();
        return graph.evaluate(evaluation).accuracy();
    }
}
