package io.github.dl4jspectral.spectralize;

import java.util.List;

/**
 * A spectralized network and its conversion report.
 *
 * @param network   the new network (the input network is untouched)
 * @param converted the layers that became spectral layers, in network order
 * @param kept      the layers copied unchanged, in network order, each with the reason
 * @param <N>       {@code MultiLayerNetwork} or {@code ComputationGraph}
 */
public record Spectralized<N>(N network, List<Converted> converted, List<Kept> kept) {

    public Spectralized {
        converted = List.copyOf(converted);
        kept = List.copyOf(kept);
    }

    /**
     * A layer that became a spectral layer.
     *
     * @param layer the layer's name in the network
     * @param from  its DL4J class ({@code DenseLayer} or {@code OutputLayer})
     * @param to    the spectral class it became, with its preset
     * @param notes settings of the original layer that act differently or were not carried over (empty when every
     *              setting carried over with the same meaning)
     */
    public record Converted(String layer, String from, String to, List<String> notes) {
        public Converted {
            notes = List.copyOf(notes);
        }
    }

    /**
     * A layer copied unchanged, parameters included.
     *
     * @param layer  the layer's name in the network
     * @param kind   its DL4J class (for a wrapper, with the wrapped class)
     * @param reason why it was not converted
     */
    public record Kept(String layer, String kind, String reason) {
    }

    /** The report as text: one line per converted layer (with its notes) and per kept layer. */
    public String report() {
        StringBuilder s = new StringBuilder("Spectralized: ").append(converted.size()).append(" converted, ")
                .append(kept.size()).append(" kept\n");
        for (Converted c : converted) {
            s.append("  converted \"").append(c.layer()).append("\": ").append(c.from()).append(" -> ").append(c.to())
                    .append('\n');
            c.notes().forEach(note -> s.append("    note: ").append(note).append('\n'));
        }
        for (Kept k : kept) {
            s.append("  kept \"").append(k.layer()).append("\" (").append(k.kind()).append("): ").append(k.reason())
                    .append('\n');
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return report();
    }
}
