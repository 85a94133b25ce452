package io.github.dl4jspectral.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SpectralSpark}'s settings, without starting Spark. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpectralSparkTest {

    /**
     * Options of Spark's own list (its launcher's {@code JavaModuleOptions}) that {@link SpectralSpark#JAVA17_OPTIONS}
     * leaves out, each with the reason.
     */
    private static final Map<String, String> NOT_PASSED = Map.of(
            "-XX:+IgnoreUnrecognizedVMOptions", "a JVM flag, not an opening: Java 17 knows every option of the list",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "Spark's off-heap cleaner; this module's tests, "
                    + "local and local-cluster, train without it",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "Kerberos, which no master here uses",
            "-Djdk.reflect.useDirectMethodHandle=false", "a setting of Java 18 and later's reflection");

    @Test
    void java17OptionsAreSparksOwnListExceptTheNamedOnes() {
        List<String> spark = List.of(JavaModuleOptions.defaultModuleOptions().trim().split("\\s+"));
        assertEquals(new HashSet<>(SpectralSpark.JAVA17_OPTIONS).size(), SpectralSpark.JAVA17_OPTIONS.size(),
                "no option twice: " + SpectralSpark.JAVA17_OPTIONS);
        for (String option : SpectralSpark.JAVA17_OPTIONS) {
            assertTrue(spark.contains(option), option + " is not one of Spark's own options " + spark);
        }
        for (String option : spark) {
            assertTrue(SpectralSpark.JAVA17_OPTIONS.contains(option) || NOT_PASSED.containsKey(option),
                    "Spark passes " + option + " to its JVMs; SpectralSpark.JAVA17_OPTIONS lacks it without a reason");
        }
    }

    @Test
    void buildPassesTheJava17OptionsOfSpectralSpark() {
        assertEquals(SpectralSpark.java17Options(), System.getProperty("spark.java17.options"),
                "pom.xml spark.java17.options against SpectralSpark.JAVA17_OPTIONS");
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String option : SpectralSpark.JAVA17_OPTIONS) {
            assertTrue(jvm.contains(option), "this test JVM was started without " + option);
        }
    }

    @Test
    void java17OptionsFollowExistingExecutorOptionsOnce() {
        SparkConf conf = new SparkConf(false).set("spark.executor.extraJavaOptions", "-Xss4m");
        SpectralSpark.withJava17Options(SpectralSpark.withJava17Options(conf));
        assertEquals("-Xss4m " + SpectralSpark.java17Options(), conf.get("spark.executor.extraJavaOptions"));
    }

    @Test
    void executorsGetThePassiveWaitPolicyUnlessTheConfigurationSetsIt() {
        assertEquals("PASSIVE", SpectralSpark.withFastCpu(new SparkConf(false)).get("spark.executorEnv.OMP_WAIT_POLICY"));
        SparkConf own = new SparkConf(false).set("spark.executorEnv.OMP_WAIT_POLICY", "ACTIVE");
        assertEquals("ACTIVE", SpectralSpark.withFastCpu(own).get("spark.executorEnv.OMP_WAIT_POLICY"));
        assertEquals("PASSIVE", SpectralSpark.loopback("local[2]", "test").get("spark.executorEnv.OMP_WAIT_POLICY"));
    }

    @Test
    void loopbackBindsAndAdvertises127001WithoutUi() {
        SparkConf local = SpectralSpark.loopback("local[2]", "test");
        assertEquals("local[2]", local.get("spark.master"));
        assertEquals("127.0.0.1", local.get("spark.driver.host"));
        assertEquals("127.0.0.1", local.get("spark.driver.bindAddress"));
        assertEquals("false", local.get("spark.ui.enabled"));
        assertEquals(SpectralSpark.java17Options(), local.get("spark.executor.extraJavaOptions"));
        assertFalse(local.contains("spark.executor.extraClassPath"), "local mode has no executor JVMs");

        SparkConf cluster = SpectralSpark.loopback("local-cluster[2,1,1024]", "test");
        assertEquals(System.getProperty("java.class.path"), cluster.get("spark.executor.extraClassPath"));

        var error = assertThrows(IllegalArgumentException.class, () -> SpectralSpark.loopback("yarn", "test"));
        assertEquals("SpectralSpark.loopback master: got yarn; expected local[N], local[*] or "
                + "local-cluster[workers,cores,memoryMb]", error.getMessage());
    }

    @Test
    void parameterAveragingTrainsFromTheRddDirectly() {
        ParameterAveragingTrainingMaster master = SpectralSpark.parameterAveraging(2, 1, 15, 2, 42);
        String json = master.toJson();
        assertTrue(json.contains("\"" + RDDTrainingApproach.Direct + "\""), json);
        assertTrue(json.contains("\"" + Repartition.NumPartitionsWorkersDiffers + "\""), json);
        assertEquals(2, master.getNumWorkers());
        assertEquals(2, master.getAveragingFrequency());
    }

    @Test
    void parameterAveragingRejectsNonPositiveSettingsByName() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> SpectralSpark.parameterAveraging(2, 1, 0, 1, 42));
        assertEquals("SpectralSpark.parameterAveraging batchSizePerWorker: got 0; expected at least 1",
                error.getMessage());
    }
}
