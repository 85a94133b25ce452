package io.github.dl4jspectral.conf;

import io.github.dl4jspectral.blocks.BlockJson;
import io.github.dl4jspectral.blocks.DenseBlock;
import io.github.dl4jspectral.blocks.PhiBlock;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;
import org.nd4j.shade.jackson.databind.annotation.JsonSerialize;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The spectral part of a layer's configuration: which parameter groups are trained, the preset they
 * came from (if any) and the initialization. Immutable; shared by {@link SpectralDenseLayer} and
 * {@link SpectralOutputLayer} and serialized inside their JSON.
 *
 * <p>A frozen group gets no update of any kind: its gradient is zero, its updater is DL4J's
 * {@code NoOp} (no updater state), and it has no regularization and no constraint.
 */
public final class SpectralSettings implements Serializable {

    /** EIGENVALUES preset, variance-matched initialization. */
    public static final SpectralSettings DEFAULT =
            new SpectralSettings(SpectralPreset.EIGENVALUES, true, true, false, true, SpectralInit.varianceMatched(),
                    DenseBlock.dense(), 0, null);

    private final SpectralPreset preset;
    private final boolean trainLambdaIn;
    private final boolean trainLambdaOut;
    private final boolean trainPhi;
    private final boolean trainBias;
    private final SpectralInit init;
    @JsonProperty("block")
    @JsonSerialize(using = BlockJson.Writer.class)
    @JsonDeserialize(using = BlockJson.Reader.class)
    private final PhiBlock block;
    private final double magnitudeSparsity;
    private final Long initSeed;
    /** Which {@link #validate} calls passed: bit 1 with a bias, bit 2 without (the settings are immutable). */
    private transient volatile int validated;

    @JsonCreator
    SpectralSettings(@JsonProperty("preset") SpectralPreset preset,
                     @JsonProperty("trainLambdaIn") boolean trainLambdaIn,
                     @JsonProperty("trainLambdaOut") boolean trainLambdaOut,
                     @JsonProperty("trainPhi") boolean trainPhi,
                     @JsonProperty("trainBias") boolean trainBias,
                     @JsonProperty("init") SpectralInit init,
                     @JsonProperty("block") @JsonDeserialize(using = BlockJson.Reader.class) PhiBlock block,
                     @JsonProperty("magnitudeSparsity") double magnitudeSparsity,
                     @JsonProperty("initSeed") Long initSeed) {
        this.preset = preset;
        this.trainLambdaIn = trainLambdaIn;
        this.trainLambdaOut = trainLambdaOut;
        this.trainPhi = trainPhi;
        this.trainBias = trainBias;
        this.init = init == null ? SpectralInit.varianceMatched() : init;
        this.block = block == null ? DenseBlock.dense() : block;
        this.magnitudeSparsity = magnitudeSparsity;
        this.initSeed = initSeed;
    }

    /** The preset the layer was configured with, or {@code null} for a custom combination of groups. */
    public SpectralPreset getPreset() {
        return preset;
    }

    public boolean isTrainLambdaIn() {
        return trainLambdaIn;
    }

    public boolean isTrainLambdaOut() {
        return trainLambdaOut;
    }

    public boolean isTrainPhi() {
        return trainPhi;
    }

    /** Whether the bias is trained (false also when the layer has no bias). */
    public boolean isTrainBias() {
        return trainBias;
    }

    public SpectralInit getInit() {
        return init;
    }

    /** The eigenvector block: how phi is stored and multiplied. */
    public PhiBlock block() {
        return block;
    }

    /**
     * The eigenvector block as the legacy view.
     *
     * @deprecated use {@link #block()}
     */
    @Deprecated
    @org.nd4j.shade.jackson.annotation.JsonIgnore
    public EigenvectorBlock getBlock() {
        return EigenvectorBlock.of(block);
    }

    /**
     * The fraction of the effective weights set to zero at every forward pass, the smallest |W| first (Phys. Rev. E
     * 2021 sparse networks; see {@link io.github.dl4jspectral.layers.MagnitudeSparsity}); 0 (default) for none.
     */
    public double getMagnitudeSparsity() {
        return magnitudeSparsity;
    }

    /**
     * The seed of the layer's initial values, or {@code null} while none is chosen. All of the layer's random initial
     * values are drawn in plain Java from it ({@link io.github.dl4jspectral.blocks.SeededDraws}), so a frozen random
     * group can be regenerated bit for bit from the configuration. Set by {@code initSeed(long)} on the layer's
     * builder; otherwise chosen when the network is initialized, from the network's seed and the layer's index
     * ({@link SpectralLayerSupport#instantiate}), and recorded here, so that the saved configuration regenerates the
     * same numbers.
     */
    public Long getInitSeed() {
        return initSeed;
    }

    /** These settings with the initialization seed {@code seed}. */
    public SpectralSettings withInitSeed(long seed) {
        return with(f -> f.initSeed = seed);
    }

    /** Whether {@code group} is trained (the eigenvector block's groups follow trainPhi, its fixed factors never train). */
    public boolean trains(SpectralParam group) {
        if (group.isEigenvectorBlock()) {
            return trainPhi && !group.isFixedFactor();
        }
        return switch (group) {
            case LAMBDA_IN -> trainLambdaIn;
            case LAMBDA_OUT -> trainLambdaOut;
            default -> trainBias;
        };
    }

    /**
     * The updater of {@code group}: DL4J's NoOp (which keeps no state) for a frozen group, {@code bias} (if set)
     * for the bias, {@code weights} otherwise.
     */
    public IUpdater updater(SpectralParam group, IUpdater weights, IUpdater bias) {
        if (!trains(group)) {
            return new NoOp();
        }
        return group == SpectralParam.BIAS && bias != null ? bias : weights;
    }

    /** The regularization of {@code group}: none for a frozen group, {@code bias} for the bias, {@code weights} otherwise. */
    public List<Regularization> regularization(SpectralParam group, List<Regularization> weights, List<Regularization> bias) {
        if (!trains(group)) {
            return Collections.emptyList();
        }
        return group == SpectralParam.BIAS ? bias : weights;
    }

    /** Whether the group with parameter key {@code key} ("phi", "lambdaIn", ...) is trained. */
    public boolean trains(String key) {
        return trains(SpectralParam.forKey(key).orElseThrow(() -> new IllegalArgumentException(
                "unknown spectral parameter key \"" + key + "\"; expected one of "
                + java.util.Arrays.stream(SpectralParam.values()).map(SpectralParam::key).toList())));
    }

    /** The trained groups among phi, lambdaIn, lambdaOut and b (phiU and phiV follow phi). */
    public Set<SpectralParam> trainableGroups() {
        EnumSet<SpectralParam> groups = EnumSet.noneOf(SpectralParam.class);
        for (SpectralParam p : List.of(SpectralParam.PHI, SpectralParam.LAMBDA_IN, SpectralParam.LAMBDA_OUT, SpectralParam.BIAS)) {
            if (trains(p)) {
                groups.add(p);
            }
        }
        return groups;
    }

    /**
     * These settings with the eigenvector block trainable too (pruning's pre-processing strategy): preset
     * EIGENVALUES becomes FULL, any other combination a custom one with phi added; initialization and
     * block are kept.
     */
    public SpectralSettings withPhiTrainable() {
        SpectralPreset next = preset == SpectralPreset.EIGENVALUES || preset == SpectralPreset.FULL ? SpectralPreset.FULL : null;
        return with(f -> {
            f.preset = next;
            f.trainPhi = true;
        });
    }

    /** These settings with another eigenvector block (pruning: a sliced block). */
    public SpectralSettings withBlock(PhiBlock newBlock) {
        return with(f -> f.block = Objects.requireNonNull(newBlock, "block"));
    }

    /**
     * These settings with another eigenvector block.
     *
     * @deprecated use {@link #withBlock(PhiBlock)}
     */
    @Deprecated
    public SpectralSettings withBlock(EigenvectorBlock newBlock) {
        return withBlock(newBlock.block());
    }

    /** The settings' fields, to copy with changes ({@link #with}). */
    private static final class Fields {
        SpectralPreset preset;
        boolean trainLambdaIn;
        boolean trainLambdaOut;
        boolean trainPhi;
        boolean trainBias;
        SpectralInit init;
        PhiBlock block;
        double magnitudeSparsity;
        Long initSeed;
    }

    private SpectralSettings(Fields f) {
        this(f.preset, f.trainLambdaIn, f.trainLambdaOut, f.trainPhi, f.trainBias, f.init, f.block, f.magnitudeSparsity,
                f.initSeed);
    }

    /** A copy of these settings with {@code change} applied to its fields. */
    private SpectralSettings with(Consumer<Fields> change) {
        Fields f = new Fields();
        f.preset = preset;
        f.trainLambdaIn = trainLambdaIn;
        f.trainLambdaOut = trainLambdaOut;
        f.trainPhi = trainPhi;
        f.trainBias = trainBias;
        f.init = init;
        f.block = block;
        f.magnitudeSparsity = magnitudeSparsity;
        f.initSeed = initSeed;
        change.accept(f);
        return new SpectralSettings(f);
    }

    /**
     * Checks these settings for a layer with or without a bias: the one validation of the spectral settings, run by
     * the builder ({@link Builder#build}) and by {@link LayerSpec#of} for every configuration (also one loaded from
     * JSON or Java serialization, or changed through setters). A check that passed is remembered by the (immutable)
     * settings and not repeated. It rejects
     * <ul>
     *   <li>a trainability flag that contradicts the preset (an explicit setting that disagrees with it, or a flag
     *       edited in the JSON);</li>
     *   <li>a trained bias on a layer without one;</li>
     *   <li>invalid initialization ranges, and {@link SpectralInit#authorsSvd()} with a block that has no authors'
     *       start ({@link PhiBlock#hasAuthorsInit()});</li>
     *   <li>a magnitude sparsity outside {@code 0 <= f < 1}.</li>
     * </ul>
     *
     * @param layer   the layer's description for error messages, e.g. {@code SpectralDenseLayer "hidden" (layer index 0)}
     * @param hasBias whether the layer has a bias
     * @return these settings
     * @throws DL4JInvalidConfigException naming the layer, the setting and the expected value
     */
    public SpectralSettings validate(String layer, boolean hasBias) {
        int bit = hasBias ? 1 : 2;
        if ((validated & bit) != 0) {
            return this;
        }
        for (SpectralParam group : GROUP_FLAGS) {
            boolean set = trains(group);
            if (preset != null && set != preset.trains(group) && (group != SpectralParam.BIAS || hasBias)) {
                boolean byPreset = preset.trains(group);
                throw new DL4JInvalidConfigException(layer + ": " + flag(group) + "(" + set + ") contradicts preset "
                        + preset + ", which " + (byPreset ? "trains " : "freezes ") + group.key() + "; expected "
                        + flag(group) + "(" + byPreset + ") or no preset (then unset groups default to preset "
                        + "EIGENVALUES)");
            }
        }
        if (!hasBias && trainBias) {
            throw new DL4JInvalidConfigException(layer + ": trainBias(true) contradicts hasBias(false); "
                    + "expected hasBias(true) or no trainBias setting");
        }
        init.validate(layer);
        if (init.getMode() == SpectralInit.Mode.AUTHORS_SVD && !block.hasAuthorsInit()) {
            throw new DL4JInvalidConfigException(layer + ": spectralInit(SpectralInit.authorsSvd()) with a " + block
                    + " block; expected the svd() block (the authors' S-SVD initialization draws its factors), or "
                    + "another SpectralInit");
        }
        if (!(magnitudeSparsity >= 0 && magnitudeSparsity < 1)) {
            throw new DL4JInvalidConfigException(layer + ": magnitudeSparsity = " + magnitudeSparsity
                    + "; expected a fraction of zeros 0 <= f < 1 (0: no sparsification)");
        }
        validated |= bit;
        return this;
    }

    /** The groups with a trainability flag (the eigenvector block's groups follow PHI), in message order. */
    private static final List<SpectralParam> GROUP_FLAGS =
            List.of(SpectralParam.PHI, SpectralParam.LAMBDA_IN, SpectralParam.LAMBDA_OUT, SpectralParam.BIAS);

    /** The builder method (and JSON field) that sets {@code group}'s trainability. */
    private static String flag(SpectralParam group) {
        if (group.isEigenvectorBlock()) {
            return "trainPhi";
        }
        return switch (group) {
            case LAMBDA_IN -> "trainLambdaIn";
            case LAMBDA_OUT -> "trainLambdaOut";
            default -> "trainBias";
        };
    }

    /** Whether lambdaIn is fixed at exactly 0 (preset EIGENVALUES_OUT). */
    public boolean lambdaInPinnedToZero() {
        return preset != null && preset.pinsLambdaInToZero();
    }

    /**
     * "preset EIGENVALUES" or "custom [lambdaIn, b]", plus the block if not dense and the magnitude sparsity if any,
     * for messages and summaries.
     */
    public String describe() {
        String groups = preset != null ? "preset " + preset : "custom " + trainableGroups();
        String withBlock = block.equals(DenseBlock.dense()) ? groups : groups + ", " + block;
        return magnitudeSparsity == 0 ? withBlock : withBlock + ", magnitude sparsity " + magnitudeSparsity;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpectralSettings s && preset == s.preset
                && trainLambdaIn == s.trainLambdaIn && trainLambdaOut == s.trainLambdaOut
                && trainPhi == s.trainPhi && trainBias == s.trainBias && init.equals(s.init) && block.equals(s.block)
                && Double.compare(magnitudeSparsity, s.magnitudeSparsity) == 0 && Objects.equals(initSeed, s.initSeed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(preset, trainLambdaIn, trainLambdaOut, trainPhi, trainBias, init, block, magnitudeSparsity,
                initSeed);
    }

    @Override
    public String toString() {
        return "SpectralSettings{" + describe() + ", init=" + init + (initSeed == null ? "" : ", initSeed=" + initSeed) + "}";
    }

    /**
     * Collects a preset, per-group trainability and the initialization, and resolves them into
     * {@link SpectralSettings} when the layer is built.
     *
     * <p>Without a preset, groups that are not set explicitly keep the default preset's choice
     * ({@link SpectralPreset#EIGENVALUES}). With a preset, an explicit group setting must agree with
     * the preset; one that contradicts it is an error rather than a silent override.
     */
    public static final class Builder implements Serializable {
        private SpectralPreset preset;
        private final Map<SpectralParam, Boolean> explicit = new EnumMap<>(SpectralParam.class);
        private SpectralInit init = SpectralInit.varianceMatched();
        private PhiBlock block = DenseBlock.dense();
        private double magnitudeSparsity;
        private Long initSeed;

        public Builder preset(SpectralPreset preset) {
            this.preset = Objects.requireNonNull(preset, "preset");
            return this;
        }

        public Builder trainable(SpectralParam group, boolean trainable) {
            explicit.put(Objects.requireNonNull(group, "group"), trainable);
            return this;
        }

        public Builder init(SpectralInit init) {
            this.init = Objects.requireNonNull(init, "init");
            return this;
        }

        public Builder block(PhiBlock block) {
            this.block = Objects.requireNonNull(block, "block");
            return this;
        }

        /** @deprecated use {@link #block(PhiBlock)} */
        @Deprecated
        public Builder block(EigenvectorBlock block) {
            return block(block.block());
        }

        /** The fraction of effective weights zeroed at every forward pass, 0 &lt;= fraction &lt; 1 (checked on build). */
        public Builder magnitudeSparsity(double fractionOfZeros) {
            this.magnitudeSparsity = fractionOfZeros;
            return this;
        }

        /** The seed of the layer's initial values (see {@link SpectralSettings#getInitSeed()}). */
        public Builder initSeed(long seed) {
            this.initSeed = seed;
            return this;
        }

        /**
         * Resolves the settings (explicit settings over the preset's, unset groups from the preset or, without one,
         * from EIGENVALUES; no trained bias without a bias) and validates them with {@link SpectralSettings#validate},
         * the same validation that a loaded configuration goes through.
         *
         * @param layer   the layer's description for error messages, e.g. {@code SpectralDenseLayer "hidden"}
         * @param hasBias whether the layer has a bias
         * @throws DL4JInvalidConfigException for a setting that contradicts the preset or {@code hasBias},
         *                                    invalid initialization ranges or an invalid magnitude sparsity
         */
        public SpectralSettings build(String layer, boolean hasBias) {
            SpectralPreset base = preset != null ? preset : SpectralPreset.EIGENVALUES;
            Map<SpectralParam, Boolean> resolved = new EnumMap<>(SpectralParam.class);
            for (SpectralParam group : GROUP_FLAGS) {
                Boolean set = explicit.get(group);
                resolved.put(group, set != null ? set : base.trains(group) && (group != SpectralParam.BIAS || hasBias));
            }
            Fields f = new Fields();
            f.preset = preset != null ? preset : presetMatching(resolved, hasBias);
            f.trainLambdaIn = resolved.get(SpectralParam.LAMBDA_IN);
            f.trainLambdaOut = resolved.get(SpectralParam.LAMBDA_OUT);
            f.trainPhi = resolved.get(SpectralParam.PHI);
            f.trainBias = resolved.get(SpectralParam.BIAS);
            f.init = init;
            f.block = block;
            f.magnitudeSparsity = magnitudeSparsity;
            f.initSeed = initSeed;
            return new SpectralSettings(f).validate(layer, hasBias);
        }

        /** The preset with exactly these trainable groups, if any; never EIGENVALUES_OUT, whose lambdaIn = 0 is a choice. */
        private static SpectralPreset presetMatching(Map<SpectralParam, Boolean> resolved, boolean hasBias) {
            for (SpectralPreset p : SpectralPreset.values()) {
                boolean same = p != SpectralPreset.EIGENVALUES_OUT;
                for (SpectralParam group : resolved.keySet()) {
                    boolean expected = group == SpectralParam.BIAS ? hasBias : p.trains(group);
                    same &= resolved.get(group) == expected;
                }
                if (same) {
                    return p;
                }
            }
            return null;
        }
    }
}
