package io.github.dl4jspectral.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forks' settings: parsed from the option, the bare default's JVM option, the thread-count launcher. */
class RunSettingTest {

    @Test
    void labelsParseBackToTheSetting() {
        for (RunSetting setting : List.of(RunSetting.SHIPPED, RunSetting.BARE, new RunSetting(true, 1), new RunSetting(false, 2))) {
            assertEquals(setting, RunSetting.parse(setting.label()));
        }
        assertThrows(IllegalArgumentException.class, () -> RunSetting.parse("passive"));
        assertThrows(IllegalArgumentException.class, () -> RunSetting.parse("shipped:-1"));
        assertThrows(IllegalArgumentException.class, () -> RunSetting.parse("shipped:1:2"));
    }

    @Test
    void theBareDefaultTurnsTheLibrarysSettingOffAndTheShippedOneAddsNothing() {
        assertEquals(List.of("-Ddl4jspectral.passiveWait=false"), RunSetting.BARE.jvmArgs());
        assertEquals(List.of(), RunSetting.SHIPPED.jvmArgs());
    }

    @Test
    void everyForkStartsThroughAScriptThatClearsTheWaitPolicyAndSetsTheThreadVariables(@TempDir Path dir)
            throws Exception {
        for (RunSetting setting : List.of(RunSetting.SHIPPED, RunSetting.BARE)) {
            Path script = setting.launcher(dir);
            Process env = new ProcessBuilder("/bin/sh", "-c", "sed 's/exec .*/exec env/' '" + script + "' | "
                    + "OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=0 sh").start();
            String out = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, env.waitFor());
            assertTrue(!out.contains("OMP_WAIT_POLICY") && !out.contains("GOMP_SPINCOUNT"),
                    setting.label() + ": an inherited wait policy reaches the fork: " + out);
            assertTrue(!out.contains("OMP_NUM_THREADS"), out);
        }
        Path script = new RunSetting(true, 1).launcher(dir);
        Process p = new ProcessBuilder(script.toString(), "-XshowSettings:properties", "-version").start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertTrue(err.contains("java.home = " + System.getProperty("java.home")), err);
        Process env = new ProcessBuilder("/bin/sh", "-c", "sed 's/exec .*/exec env/' '" + script + "' | sh").start();
        String out = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, env.waitFor());
        assertTrue(out.contains("OMP_NUM_THREADS=1") && out.contains("OPENBLAS_NUM_THREADS=1"), out);
    }
}
