package io.github.dl4jspectral;

import io.github.dl4jspectral.testing.IrisData;
import io.github.dl4jspectral.testing.Nets;
import io.github.dl4jspectral.conf.SpectralDenseLayer;
import io.github.dl4jspectral.conf.SpectralOutputLayer;
import io.github.dl4jspectral.conf.SpectralPreset;
import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.count.SpectralSummary;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.ClassificationScoreCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** summary(), memory reports, TransferLearning, EarlyStoppingTrainer and parameter counts. */
class Dl4jIntegrationTest {

    private static MultiLayerNetwork network(int nIn, int hidden, int nOut, SpectralPreset preset) {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.doubles(3).updater(new Adam(0.05)).list()
                .layer(new SpectralDenseLayer.Builder().nOut(hidden).activation(Activation.TANH).preset(preset).build())
                .layer(new SpectralOutputLayer.Builder().nOut(nOut).preset(preset).build())
                .setInputType(InputType.feedForward(nIn)).build());
        net.init();
        return net;
    }

    @Test
    void parameterCountsSeparateTrainableFromFrozen() {
        MultiLayerNetwork net = network(784, 500, 10, SpectralPreset.EIGENVALUES);
        assertEquals(new ParameterCounts(784 + 500 + 500, 784 * 500), ParameterCounts.of(net.getLayer(0).conf().getLayer()));
        ParameterCounts total = ParameterCounts.of(net);
        assertEquals(784 + 2 * 500 + 500 + 2 * 10, total.trainable());
        assertEquals(784 * 500 + 500 * 10, total.frozen());
        assertEquals(net.numParams(), total.total());
        String table = SpectralSummary.of(net);
        assertTrue(table.contains("preset EIGENVALUES") && table.contains("392,000") && table.contains("1,784"), table);

        MultiLayerNetwork full = network(784, 500, 10, SpectralPreset.FULL);
        assertEquals(new ParameterCounts(full.numParams(), 0), ParameterCounts.of(full));
        MultiLayerNetwork outOnly = network(784, 500, 10, SpectralPreset.EIGENVALUES_OUT);
        assertEquals(2 * 500 + 2 * 10, ParameterCounts.of(outOnly).trainable());
    }

    @Test
    void summaryAndMemoryReportDescribeTheNetwork() {
        MultiLayerNetwork net = network(784, 500, 10, SpectralPreset.EIGENVALUES);
        String summary = net.summary();
        assertTrue(summary.contains("SpectralDenseLayer") && summary.contains("SpectralOutputLayer"), summary);
        assertTrue(summary.contains("phi:{784,500}") && summary.contains("lambdaIn:{1,784}"), summary);
        assertTrue(summary.contains(String.format("%,d", net.numParams())), summary);

        MemoryReport report = net.getLayerWiseConfigurations().getMemoryReport(InputType.feedForward(784));
        assertTrue(report.toString().contains("SpectralDenseLayer"), report.toString());
        assertTrue(report.getTotalMemoryBytes(32, org.deeplearning4j.nn.conf.memory.MemoryUseMode.TRAINING,
                org.deeplearning4j.nn.conf.CacheMode.NONE, DataType.FLOAT) > 4L * net.numParams());
    }

    @Test
    void transferLearningFreezesFineTunesAndReplacesNOut() {
        MultiLayerNetwork net = network(4, 6, 3, SpectralPreset.FULL);
        DataSet data = new DataSet(Nets.features(DataType.DOUBLE, 1, 10, 4), Nets.oneHot(DataType.DOUBLE, 1, 10, 3));

        MultiLayerNetwork extractor = new TransferLearning.Builder(net)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(0.1)).build())
                .setFeatureExtractor(0).build();
        INDArray frozenBefore = extractor.getLayer(0).params().dup();
        INDArray trainedBefore = extractor.getLayer(1).params().dup();
        extractor.fit(data);
        assertEquals(frozenBefore, extractor.getLayer(0).params());
        assertNotEquals(trainedBefore, extractor.getLayer(1).params());
        assertEquals(new ParameterCounts(0, 6 * 4 + 4 + 2 * 6), ParameterCounts.perLayer(extractor).get("layer0"));
        assertEquals(ParameterCounts.of(net).total(), ParameterCounts.of(extractor).total());
        assertInstanceOf(Sgd.class, extractor.getLayer(1).conf().getLayer().getUpdaterByParam("phi"));

        MultiLayerNetwork eigenvalues = network(4, 6, 3, SpectralPreset.EIGENVALUES);
        MultiLayerNetwork fineTuned = new TransferLearning.Builder(eigenvalues)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Sgd(0.1)).l2(0.01).build()).build();
        var hidden = fineTuned.getLayer(0).conf().getLayer();
        assertInstanceOf(NoOp.class, hidden.getUpdaterByParam("phi"), "fine-tuning keeps frozen groups frozen");
        assertInstanceOf(Sgd.class, hidden.getUpdaterByParam("lambdaIn"));
        INDArray phiBefore = fineTuned.getParam("0_phi").dup();
        fineTuned.fit(data);
        assertEquals(phiBefore, fineTuned.getParam("0_phi"));

        MultiLayerNetwork wider = new TransferLearning.Builder(net).nOutReplace(0, 9, WeightInit.XAVIER).build();
        assertArrayEquals(new long[]{4, 9}, wider.getParam("0_phi").shape());
        assertArrayEquals(new long[]{1, 9}, wider.getParam("0_lambdaOut").shape());
        assertArrayEquals(new long[]{9, 3}, wider.getParam("1_phi").shape());
        assertArrayEquals(new long[]{1, 9}, wider.getParam("1_lambdaIn").shape());
        double before = wider.score(data);
        for (int i = 0; i < 20; i++) {
            wider.fit(data);
        }
        assertTrue(wider.score(data) < before, "the replaced network trains");
    }

    @Test
    void earlyStoppingTrainerKeepsTheBestSpectralModel() {
        DataSet iris = IrisData.load(DataType.DOUBLE);
        iris.shuffle(1);
        var split = iris.splitTestAndTrain(120);
        var train = new ListDataSetIterator<>(split.getTrain().asList(), 20);
        var validation = new ListDataSetIterator<>(split.getTest().asList(), 30);
        EarlyStoppingConfiguration<MultiLayerNetwork> config = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(8))
                .scoreCalculator(new ClassificationScoreCalculator(Evaluation.Metric.ACCURACY, validation))
                .modelSaver(new InMemoryModelSaver<>()).build();

        EarlyStoppingResult<MultiLayerNetwork> result =
                new EarlyStoppingTrainer(config, network(4, 8, 3, SpectralPreset.EIGENVALUES), train).fit();

        assertEquals(8, result.getTotalEpochs());
        MultiLayerNetwork best = result.getBestModel();
        assertInstanceOf(SpectralDenseLayer.class, best.getLayer(0).conf().getLayer());
        // M2.1's EarlyStoppingResult.getBestModelScore() reports the restored copy's score(), not the epoch's.
        double bestScore = result.getScoreVsEpoch().get(result.getBestModelEpoch());
        assertEquals(bestScore, best.evaluate(validation).accuracy(), 1e-9, "the saved best model is the one that scored best");
        assertEquals(java.util.Collections.max(result.getScoreVsEpoch().values()), bestScore, 0.0,
                "the best epoch's score is the highest: " + result.getScoreVsEpoch());
        assertTrue(bestScore > result.getScoreVsEpoch().get(0), "the network learns: " + result.getScoreVsEpoch());
    }

    @Test
    void computationGraphCountsAndPlainOutputLayerNeighbours() {
        ComputationGraph graph = new ComputationGraph(Nets.doubles(1).graphBuilder().addInputs("in")
                .addLayer("spectral", new SpectralDenseLayer.Builder().nOut(5).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build(), "spectral")
                .setOutputs("out").setInputTypes(InputType.feedForward(3)).build());
        graph.init();
        Map<String, ParameterCounts> counts = ParameterCounts.perLayer(graph);
        assertEquals(new ParameterCounts(3 + 5 + 5, 15), counts.get("spectral"));
        assertEquals(new ParameterCounts(5 * 2 + 2, 0), counts.get("out"));
        assertEquals(graph.numParams(), ParameterCounts.of(graph).total());
    }
}
