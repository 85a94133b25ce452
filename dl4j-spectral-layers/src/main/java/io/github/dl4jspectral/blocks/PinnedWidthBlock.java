package io.github.dl4jspectral.blocks;

import org.deeplearning4j.exception.DL4JInvalidConfigException;

import java.util.Map;

/**
 * A factored block of the Phys. Rev. E 2021 papers, whose width is k = min(nIn, nOut) unless pinned: a pruned layer
 * keeps its k, since slicing nodes does not change the factors' width. The only setting is the pinned width, JSON name
 * {@code rank} (0: min(nIn, nOut)).
 */
public abstract sealed class PinnedWidthBlock extends FactoredBlock permits SvdBlock, QrBlock {

    private final int pinnedWidth;

    /** @param k the pinned width, or 0 for min(nIn, nOut) (checked when the layer is built: k &gt;= 0) */
    protected PinnedWidthBlock(int k) {
        this.pinnedWidth = k;
    }

    /** The pinned width k, or 0 for min(nIn, nOut). */
    public int pinnedWidth() {
        return pinnedWidth;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("rank", pinnedWidth);
    }

    /** k: the pinned width, or min(nIn, nOut). */
    @Override
    public long width(long nIn, long nOut) {
        return pinnedWidth > 0 ? pinnedWidth : Math.min(nIn, nOut);
    }

    /** Rejects a negative pinned width; {@code block} names the builder method in the message. */
    protected void rejectNegativeWidth(String layer, String block) {
        if (pinnedWidth < 0) {
            throw new DL4JInvalidConfigException(layer + ": " + block + " k = "
                    + pinnedWidth + "; expected k >= 1, or 0 for min(nIn, nOut)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && pinnedWidth == ((PinnedWidthBlock) o).pinnedWidth;
    }

    @Override
    public int hashCode() {
        return 31 * typeName().hashCode() + pinnedWidth;
    }

    @Override
    public String toString() {
        return pinnedWidth > 0 ? typeName() + "(k " + pinnedWidth + ")" : typeName();
    }
}
