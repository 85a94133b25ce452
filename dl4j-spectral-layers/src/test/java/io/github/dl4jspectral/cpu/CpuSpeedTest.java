package io.github.dl4jspectral.cpu;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process fast configuration and the one warning: decided from the environment, applied before ND4J loads
 * (in this test JVM and in child JVMs, whose environment lacks the variable), and the warning logged once when the
 * spinning default is in effect, never when it is not, and not when silenced.
 */
class CpuSpeedTest {

    private static final String WARNING = "OMP_WAIT_POLICY is not PASSIVE";

    @Test
    void theSettingFollowsTheVariablesTheOpenMpRuntimeReads() {
        assertEquals(CpuSpeed.Setting.SPINNING, CpuSpeed.classify(null, null, null, false));
        assertEquals(CpuSpeed.Setting.SPINNING, CpuSpeed.classify("ACTIVE", null, "2", false));
        assertEquals(CpuSpeed.Setting.SPINNING, CpuSpeed.classify(null, "300000", null, false));
        assertEquals(CpuSpeed.Setting.FAST_BY_ENVIRONMENT, CpuSpeed.classify(" passive", null, null, false));
        assertEquals(CpuSpeed.Setting.PASSIVE_SET_BY_LIBRARY, CpuSpeed.classify("PASSIVE", null, null, true));
        assertEquals(CpuSpeed.Setting.FAST_BY_ENVIRONMENT, CpuSpeed.classify(null, "0", null, false));
        assertEquals(CpuSpeed.Setting.FAST_BY_ENVIRONMENT, CpuSpeed.classify("ACTIVE", null, "1", false));
        assertTrue(CpuSpeed.Setting.PASSIVE_SET_BY_LIBRARY.fast());
        assertFalse(CpuSpeed.Setting.SPINNING.fast());
    }

    @Test
    void thisTestJvmRunsTheFastConfiguration() {
        Nd4j.create(1);
        assertTrue(NativeEnvironment.openMpLoaded(), "ND4J's CPU backend loads libgomp");
        assertTrue(CpuSpeed.preferPassiveWait().fast(), CpuSpeed.setting().toString());
        if (System.getenv("OMP_WAIT_POLICY") == null && System.getenv("GOMP_SPINCOUNT") == null) {
            assertEquals(CpuSpeed.Setting.PASSIVE_SET_BY_LIBRARY, CpuSpeed.setting());
            assertEquals("PASSIVE", NativeEnvironment.get("OMP_WAIT_POLICY"));
        }
    }

    @Test
    void theNativeEnvironmentTakesNewAndReplacedEntriesAndKeepsTheOthers() {
        String name = "DL4JSPECTRAL_TEST_" + ProcessHandle.current().pid();
        assertEquals(null, NativeEnvironment.get(name));
        String path = NativeEnvironment.get("PATH");
        NativeEnvironment.put(name, "one");
        assertEquals("one", NativeEnvironment.get(name));
        NativeEnvironment.put(name, "two = three");
        assertEquals("two = three", NativeEnvironment.get(name));
        assertEquals(path, NativeEnvironment.get("PATH"));
        assertEquals(System.getenv("PATH"), path, "the JVM's copy and the native environment agree on PATH");
        assertEquals(null, System.getenv(name), "the JVM's copy is its start-up snapshot");
    }

    @Test
    void aJvmWithoutTheVariableGetsItBeforeNd4jLoadsAndDoesNotWarn() throws Exception {
        Child child = probe(Map.of());
        assertEquals("setting PASSIVE_SET_BY_LIBRARY", child.lastLine(), child.err());
        assertEquals(0, child.warnings(), child.err());
    }

    @Test
    void theSpinningDefaultWarnsOnceNamingTheFixAndTheCost() throws Exception {
        Child child = probe(Map.of(), "-D" + CpuSpeed.PASSIVE_WAIT_PROPERTY + "=false");
        assertEquals("setting SPINNING", child.lastLine(), child.err());
        assertEquals(1, child.warnings(), "four spectral layers instantiated, one warning: " + child.err());
        assertTrue(child.err().contains("start the JVM with the environment variable OMP_WAIT_POLICY=PASSIVE"), child.err());
        assertTrue(child.err().contains("2.7x"), child.err());
        assertTrue(child.err().contains("-Ddl4jspectral.passiveWait=false asks it to leave the environment"), child.err());
    }

    @Test
    void theQuietPropertySilencesTheWarning() throws Exception {
        Child child = probe(Map.of(), "-D" + CpuSpeed.PASSIVE_WAIT_PROPERTY + "=false", "-D" + CpuSpeed.QUIET_PROPERTY + "=true");
        assertEquals("setting SPINNING", child.lastLine(), child.err());
        assertEquals(0, child.warnings(), child.err());
    }

    @Test
    void theUsersOwnSettingIsKeptAndCountsAsFast() throws Exception {
        Child child = probe(Map.of("OMP_WAIT_POLICY", "passive"));
        assertEquals("setting FAST_BY_ENVIRONMENT", child.lastLine(), child.err());
        assertEquals(0, child.warnings(), child.err());
    }

    record Child(String out, String err) {
        String lastLine() {
            return out.strip().lines().reduce((a, b) -> b).orElse("");
        }

        long warnings() {
            return err.lines().filter(l -> l.contains(WARNING)).count();
        }
    }

    /** Runs {@link FirstUseProbe} with {@code env} instead of the OpenMP variables of this JVM's environment. */
    private static Child probe(Map<String, String> env, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-Xmx512m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FirstUseProbe.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeAll(List.of("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_NUM_THREADS"));
        builder.environment().putAll(env);
        Process process = builder.start();
        var err = process.getErrorStream();
        var errText = new java.util.concurrent.CompletableFuture<String>();
        Thread reader = new Thread(() -> {
            try {
                errText.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                errText.completeExceptionally(e);
            }
        });
        reader.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the probe ends");
        Child child = new Child(out, errText.get(1, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), child.err());
        return child;
    }
}
