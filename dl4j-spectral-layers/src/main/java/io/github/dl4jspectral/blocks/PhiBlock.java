package io.github.dl4jspectral.blocks;

import io.github.dl4jspectral.conf.SpectralParam;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonTypeName;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The eigenvector block phi [nIn, nOut] of a spectral layer (docs/METHOD.md sections 3 and 4): one immutable value per
 * kind, which is both the configuration (serialized in the layer's JSON, {@link BlockJson}) and everything that differs
 * between kinds; the rest of the library asks the block. A block answers for
 * <ul>
 *   <li>its own settings ({@link #properties}, its JSON type name {@link #typeName}, {@code toString()});</li>
 *   <li>its parameter groups, their shapes and how many of their numbers train ({@link #groups},
 *       {@link #shape}, {@link #trainedSize});</li>
 *   <li>its initialization ({@link #initialize});</li>
 *   <li>the product with phi, native and SameDiff: a {@link WholePhiBlock} hands phi (and a support) to the
 *       map {@code W = phi .* (lambdaIn^T - lambdaOut)}; a {@link FactoredBlock} hands factors
 *       {@code phi = U V^T} to the map that never forms W;</li>
 *   <li>slicing when nodes are pruned ({@link #sliceOutputs}, {@link #sliceInputs});</li>
 *   <li>phi itself, for the effective W of export and scoring ({@link #phi}), and whether its initial values
 *       regenerate bit for bit from the seed (compact files, {@link #regeneratesPortably}).</li>
 * </ul>
 * The kinds are the final classes of the sealed hierarchy under {@link WholePhiBlock} (phi stored whole) and
 * {@link FactoredBlock} (phi = U V^T): {@link DenseBlock} (the default), {@link SparseBlock}, {@link LowRankBlock},
 * {@link SvdBlock}, {@link QrBlock}. Each carries {@link JsonTypeName} with its JSON type name; the sealed
 * hierarchy is the registry {@link BlockJson} reads (docs/adding-a-block.md).
 */
public sealed interface PhiBlock extends Serializable permits WholePhiBlock, FactoredBlock {

    /** The kind's name in the layer's JSON ({@code "type"}), from its {@link JsonTypeName}; e.g. {@code LOW_RANK}. */
    default String typeName() {
        return getClass().getAnnotation(JsonTypeName.class).value();
    }

    /**
     * The block's settings by their JSON names, in a fixed order (empty for a block without settings); with
     * {@link #typeName} they are the block's JSON object.
     */
    Map<String, Object> properties();

    /**
     * Whether {@code SpectralInit.authorsSvd()} (the Phys. Rev. E authors' start, which draws this block's factors)
     * applies to this block.
     */
    default boolean hasAuthorsInit() {
        return false;
    }

    /** The eigenvector-block parameter groups, in flat-layout order. */
    List<SpectralParam> groups();

    /** Shape of {@code group} (one of {@link #groups()}) for an nIn x nOut map. */
    long[] shape(SpectralParam group, long nIn, long nOut);

    /**
     * How many numbers of {@code group} train when the eigenvector block trains: all of them, none for a
     * {@linkplain SpectralParam#isFixedFactor() fixed factor}, the support's entries for a sparse phi.
     */
    default long trainedSize(SpectralParam group, long nIn, long nOut) {
        return group.isFixedFactor() ? 0 : size(shape(group, nIn, nOut));
    }

    /**
     * Checks the block's own settings against the map's size.
     *
     * @param nIn 0 while not yet known (inferred later from the input type)
     * @throws org.deeplearning4j.exception.DL4JInvalidConfigException naming the layer, the field and the expected value
     */
    void validate(String layer, long nIn, long nOut);

    /** Whether DL4J weight noise (which acts on the whole phi) can be applied to this block. */
    boolean acceptsWeightNoise();

    /**
     * What one pass of an nIn x nOut map with this block allocates, for {@code getMemoryReport}: a whole-phi block
     * builds nIn x nOut arrays; a factored block builds only factor-sized arrays and [minibatch, 2r] intermediates,
     * unless the map sparsifies its weights by magnitude, which forms phi and W whole.
     *
     * @param magnitudeSparsity whether the layer sparsifies its effective weights by magnitude
     */
    WorkingMemory workingMemory(long nIn, long nOut, boolean magnitudeSparsity);

    /** Draws the initial values of the block's groups into {@code params} (arrays shaped as {@link #shape}). */
    void initialize(PhiInit init, Map<String, INDArray> params, long nIn, long nOut);

    /**
     * Whether {@link #initialize} gives values that are a function of the layer's seeded draws ({@link SeededDraws})
     * alone, bit for bit on every machine and backend (true for blocks whose values are draws, masked or scaled element
     * by element); false for a block whose values pass through linear algebra whose rounding depends on the BLAS. A
     * compact model file stores the frozen groups of a block that does not regenerate portably in full.
     */
    default boolean regeneratesPortably() {
        return true;
    }

    /** phi [nIn, nOut] of the given parameters, as a new array (zero outside a sparse support). */
    INDArray phi(Map<String, INDArray> params, long nIn, long nOut);

    /**
     * Keeps the output nodes {@code keep} (pruning the producing layer): replaces the block's arrays in
     * {@code params} by sliced copies, so that the smaller layer computes exactly the kept columns of phi (a block
     * whose configuration no longer fits the smaller size refactors its arrays to one that does, and computes them up
     * to rounding: LOW_RANK with fewer than r nodes left).
     *
     * @return the block of the smaller layer, valid for its sizes
     * @throws IllegalArgumentException if the block cannot be sliced exactly, saying why
     */
    PhiBlock sliceOutputs(Map<String, INDArray> params, int[] keep, String layer);

    /** As {@link #sliceOutputs} for the input nodes (pruning the consuming layer): the kept rows of phi. */
    PhiBlock sliceInputs(Map<String, INDArray> params, int[] keep, String layer);

    /** The number of entries of an array of {@code shape}. */
    static long size(long[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }
}
