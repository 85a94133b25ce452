/**
 * Starting DL4J's training UI for a network.
 */
package io.github.dl4jspectral.examples.ui;
