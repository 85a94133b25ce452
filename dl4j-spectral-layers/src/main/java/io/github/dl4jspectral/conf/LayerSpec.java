package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.blocks.PhiBlock;
import org.deeplearning4j.exception.DL4JInvalidConfigException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A spectral layer's configuration after validation: its description for messages, sizes, bias, settings and block,
 * and the parameter groups with their shapes in flat-layout order. Immutable. Made by {@link #of} (the one
 * validation of a configuration, whoever made it: builder, JSON, setters) and read by the parameter initializer, the
 * runtime layers, pruning, counting, export and the compact file, through {@link SpectralLayerConfig#spec()}, which
 * keeps it until the configuration's sizes, bias, name or settings change.
 *
 * <p>Sizes are checked in two stages because DL4J sets nIn after the builder runs: {@link #checkBuilt()} accepts
 * nIn = 0 (inferred later), {@link #checkSized(String)} runs when the layer is instantiated and needs both sizes.
 * Messages read "where: field = value; expected ...".
 */
public final class LayerSpec {

    private final String where;
    private final long nIn;
    private final long nOut;
    private final boolean hasBias;
    private final SpectralSettings settings;
    private final List<SpectralParam> groups;

    private LayerSpec(String where, long nIn, long nOut, boolean hasBias, SpectralSettings settings) {
        this.where = where;
        this.nIn = nIn;
        this.nOut = nOut;
        this.hasBias = hasBias;
        this.settings = settings;
        List<SpectralParam> all = new ArrayList<>(settings.block().groups());
        all.add(SpectralParam.LAMBDA_IN);
        all.add(SpectralParam.LAMBDA_OUT);
        if (hasBias) {
            all.add(SpectralParam.BIAS);
        }
        this.groups = Collections.unmodifiableList(all);
    }

    /**
     * Validates {@code layer}'s spectral settings as the builder does ({@link SpectralSettings#validate}), for a
     * configuration from any source; messages start with {@link SpectralLayerConfig#describe()}.
     *
     * @throws DL4JInvalidConfigException if the settings are missing or invalid
     */
    public static LayerSpec of(SpectralLayerConfig layer) {
        return of(layer, layer.describe());
    }

    /** As {@link #of(SpectralLayerConfig)} with messages starting with {@code where}. */
    public static LayerSpec of(SpectralLayerConfig layer, String where) {
        SpectralSettings settings = layer.getSpectral();
        if (settings == null) {
            throw new DL4JInvalidConfigException(where + ": spectral settings missing (\"spectral\": null); expected a "
                    + "SpectralSettings (build the layer with its Builder, or give the JSON a \"spectral\" object)");
        }
        return new LayerSpec(where, layer.getNIn(), layer.getNOut(), layer.hasBias(),
                settings.validate(where, layer.hasBias()));
    }

    /** {@code previous} if it still describes {@code layer} (same name, sizes, bias and settings), else {@link #of}. */
    public static LayerSpec current(LayerSpec previous, SpectralLayerConfig layer) {
        return previous != null && previous.describes(layer) ? previous : of(layer);
    }

    /** Whether this spec was made from a configuration with {@code layer}'s name, sizes, bias and settings. */
    public boolean describes(SpectralLayerConfig layer) {
        return nIn == layer.getNIn() && nOut == layer.getNOut() && hasBias == layer.hasBias()
                && settings == layer.getSpectral() && where.equals(layer.describe());
    }

    /** Checks the sizes as the builder knows them: nIn &gt;= 0 (0: inferred later), nOut &gt; 0, the block's settings. */
    public LayerSpec checkBuilt() {
        if (nIn < 0) {
            throw new DL4JInvalidConfigException(where + ": nIn = " + nIn
                    + "; expected nIn > 0, or 0 to infer it from the input type");
        }
        if (nOut <= 0) {
            throw new DL4JInvalidConfigException(where + ": nOut = " + nOut + "; expected nOut > 0");
        }
        settings.block().validate(where, nIn, nOut);
        return this;
    }

    /**
     * Checks that the sizes are known and fit the block (e.g. a LOW_RANK r against an nIn inferred after the builder
     * ran), for a layer being instantiated or added to a SameDiff graph.
     *
     * @param at the layer's description for these messages, e.g. {@code SpectralDenseLayer "h" (layer index 0)}
     */
    public LayerSpec checkSized(String at) {
        if (nIn <= 0) {
            throw new DL4JInvalidConfigException(at + ": nIn = " + nIn
                    + "; expected nIn > 0 (set nIn, or setInputType(...) on the network configuration)");
        }
        if (nOut <= 0) {
            throw new DL4JInvalidConfigException(at + ": nOut = " + nOut + "; expected nOut > 0");
        }
        settings.block().validate(at, nIn, nOut);
        return this;
    }

    /** The layer's description for messages, e.g. {@code SpectralDenseLayer "hidden"}. */
    public String where() {
        return where;
    }

    public long nIn() {
        return nIn;
    }

    public long nOut() {
        return nOut;
    }

    public boolean hasBias() {
        return hasBias;
    }

    /** The validated spectral settings. */
    public SpectralSettings settings() {
        return settings;
    }

    /** The eigenvector block. */
    public PhiBlock block() {
        return settings.block();
    }

    /** The groups the layer has, in flat-layout order: the block's, lambdaIn, lambdaOut, then b if it has a bias. */
    public List<SpectralParam> groups() {
        return groups;
    }

    /** The parameter keys of {@link #groups()}, in the same order. */
    public List<String> keys() {
        return groups.stream().map(SpectralParam::key).toList();
    }

    /** Shape of {@code group}: the block's for its groups, [1, nIn] for lambdaIn, [1, nOut] for lambdaOut and b. */
    public long[] shape(SpectralParam group) {
        if (group.isEigenvectorBlock()) {
            return block().shape(group, nIn, nOut);
        }
        return new long[]{1, group == SpectralParam.LAMBDA_IN ? nIn : nOut};
    }

    /** Number of values in {@code group}. */
    public long size(SpectralParam group) {
        return PhiBlock.size(shape(group));
    }

    /** Number of values in all groups, trained and frozen. */
    public long totalSize() {
        return groups.stream().mapToLong(this::size).sum();
    }

    @Override
    public String toString() {
        return where + ": nIn=" + nIn + ", nOut=" + nOut + ", hasBias=" + hasBias + ", " + settings + ", groups="
                + Arrays.toString(keys().toArray());
    }
}
