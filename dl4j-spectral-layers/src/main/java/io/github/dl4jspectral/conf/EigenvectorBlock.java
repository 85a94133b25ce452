package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.blocks.BlockJson;
import io.github.dl4jspectral.blocks.DenseBlock;
import io.github.dl4jspectral.blocks.LowRankBlock;
import io.github.dl4jspectral.blocks.PhiBlock;
import io.github.dl4jspectral.blocks.QrBlock;
import io.github.dl4jspectral.blocks.SparseBlock;
import io.github.dl4jspectral.blocks.SvdBlock;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The eigenvector block as one value with a {@link Type} and the fields {@code rank}, {@code density}, {@code seed}:
 * a view of a {@link PhiBlock}, to which everything delegates.
 *
 * @deprecated a block is a {@link PhiBlock} ({@link DenseBlock}, {@link LowRankBlock}, {@link SparseBlock},
 *             {@link SvdBlock}, {@link QrBlock}); {@link #block()} gives it
 */
@Deprecated
public final class EigenvectorBlock implements Serializable {

    /** The kinds of block this view can name. */
    public enum Type { DENSE, LOW_RANK, SPARSE, SVD, QR }

    private final PhiBlock block;

    private EigenvectorBlock(PhiBlock block) {
        this.block = block;
    }

    /** The view of {@code block}. */
    public static EigenvectorBlock of(PhiBlock block) {
        return new EigenvectorBlock(block);
    }

    /** See {@link DenseBlock#dense()}. */
    public static EigenvectorBlock dense() {
        return of(DenseBlock.dense());
    }

    /** See {@link LowRankBlock#LowRankBlock(int)}. */
    public static EigenvectorBlock lowRank(int r) {
        return of(new LowRankBlock(r));
    }

    /** See {@link SparseBlock#SparseBlock(double, long)}. */
    public static EigenvectorBlock sparse(double density, long seed) {
        return of(new SparseBlock(density, seed));
    }

    /** See {@link SvdBlock#SvdBlock()}. */
    public static EigenvectorBlock svd() {
        return of(new SvdBlock());
    }

    /** See {@link QrBlock#QrBlock()}. */
    public static EigenvectorBlock qr() {
        return of(new QrBlock());
    }

    /** The block this view shows. */
    public PhiBlock block() {
        return block;
    }

    /** This block with the JSON field {@code rank} set to {@code k} (LOW_RANK's r, SVD's and QR's pinned width). */
    public EigenvectorBlock withRank(int k) {
        Map<String, Object> properties = new LinkedHashMap<>(block.properties());
        properties.put("rank", k);
        return of(BlockJson.read(block.typeName(), properties));
    }

    /** The block itself: it answers what the layout answered. */
    public PhiBlock layout() {
        return block;
    }

    /** The block's kind; a kind without a constant here has none. */
    public Type getType() {
        return Type.valueOf(block.typeName());
    }

    /** The JSON field {@code rank}: LOW_RANK's r, SVD's and QR's pinned width (0: min(nIn, nOut)); else 0. */
    public int getRank() {
        return ((Number) block.properties().getOrDefault("rank", 0)).intValue();
    }

    /** The JSON field {@code density}: the fraction of phi's entries a SPARSE block keeps (1 otherwise). */
    public double getDensity() {
        return ((Number) block.properties().getOrDefault("density", 1.0)).doubleValue();
    }

    /** The JSON field {@code seed}: the seed of a SPARSE block's support (0 otherwise). */
    public long getSeed() {
        return ((Number) block.properties().getOrDefault("seed", 0L)).longValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EigenvectorBlock b && block.equals(b.block);
    }

    @Override
    public int hashCode() {
        return block.hashCode();
    }

    @Override
    public String toString() {
        return block.toString();
    }
}
