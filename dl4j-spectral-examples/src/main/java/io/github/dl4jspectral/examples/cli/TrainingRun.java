package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.count.ParameterCounts;
import io.github.dl4jspectral.zoo.ModelSpec;
import io.github.dl4jspectral.training.Trainer;
import io.github.dl4jspectral.examples.ui.TrainingUi;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Builds, trains (with a progress bar) and scores one model of a subcommand. */
final class TrainingRun {

    /** A trained model and its figures. */
    record Trained(ModelSpec spec, double learningRate, MultiLayerNetwork network, ParameterCounts counts,
                   double secondsPerEpoch, double testAccuracy) {
    }

    private TrainingRun() {
    }

    /** @param learningRate Adam's rate, or null for the model's default */
    static Trained run(ModelSpec spec, Double learningRate, DataOptions options, DataOptions.Data data, TrainingUi ui) {
        double rate = learningRate != null ? learningRate : spec.defaultLearningRate();
        MultiLayerNetwork network = spec.network(784, options.hidden, 10, options.activation, rate, options.seed);
        if (ui != null) {
            ui.attach(network, spec.name());
        }
        Trainer.Timing timing;
        try (ProgressBar bar = new ProgressBar(spec.name(), options.epochs, options.batchesPerEpoch(data))) {
            timing = Trainer.fit(network, options.training(data), options.epochs, bar);
        }
        double accuracy = Trainer.accuracy(network, options.test(data));
        return new Trained(spec, rate, network, ParameterCounts.of(network), timing.secondsPerEpoch(), accuracy);
    }
}
