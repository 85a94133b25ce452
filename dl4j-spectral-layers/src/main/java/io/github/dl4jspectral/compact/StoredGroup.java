package io.github.dl4jspectral.compact;

import java.util.Arrays;

/**
 * How a compact model file holds one parameter group of one layer.
 *
 * @param layer     the layer: its index in a MultiLayerNetwork, its vertex name in a ComputationGraph
 * @param key       the parameter key ({@code phi}, {@code lambdaIn}, {@code W}, ...)
 * @param shape     the group's shape
 * @param generator for a regenerated group the id of the generator that draws it
 *                  ({@link io.github.dl4jspectral.blocks.SeededDraws#GENERATOR}); {@code null} for a group stored in
 *                  full
 * @param seed      for a regenerated group the layer's initialization seed; {@code null} for a group stored in full
 * @param sha256    the checksum of the group's values ({@code GroupChecksum}), verified when the file is read
 */
public record StoredGroup(String layer, String key, long[] shape, String generator, Long seed, String sha256) {

    /** Whether the file holds only the seed of this group (true) or all its values (false). */
    public boolean regenerated() {
        return seed != null;
    }

    /** The number of values in the group. */
    public long length() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /** "layer 0, group phi [784, 500]" for messages. */
    public String describe() {
        return "layer " + layer + ", group " + key + " " + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredGroup g && layer.equals(g.layer) && key.equals(g.key) && Arrays.equals(shape, g.shape)
                && java.util.Objects.equals(generator, g.generator) && java.util.Objects.equals(seed, g.seed)
                && sha256.equals(g.sha256);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(layer, key, Arrays.hashCode(shape), generator, seed, sha256);
    }

    @Override
    public String toString() {
        return describe() + (regenerated() ? " regenerated from seed " + seed + " (" + generator + ")" : " stored in full")
                + ", sha256 " + sha256;
    }
}
