/**
 * The Spark example: {@link io.github.dl4jspectral.examples.spark.SparkIrisExample}, run locally with
 * {@code exec:exec} or submitted with {@code spark-submit}.
 * <p>May use: the library, dl4j-spectral-spark, dl4j-spectral-experiments; DL4J (with its {@code dl4j-spark}), Spark.
 */
package io.github.dl4jspectral.examples.spark;
