/**
 * CSV tables and JFreeChart PNG charts.
 */
package io.github.dl4jspectral.examples.report;
