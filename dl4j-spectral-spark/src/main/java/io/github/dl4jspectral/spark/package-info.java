/**
 * Training spectral networks with DL4J's Spark training masters: {@link io.github.dl4jspectral.spark.SpectralSpark}
 * (the Java 17 JVM options, a loopback {@code SparkConf} for local runs and tests, a parameter-averaging training
 * master) and {@link io.github.dl4jspectral.spark.SparkIrisExample}, the example a user submits with
 * {@code spark-submit}. May use the library, the zoo (Iris, model zoo), DL4J's {@code dl4j-spark} and Spark.
 */
package io.github.dl4jspectral.spark;
