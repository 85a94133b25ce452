package io.github.dl4jspectral.spark;

import org.apache.spark.SparkConf;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

import java.util.List;

/**
 * What a spectral network needs to train with DL4J's Spark training ({@code SparkDl4jMultiLayer},
 * {@code SparkComputationGraph}) on Java 17 and DL4J 1.0.0-M2.1:
 * <ul>
 *   <li>{@link #JAVA17_OPTIONS}: the {@code --add-opens} flags Spark's and Kryo's reflection into {@code java.base}
 *       needs, on the driver's JVM command line and in {@code spark.executor.extraJavaOptions}
 *       ({@link #withJava17Options});</li>
 *   <li>{@link #withFastCpu}: {@code OMP_WAIT_POLICY=PASSIVE} in the executors' environment, so that ND4J's idle
 *       OpenMP threads do not spin there;</li>
 *   <li>{@link #loopback}: a {@code SparkConf} for local runs and tests ({@code local[N]} or
 *       {@code local-cluster[...]}) that binds and advertises 127.0.0.1 only and starts no web UI;</li>
 *   <li>{@link #parameterAveraging}: DL4J's synchronous parameter averaging with the settings that work here
 *       ({@link RDDTrainingApproach#Direct}, no asynchronous prefetch).</li>
 * </ul>
 * Parameter averaging sets each parameter to the mean of the workers' copies. A frozen group (phi in preset
 * EIGENVALUES) is the same number {@code a} on every worker; with 2 workers the mean {@code (a + a) / 2} is
 * {@code a} bit for bit, with 3 the rounding of {@code a + a + a} can move it by about 1e-16.
 */
public final class SpectralSpark {

    /**
     * The JVM options Spark 3.3+ itself passes to its JVMs on Java 17 (Spark's {@code JavaModuleOptions}): java.base's
     * java.lang, java.lang.invoke, java.lang.reflect, java.io, java.net, java.nio, java.util, java.util.concurrent,
     * java.util.concurrent.atomic, sun.nio.ch, sun.nio.cs, sun.security.action and sun.util.calendar opened to the
     * class path.
     */
    public static final List<String> JAVA17_OPTIONS = List.of(
            "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
            "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action",
            "sun.util.calendar").stream().map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

    /** The loopback address every Spark endpoint of {@link #loopback} binds to and advertises. */
    public static final String LOOPBACK = "127.0.0.1";

    static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";
    static final String EXECUTOR_WAIT_POLICY = "spark.executorEnv.OMP_WAIT_POLICY";

    private SpectralSpark() {
    }

    /** {@link #JAVA17_OPTIONS} as one string, as {@code spark-submit --driver-java-options} takes them. */
    public static String java17Options() {
        return String.join(" ", JAVA17_OPTIONS);
    }

    /**
     * Adds {@link #JAVA17_OPTIONS} to {@code spark.executor.extraJavaOptions} of {@code conf} (after any options
     * already there) and returns {@code conf}. The driver's own JVM must be started with them: they cannot be set
     * from inside it.
     */
    public static SparkConf withJava17Options(SparkConf conf) {
        String existing = conf.get(EXECUTOR_JAVA_OPTIONS, "").trim();
        String options = java17Options();
        if (!existing.contains(options)) {
            conf.set(EXECUTOR_JAVA_OPTIONS, existing.isEmpty() ? options : existing + " " + options);
        }
        return conf;
    }

    /**
     * Sets {@code spark.executorEnv.OMP_WAIT_POLICY=PASSIVE} unless {@code conf} sets that variable already, and
     * returns {@code conf}. Executors then start with ND4J's fast CPU configuration in their environment, whatever
     * their class path: the library also sets the variable inside each JVM before ND4J loads
     * ({@code io.github.dl4jspectral.cpu.CpuSpeed}), which needs its {@code META-INF/services} entry to survive
     * the packaging of the application jar. The driver is the JVM the user starts: there the library's in-process
     * setting applies, or the variable in the driver's environment.
     */
    public static SparkConf withFastCpu(SparkConf conf) {
        if (!conf.contains(EXECUTOR_WAIT_POLICY)) {
            conf.set(EXECUTOR_WAIT_POLICY, "PASSIVE");
        }
        return conf;
    }

    /**
     * A configuration for a Spark master on this machine ({@code local[N]}, or {@code local-cluster[workers, cores,
     * memoryMb]}, whose executors are separate JVMs): driver host and bind address 127.0.0.1, no web UI,
     * {@link #JAVA17_OPTIONS} and {@link #withFastCpu} for the executors, and, for {@code local-cluster}, this JVM's class path as the
     * executors' class path. Executors of {@code local-cluster} also need the environment variables
     * {@code SPARK_HOME} (a directory with a {@code jars} subdirectory, which may be empty: Spark's launcher
     * wants one) and {@code SPARK_SCALA_VERSION=2.12}, and
     * {@code SPARK_LOCAL_IP=127.0.0.1} so that the master, the workers and the executors bind loopback too.
     *
     * @throws IllegalArgumentException if {@code master} does not start with "local"
     */
    public static SparkConf loopback(String master, String appName) {
        if (master == null || !master.startsWith("local")) {
            throw new IllegalArgumentException("SpectralSpark.loopback master: got " + master
                    + "; expected local[N], local[*] or local-cluster[workers,cores,memoryMb]");
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.driver.host", LOOPBACK)
                .set("spark.driver.bindAddress", LOOPBACK)
                .set("spark.ui.enabled", "false");
        if (master.startsWith("local-cluster")) {
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        return withFastCpu(withJava17Options(conf));
    }

    /**
     * DL4J's synchronous parameter averaging: each of {@code workers} workers fits {@code averagingFrequency}
     * minibatches of {@code batchSizePerWorker} examples from its partition, then the driver averages parameters and
     * updater state and sends them back out. Data is trained straight from the RDD ({@link RDDTrainingApproach#Direct};
     * DL4J's default, Export, first writes it to a file system every executor must see, and refuses a local one on
     * {@code local-cluster}); the data is shuffled into new partitions only when their number differs from
     * {@code workers} (DL4J's default shuffles before every split); no asynchronous prefetch; the RDD is split into
     * averaging rounds with {@code seed}.
     *
     * @param examplesPerDataSet how many examples each {@code DataSet} of the training RDD holds (1 for
     *                           {@code DataSet.asList()})
     * @throws IllegalArgumentException naming the argument if one is below 1
     */
    public static ParameterAveragingTrainingMaster parameterAveraging(int workers, int examplesPerDataSet,
                                                                      int batchSizePerWorker, int averagingFrequency,
                                                                      long seed) {
        requirePositive("workers", workers);
        requirePositive("examplesPerDataSet", examplesPerDataSet);
        requirePositive("batchSizePerWorker", batchSizePerWorker);
        requirePositive("averagingFrequency", averagingFrequency);
        return new ParameterAveragingTrainingMaster.Builder(workers, examplesPerDataSet)
                .batchSizePerWorker(batchSizePerWorker)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .rngSeed(seed)
                .build();
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("SpectralSpark.parameterAveraging " + name + ": got " + value
                    + "; expected at least 1");
        }
    }
}
