package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged PTX: every module loads from the class path and defines exactly the kernels we launch. */
class PtxResourcesTest {
    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(");

    @Test
    void everyModuleDefinesTheKernelsTheBackendLaunches() {
        for (Map.Entry<String, List<String>> e : Ptx.KERNELS.entrySet()) {
            String ptx = Ptx.load(e.getKey());
            TreeSet<String> entries = new TreeSet<>();
            Matcher m = ENTRY.matcher(ptx);
            while (m.find()) {
                entries.add(m.group(1));
            }
            assertEquals(new TreeSet<>(e.getValue()), entries, "entry points of " + e.getKey() + ".ptx");
        }
    }

    @Test
    void ptxTargetsTheConfiguredVirtualArchitecture() {
        String arch = System.getProperty("cuda.ptx.arch", "compute_75").replace("compute_", "sm_");
        for (String module : Ptx.KERNELS.keySet()) {
            String ptx = Ptx.load(module);
            assertTrue(ptx.contains("\n.target " + arch + "\n"), module + " targets " + arch);
            assertTrue(ptx.contains(".address_size 64"), module + " is 64-bit");
            assertTrue(ptx.startsWith("// Generated from " + module + ".cu by build-ptx.sh"), module + " header");
        }
    }

    @Test
    void missingModuleNamesTheRefreshCommand() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ptx.load("nonexistent"));
        assertTrue(e.getMessage().contains("build-ptx.sh"), e.getMessage());
    }

    @Test
    void everyKernelHasOneModule() {
        assertEquals("gemm", Ptx.moduleOf("gemm_f32"));
        assertEquals("movement", Ptx.moduleOf("col2im_f64"));
        assertThrows(IllegalArgumentException.class, () -> Ptx.moduleOf("nope"));
    }
}
