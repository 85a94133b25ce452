/**
 * The demo command line ({@code SpectralDemo}: compare, train, prune, export).
 */
package io.github.dl4jspectral.examples.cli;
