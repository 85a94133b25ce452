package io.github.dl4jspectral.cpu;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps ND4J's CPU backend from spinning: ND4J's OpenMP threads (GNU libgomp) busy-wait between parallel regions
 * unless {@code OMP_WAIT_POLICY=PASSIVE} is set, and on a machine with few cores they then take the cores from the
 * BLAS threads of the next matrix product (docs/performance.md has the measured cost).
 *
 * <p>What is guaranteed:
 * <ul>
 *   <li>On Linux, if neither {@code OMP_WAIT_POLICY} nor {@code GOMP_SPINCOUNT} is set and no OpenMP runtime is
 *       loaded yet, {@link #preferPassiveWait()} puts {@code OMP_WAIT_POLICY=PASSIVE} into the process's native
 *       environment; the OpenMP runtime reads it when it loads, with ND4J's backend. The library calls it before
 *       ND4J selects its backend ({@link EarlySettingsHook}, an {@code Nd4jBackend} service ND4J instantiates before
 *       loading any native library), and again when a spectral layer is instantiated.</li>
 *   <li>If the OpenMP runtime was loaded before (a backend loaded with a classpath that hid the hook, e.g. a shaded
 *       jar built without merging {@code META-INF/services}), nothing changes: OpenMP reads its settings once. The
 *       first spectral layer instantiated on the CPU backend then logs one warning ({@link #checkOnFirstUse()}).</li>
 *   <li>A setting the user made is kept: {@code OMP_WAIT_POLICY} or {@code GOMP_SPINCOUNT} in the environment, or
 *       the system property {@value #PASSIVE_WAIT_PROPERTY}{@code =false}, which leaves the environment as it is (the
 *       benchmarks' bare default).</li>
 *   <li>On other systems the library changes nothing and warns when the environment lacks the variable.</li>
 * </ul>
 * No number a network computes depends on this setting: it changes how idle threads wait, not what they compute.
 * The warning is silenced by the system property {@value #QUIET_PROPERTY}{@code =true}.
 */
public final class CpuSpeed {

    /** System property: {@code false} leaves the native environment as it is. */
    public static final String PASSIVE_WAIT_PROPERTY = "dl4jspectral.passiveWait";
    /** System property: {@code true} silences the warning of {@link #checkOnFirstUse()}. */
    public static final String QUIET_PROPERTY = "dl4jspectral.quiet";

    static final String WAIT_POLICY = "OMP_WAIT_POLICY";
    static final String SPIN_COUNT = "GOMP_SPINCOUNT";
    static final String NUM_THREADS = "OMP_NUM_THREADS";

    private static final Logger LOG = LoggerFactory.getLogger(CpuSpeed.class);
    private static final AtomicBoolean CHECKED = new AtomicBoolean();

    /** Whether ND4J's OpenMP threads spin while idle, and why. */
    public enum Setting {
        /** The library set {@code OMP_WAIT_POLICY=PASSIVE} before the OpenMP runtime loaded. */
        PASSIVE_SET_BY_LIBRARY(true),
        /** The environment keeps idle threads from spinning: {@code OMP_WAIT_POLICY=PASSIVE}, {@code GOMP_SPINCOUNT=0} or {@code OMP_NUM_THREADS=1}. */
        FAST_BY_ENVIRONMENT(true),
        /** Idle OpenMP threads spin: the slow configuration. */
        SPINNING(false);

        private final boolean fast;

        Setting(boolean fast) {
            this.fast = fast;
        }

        /** True if idle OpenMP threads do not spin. */
        public boolean fast() {
            return fast;
        }
    }

    /** Why the library did not set the variable; null once it did (or before it was asked to). */
    private static String notSetBecause;
    private static boolean attempted;
    private static boolean setByLibrary;

    private CpuSpeed() {
    }

    /**
     * Puts {@code OMP_WAIT_POLICY=PASSIVE} into the native environment if that still has an effect and the user made
     * no setting (see the class comment); idempotent, cheap after the first call, and it never throws.
     *
     * @return the setting in effect (or to take effect when the OpenMP runtime loads)
     */
    public static synchronized Setting preferPassiveWait() {
        if (!attempted) {
            attempted = true;
            // Never throws: it runs inside ND4J's backend loading, which a failure here must not break.
            try {
                notSetBecause = reasonNotToSet();
                if (notSetBecause == null) {
                    NativeEnvironment.put(WAIT_POLICY, "PASSIVE");
                    setByLibrary = true;
                }
            } catch (RuntimeException | LinkageError e) {
                notSetBecause = "reading or setting the native environment failed (" + e + ")";
            }
        }
        return setting();
    }

    /** The setting in effect, read from the environment the OpenMP runtime reads. */
    public static synchronized Setting setting() {
        return classify(variable(WAIT_POLICY), variable(SPIN_COUNT), variable(NUM_THREADS), setByLibrary);
    }

    /**
     * On the first call: {@link #preferPassiveWait()}, then, on ND4J's CPU backend, if idle threads spin and
     * {@value #QUIET_PROPERTY} is not {@code true}, one warning naming the fix and its measured cost. Later calls do
     * nothing. Called by every spectral layer when it is instantiated.
     */
    public static void checkOnFirstUse() {
        if (!CHECKED.compareAndSet(false, true)) {
            return;
        }
        Setting setting = preferPassiveWait();
        if (!setting.fast() && !Boolean.getBoolean(QUIET_PROPERTY) && Nd4j.getEnvironment().isCPU()) {
            LOG.warn(warning(notSetBecauseNow()));
        }
    }

    /** How the environment values decide the setting; null values are unset variables. */
    static Setting classify(String waitPolicy, String spinCount, String numThreads, boolean setByLibrary) {
        if (waitPolicy != null && waitPolicy.trim().equalsIgnoreCase("PASSIVE")) {
            return setByLibrary ? Setting.PASSIVE_SET_BY_LIBRARY : Setting.FAST_BY_ENVIRONMENT;
        }
        if (spinCount != null && spinCount.trim().equals("0") || numThreads != null && numThreads.trim().equals("1")) {
            return Setting.FAST_BY_ENVIRONMENT;
        }
        return Setting.SPINNING;
    }

    /** The warning text; {@code because} says why the library did not set the variable. */
    static String warning(String because) {
        return "ND4J's CPU threads spin while idle (OMP_WAIT_POLICY is not PASSIVE), which takes the cores from the "
                + "matrix products: on 2 cores, fit steps of DL4J's DenseLayer networks took 1.2x to 2.7x as long and "
                + "output calls 2.2x to 3.5x (784-500-10 and 2048-2048-10). The library sets the variable itself "
                + "before ND4J loads, but not here: " + because + ". Fix: start the JVM with the environment variable "
                + "OMP_WAIT_POLICY=PASSIVE (see docs/performance.md). Silence this warning with -D" + QUIET_PROPERTY
                + "=true.";
    }

    private static synchronized String notSetBecauseNow() {
        return notSetBecause != null ? notSetBecause : "the OpenMP runtime had read its settings already";
    }

    /** Why the variable must not or cannot be set now; null if it should be. */
    private static String reasonNotToSet() {
        if (Boolean.FALSE.toString().equalsIgnoreCase(System.getProperty(PASSIVE_WAIT_PROPERTY, "").trim())) {
            return "-D" + PASSIVE_WAIT_PROPERTY + "=false asks it to leave the environment as it is";
        }
        if (!NativeEnvironment.supported()) {
            return "it does so on Linux, through JavaCPP's native library, only (os.name = "
                    + System.getProperty("os.name") + ")";
        }
        String policy = NativeEnvironment.get(WAIT_POLICY);
        if (policy != null) {
            return "the environment sets " + WAIT_POLICY + "=" + policy;
        }
        String spin = NativeEnvironment.get(SPIN_COUNT);
        if (spin != null) {
            return "the environment sets " + SPIN_COUNT + "=" + spin;
        }
        if (NativeEnvironment.openMpLoaded()) {
            return "ND4J's OpenMP runtime had loaded before the library was first used";
        }
        return null;
    }

    /** A variable as the OpenMP runtime sees it: the native environment on Linux, the JVM's copy elsewhere. */
    private static String variable(String name) {
        return NativeEnvironment.supported() ? NativeEnvironment.get(name) : System.getenv(name);
    }
}
