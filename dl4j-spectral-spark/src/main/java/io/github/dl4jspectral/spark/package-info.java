/**
 * Training spectral networks with DL4J's Spark training masters: {@link io.github.dl4jspectral.spark.SpectralSpark}
 * (the Java 17 JVM options, a loopback {@code SparkConf} for local runs and tests, a parameter-averaging training
 * master). The example a user submits with {@code spark-submit} lives in dl4j-spectral-spark-examples.
 * <p>May use: the library; DL4J's {@code dl4j-spark}, Spark.
 */
package io.github.dl4jspectral.spark;
