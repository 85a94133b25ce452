package io.github.dl4jspectral;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.github.dl4jspectral.layers.SpectralDenseLayer;
import io.github.dl4jspectral.samediff.SameDiffSpectralDenseRuntimeLayer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runtime layer that hands its forward pass's results to the backward pass must forget them whenever DL4J changes
 * its parameters, gradient views, input, mask or configuration. Every method that DL4J's classes above the layer
 * declare (or give as an interface default) whose name starts with {@code set}, {@code clear}, {@code init} or
 * {@code update}, and {@code applyConstraints}, is found by reflection; each must either be overridden by the layer
 * with a call to its map's {@code invalidate()}, or be named in {@link #CANNOT_MAKE_STALE} (or the layer's own list)
 * with the reason. A setter a new DL4J version adds fails this test until it is classified.
 */
class RuntimeInvalidationTest {

    private static final Pattern MUTATOR = Pattern.compile("(set|clear|init|update)([A-Z].*)?|applyConstraints");

    /** DL4J methods that change nothing a handover was computed from, by signature, with the reason. */
    static final Map<String, String> CANNOT_MAKE_STALE = Map.ofEntries(
            Map.entry("setCacheMode(CacheMode)", "a cache hint; changes no array"),
            Map.entry("setIterationCount(int)", "the handoff records the iteration count and compares it when taken"),
            Map.entry("setEpochCount(int)", "the handoff records the epoch count and compares it when taken"),
            Map.entry("setIndex(int)", "the layer's position in the network"),
            Map.entry("setListeners(Collection)", "training listeners"),
            Map.entry("setListeners(TrainingListener[])", "training listeners"),
            Map.entry("setTrainingListeners(Collection)", "training listeners"),
            Map.entry("setMaskState(MaskState)", "the state of recurrent masks; the map reads the mask array only"),
            Map.entry("setInputModificationAllowed(boolean)", "whether DL4J may modify the input array in place; "
                    + "changes no array"),
            Map.entry("setInputMiniBatchSize(int)", "does nothing in DL4J's layers: the minibatch size is the input's"),
            Map.entry("setPreOutput(INDArray)", "DL4J's preOutput field, which the spectral layers never read"),
            Map.entry("init()", "does nothing in DL4J's layers: parameters arrive through setParamsViewArray"),
            Map.entry("setScoreWithZ(INDArray)", "computes the score from the output; changes no input or parameter"));

    /**
     * A runtime layer that hands over, the class of the map it owns, and the DL4J methods that cannot make its
     * handover stale beside {@link #CANNOT_MAKE_STALE}.
     */
    record Runtime(Class<?> layer, String map, Map<String, String> alsoCannotMakeStale) {
    }

    static final List<Runtime> RUNTIMES = List.of(
            new Runtime(SpectralDenseLayer.class, "io.github.dl4jspectral.layers.SpectralMap", Map.of()),
            new Runtime(SameDiffSpectralDenseRuntimeLayer.class, "io.github.dl4jspectral.samediff.SameDiffMap",
                    Map.of("setMaskArray(INDArray)", "the mask multiplies the output outside the graphs; x W, which "
                            + "the handover holds, does not depend on it")));

    @TestFactory
    Stream<DynamicTest> everyDl4jMutatorIsOverriddenToInvalidate() {
        return RUNTIMES.stream().flatMap(runtime -> {
            JavaClass layer = new ClassFileImporter().importClasses(runtime.layer()).get(runtime.layer());
            return dl4jMutators(runtime.layer()).entrySet().stream()
                    .filter(e -> !CANNOT_MAKE_STALE.containsKey(e.getKey())
                            && !runtime.alsoCannotMakeStale().containsKey(e.getKey()))
                    .map(e -> DynamicTest.dynamicTest(runtime.layer().getSimpleName() + "." + e.getKey(),
                            () -> assertInvalidates(layer, runtime.map(), e.getValue())));
        });
    }

    /**
     * Every named method is a DL4J mutator: a common one of some runtime layer, a layer's own one of that layer (an
     * entry that DL4J no longer declares must go).
     */
    @Test
    void everyNamedMethodIsADl4jMutator() {
        Set<String> anyLayer = new TreeSet<>();
        for (Runtime runtime : RUNTIMES) {
            Set<String> mutators = dl4jMutators(runtime.layer()).keySet();
            anyLayer.addAll(mutators);
            assertEquals(Set.of(), difference(runtime.alsoCannotMakeStale().keySet(), mutators),
                    "named for " + runtime.layer().getSimpleName() + " but not among its DL4J mutators " + mutators);
        }
        assertEquals(Set.of(), difference(CANNOT_MAKE_STALE.keySet(), anyLayer),
                "named but not among the runtime layers' DL4J mutators " + anyLayer);
    }

    private static Set<String> difference(Set<String> named, Set<String> existing) {
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(existing);
        return missing;
    }

    private static void assertInvalidates(JavaClass layer, String map, Method dl4jMethod) {
        String signature = signature(dl4jMethod);
        JavaMethod override = layer.getMethods().stream()
                .filter(m -> m.getOwner().equals(layer) && m.getName().equals(dl4jMethod.getName())
                        && m.reflect().getParameterTypes().length == dl4jMethod.getParameterCount()
                        && Arrays.equals(m.reflect().getParameterTypes(), dl4jMethod.getParameterTypes()))
                .findFirst().orElse(null);
        assertTrue(override != null, layer.getSimpleName() + " does not override " + signature + " (declared by "
                + dl4jMethod.getDeclaringClass().getName() + "): override it to call " + map + ".invalidate() first, "
                + "or name it with the reason why it cannot make the handover stale");
        boolean invalidates = override.getMethodCallsFromSelf().stream().anyMatch(call ->
                call.getTarget().getName().equals("invalidate")
                        && call.getTargetOwner().getName().equals(map));
        assertTrue(invalidates, layer.getSimpleName() + "." + signature + " does not call " + map + ".invalidate()");
    }

    /**
     * The mutators of the DL4J classes above {@code layer} and of their interfaces' defaults, by signature (the
     * declaration nearest to the layer).
     */
    static Map<String, Method> dl4jMutators(Class<?> layer) {
        Map<String, Method> found = new TreeMap<>();
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> c = layer.getSuperclass(); c != null && c.getName().startsWith("org.deeplearning4j."); c = c.getSuperclass()) {
            types.add(c);
        }
        List<Class<?>> interfaces = new ArrayList<>();
        types.forEach(c -> collectInterfaces(c, interfaces));
        for (Class<?> type : types) {
            for (Method m : type.getDeclaredMethods()) {
                int mod = m.getModifiers();
                if (!Modifier.isStatic(mod) && (Modifier.isPublic(mod) || Modifier.isProtected(mod)) && !m.isSynthetic()
                        && MUTATOR.matcher(m.getName()).matches()) {
                    found.putIfAbsent(signature(m), m);
                }
            }
        }
        for (Class<?> type : interfaces) {
            for (Method m : type.getDeclaredMethods()) {
                if (m.isDefault() && MUTATOR.matcher(m.getName()).matches()) {
                    found.putIfAbsent(signature(m), m);
                }
            }
        }
        return found;
    }

    private static void collectInterfaces(Class<?> type, Collection<Class<?>> into) {
        for (Class<?> i : type.getInterfaces()) {
            if (i.getName().startsWith("org.deeplearning4j.") && !into.contains(i)) {
                into.add(i);
                collectInterfaces(i, into);
            }
        }
    }

    static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(",", "(", ")"));
    }
}
