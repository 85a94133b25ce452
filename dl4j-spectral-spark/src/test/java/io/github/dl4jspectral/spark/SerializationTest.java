package io.github.dl4jspectral.spark;

import io.github.dl4jspectral.conf.SpectralLayerConfig;
import io.github.dl4jspectral.zoo.ModelSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.reflect.ClassTag$;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/**
 * What Spark ships to executors, round-tripped through both of Spark's serializers as configured for DL4J (Java, and
 * Kryo with ND4J's {@code Nd4jRegistrator}): spectral configurations of every eigenvector block (native and SameDiff),
 * as a network and as a graph, the parameters and a minibatch.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SerializationTest {

    private static final List<String> MODELS = List.of("eigenvalues", "full", "svd", "qr", "low-rank-4", "sparse-0.5",
            "magnitude-0.5", "samediff-eigenvalues");

    private static List<Serializer> serializers() {
        SparkConf conf = new SparkConf().set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        return List.of(new JavaSerializer(conf), new KryoSerializer(conf));
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(Serializer serializer, T value) {
        SerializerInstance instance = serializer.newInstance();
        var tag = ClassTag$.MODULE$.<T>apply(value.getClass());
        return (T) instance.deserialize(instance.serialize(value, tag), tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void spectralConfigurationsSurviveSparkSerialization(String which) {
        Serializer serializer = serializers().get(which.equals("java") ? 0 : 1);
        for (String model : MODELS) {
            MultiLayerConfiguration conf = ModelSpec.parse(model).configuration(4, 6, 3, Activation.TANH, 0.01, 7);
            MultiLayerConfiguration back = roundTrip(serializer, conf);
            assertNotSame(conf, back);
            assertEquals(conf, back, model);
            assertEquals(conf.toJson(), back.toJson(), model);
            for (NeuralNetConfiguration layer : back.getConfs()) {
                if (layer.getLayer() instanceof SpectralLayerConfig spectral) {
                    SpectralLayerConfig original = (SpectralLayerConfig) conf.getConf(back.getConfs().indexOf(layer)).getLayer();
                    assertEquals(original.getSpectral(), spectral.getSpectral(), model);
                }
            }
            assertInstanceOf(SpectralLayerConfig.class, back.getConf(0).getLayer(), model);

            ComputationGraphConfiguration graph = ModelSpec.parse(model).network(4, 6, 3, Activation.TANH, 0.01, 7)
                    .toComputationGraph().getConfiguration();
            assertEquals(graph.toJson(), roundTrip(serializer, graph).toJson(), model + " as a graph");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void parametersAndMinibatchesSurviveSparkSerialization(String which) {
        Serializer serializer = serializers().get(which.equals("java") ? 0 : 1);
        MultiLayerNetwork network = ModelSpec.of(ModelSpec.Kind.FULL).network(4, 6, 3, Activation.TANH, 0.01, 7);
        INDArray params = network.params();
        assertArrayEquals(params.dup().data().asDouble(), roundTrip(serializer, params.dup()).data().asDouble());
        DataSet batch = IrisRuns.split(1).getTest();
        DataSet back = roundTrip(serializer, batch);
        assertEquals(batch.getFeatures(), back.getFeatures());
        assertEquals(batch.getLabels(), back.getLabels());
    }

}
