package io.github.dl4jspectral.samediff;

import org.nd4j.autodiff.samediff.SameDiff;

import java.io.PrintStream;

/**
 * Creates a SameDiff graph's gradient function without the line per differentiated op ("Added differentiated op
 * ...") that ND4J 1.0.0-M2.1's {@link SameDiff#createGradFunction(String...)} prints to {@code System.out}: the print
 * is unconditional, no log level or setting turns it off. While the function is created, {@code System.out} is a
 * stream that drops exactly those lines when the creating thread prints them and passes everything else (other
 * lines, other threads) to the stream that was there; then that stream is put back, unless someone replaced
 * {@code System.out} meanwhile. Calls are serialized, so that each one restores the stream it found.
 */
final class QuietGradientFunction {

    private static final String SAMEDIFF_LINE = "Added differentiated op ";

    private QuietGradientFunction() {
    }

    /** {@code graph.createGradFunction(variablesRequiringGradients)}, without SameDiff's lines on System.out. */
    static synchronized void create(SameDiff graph, String... variablesRequiringGradients) {
        PrintStream original = System.out;
        Thread creator = Thread.currentThread();
        PrintStream filter = new PrintStream(original, true) {
            @Override
            public void println(String line) {
                if (Thread.currentThread() != creator || line == null || !line.startsWith(SAMEDIFF_LINE)) {
                    original.println(line);
                }
            }
        };
        System.setOut(filter);
        try {
            graph.createGradFunction(variablesRequiringGradients);
        } finally {
            if (System.out == filter) {
                System.setOut(original);
            }
        }
    }
}
