/**
 * Starting DL4J's training UI for a network.
 * <p>May use: DL4J's UI (deeplearning4j-ui).
 */
package io.github.dl4jspectral.examples.ui;
