package io.github.dl4jspectral.examples.ui;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.layers.EffectiveWeights;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.ui.model.stats.api.Histogram;
import org.deeplearning4j.ui.model.stats.api.StatsReport;
import org.deeplearning4j.ui.model.stats.api.StatsType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Sits between a {@code StatsListener} and DL4J's statistics storage and adds, to every update report of one
 * network, the effective weights of each spectral layer {@code i} under the key {@code "i_W"}, the key a
 * {@code DenseLayer}'s weights have: {@code W = phi .* (lambdaIn^T - lambdaOut)} ({@link EffectiveWeights}), so
 * DL4J's pages, which select and plot "W", show the matrix the layer multiplies its input with.
 *
 * <p>Reported for {@code W}, like DL4J does for a parameter: a histogram, the mean, standard deviation and mean
 * magnitude of W (statistics type Parameters) and of its update, the change made by the reported iteration's step
 * {@code W(before the step) - W(after)} (type Updates; DL4J's sign: parameters minus update). It is also a training
 * listener of the network: before the step of every iteration the StatsListener reports ({@link #reports}) it keeps
 * W. W is not a parameter, so it has no gradient and no learning rate: nothing is reported for those. The spectral
 * parameter groups themselves (phi, lambdaIn, lambdaOut, b) stay under their own keys, unchanged.
 */
final class EffectiveWeightsRouter extends BaseTrainingListener implements StatsStorageRouter {

    /** The key suffix DL4J's pages look for. */
    static final String W = "W";

    private final StatsStorageRouter target;
    private final MultiLayerNetwork network;
    private final int bins;
    private final int frequency;
    /** W before the step of the iteration being reported, by layer index; empty between reports. */
    private final Map<Integer, INDArray> beforeStep = new TreeMap<>();

    /**
     * @param network   the network, which must have this router among its listeners (for the W before each step)
     * @param bins      histogram bins (DL4J's default is 20)
     * @param frequency the StatsListener's reporting frequency
     */
    EffectiveWeightsRouter(StatsStorageRouter target, MultiLayerNetwork network, int bins, int frequency) {
        this.target = target;
        this.network = network;
        this.bins = bins;
        this.frequency = frequency;
    }

    /** Whether DL4J's StatsListener reports iteration {@code iteration} (its rule, BaseStatsListener.iterationDone). */
    boolean reports(int iteration) {
        return frequency <= 1 || (iteration != 0 && iteration % frequency == 0);
    }

    /** Called after the gradient is computed and before the updater changes the parameters. */
    @Override
    public void onGradientCalculation(Model model) {
        if (model == network && reports(network.getIterationCount())) {
            beforeStep.clear();
            beforeStep.putAll(effectiveWeights());
        }
    }

    /** The effective weights of every spectral layer, keyed by layer index. */
    private Map<Integer, INDArray> effectiveWeights() {
        Map<Integer, INDArray> out = new TreeMap<>();
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (layers[i].conf().getLayer() instanceof SpectralLayerConfig conf) {
                out.put(i, EffectiveWeights.of(conf, layers[i].paramTable()));
            }
        }
        return out;
    }

    private void addEffectiveWeights(StatsReport report) {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        Map<String, INDArray> updates = new LinkedHashMap<>();
        effectiveWeights().forEach((layer, w) -> {
            String key = layer + "_" + W;
            weights.put(key, w);
            INDArray before = beforeStep.get(layer);
            if (before != null) {
                updates.put(key, before.sub(w));
            }
        });
        beforeStep.clear();
        add(report, StatsType.Parameters, weights);
        add(report, StatsType.Updates, updates);
    }

    /** Adds the statistics of {@code arrays} to those {@code report} already collects for {@code type}. */
    private void add(StatsReport report, StatsType type, Map<String, INDArray> arrays) {
        Map<String, Histogram> histograms = report.getHistograms(type);
        if (histograms != null) {
            Map<String, Histogram> merged = new LinkedHashMap<>(histograms);
            arrays.forEach((key, a) -> merged.put(key, histogram(a)));
            report.reportHistograms(type, merged);
        }
        Map<String, Double> mean = merged(report.getMean(type), arrays, a -> a.meanNumber().doubleValue());
        if (mean != null) {
            report.reportMean(type, mean);
        }
        Map<String, Double> stdev = merged(report.getStdev(type), arrays, a -> a.stdNumber().doubleValue());
        if (stdev != null) {
            report.reportStdev(type, stdev);
        }
        Map<String, Double> meanMagnitude = merged(report.getMeanMagnitudes(type), arrays,
                a -> a.norm1Number().doubleValue() / a.length());
        if (meanMagnitude != null) {
            report.reportMeanMagnitudes(type, meanMagnitude);
        }
    }

    /** {@code existing} plus {@code statistic} of every array, or null when the report does not collect it. */
    private static Map<String, Double> merged(Map<String, Double> existing, Map<String, INDArray> arrays,
                                              Function<INDArray, Double> statistic) {
        if (existing == null) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>(existing);
        arrays.forEach((key, a) -> out.put(key, statistic.apply(a)));
        return out;
    }

    /** The histogram DL4J's listener computes: {@code bins} equal bins between the array's min and max. */
    private Histogram histogram(INDArray a) {
        org.nd4j.linalg.api.ops.impl.transforms.Histogram op = new org.nd4j.linalg.api.ops.impl.transforms.Histogram(a, bins);
        Nd4j.exec(op);
        INDArray counts = op.getOutputArgument(0);
        int[] count = new int[bins];
        for (int i = 0; i < count.length; i++) {
            count[i] = (int) counts.getDouble(i);
        }
        return new Histogram(a.minNumber().doubleValue(), a.maxNumber().doubleValue(), bins, count);
    }

    @Override
    public void putUpdate(Persistable update) {
        if (update instanceof StatsReport report) {
            addEffectiveWeights(report);
        }
        target.putUpdate(update);
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        updates.forEach(this::putUpdate);
    }

    @Override
    public void putStorageMetaData(StorageMetaData storageMetaData) {
        target.putStorageMetaData(storageMetaData);
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
        target.putStorageMetaData(storageMetaData);
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
        target.putStaticInfo(staticInfo);
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        target.putStaticInfo(staticInfo);
    }
}
