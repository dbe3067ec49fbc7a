package dev.distillery.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchTest {
    @Test
    void theNativeEnvironmentDropsTheForcingVariablesAndForcedKeepsThem() {
        Map<String, String> parent = Map.of("OPENBLAS_CORETYPE", "Haswell", "OPENBLAS_L2_SIZE", "262144", "PATH", "/bin");
        Map<String, String> nat = new HashMap<>(parent);
        Bench.torchEnvironment(nat, "native");
        assertFalse(nat.containsKey("OPENBLAS_CORETYPE") || nat.containsKey("OPENBLAS_L2_SIZE"), nat.toString());
        assertEquals("/bin", nat.get("PATH"));
        assertEquals("native", nat.get("DISTILLERY_TORCH_BLAS_ENV"));
        Map<String, String> forced = new HashMap<>(parent);
        Bench.torchEnvironment(forced, "forced");
        assertEquals("Haswell", forced.get("OPENBLAS_CORETYPE"));
        assertEquals("262144", forced.get("OPENBLAS_L2_SIZE"));
        assertEquals("forced", forced.get("DISTILLERY_TORCH_BLAS_ENV"));
        // the harness's quiet-machine waits and retries stay off unless the caller set them
        assertEquals("0", forced.get("ANCHOR_QUIET_WAIT"));
        assertEquals("1", forced.get("ANCHOR_RETRIES"));
    }
}
