package dev.distillery.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed PTX under src/main/resources must be what build-ptx.sh makes from the committed
 * .cu sources. Runs only where nvcc exists (and is the release that made the committed files: a
 * different nvcc legitimately emits different PTX); elsewhere it is skipped with the reason.
 */
class PtxFreshnessTest {
    static final Path SCRIPT = Path.of("src/main/cuda/build-ptx.sh");
    static final Path COMMITTED = Path.of("src/main/resources/dev/distillery/gpu/ptx");
    static final String REFRESH = "bash gpu/src/main/cuda/build-ptx.sh gpu/src/main/resources/dev/distillery/gpu/ptx";

    static String nvcc() {
        for (String c : List.of("/usr/local/bin/nvcc", "/usr/local/cuda/bin/nvcc")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) {
                return Path.of(dir, "nvcc").toString();
            }
        }
        return null;
    }

    static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("command failed: " + String.join(" ", cmd) + "\n" + out);
        }
        return out;
    }

    @Test
    void committedPtxIsWhatTheSourcesCompileTo(@TempDir Path tmp) throws Exception {
        String nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not found: PTX freshness not checked (the committed PTX is used)");
        String version = run(tmp, nvcc, "--version");
        String firstLine = Files.readAllLines(COMMITTED.resolve("gemm.ptx")).get(0);
        String release = version.replaceAll("(?s).*(release [0-9.]+, V[0-9.]+).*", "$1");
        Assumptions.assumeTrue(firstLine.contains(release), "committed PTX was built by another nvcc ("
                + firstLine + "); local nvcc is " + release + ": not comparable");
        String arch = System.getProperty("cuda.ptx.arch", "compute_75");
        run(Path.of("."), "bash", SCRIPT.toString(), tmp.toString(), arch);
        for (String module : Ptx.KERNELS.keySet()) {
            String fresh = Files.readString(tmp.resolve(module + ".ptx"));
            String committed = Files.readString(COMMITTED.resolve(module + ".ptx"));
            assertEquals(committed, fresh, module + ".ptx is stale; refresh it with: " + REFRESH);
        }
    }

    @Test
    void ptxAssemblesForTuringAndHopper(@TempDir Path tmp) throws Exception {
        String nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not found: PTX assembly not checked");
        Path ptxas = Path.of(nvcc).toRealPath().resolveSibling("ptxas");
        Assumptions.assumeTrue(Files.isExecutable(ptxas), "ptxas not beside nvcc");
        // what the driver's JIT does at load time, done ahead: catches PTX the assembler rejects
        for (String module : Ptx.KERNELS.keySet()) {
            for (String sm : List.of("sm_75", "sm_90")) {
                run(tmp, ptxas.toString(), "-arch=" + sm, COMMITTED.resolve(module + ".ptx").toAbsolutePath().toString(),
                        "-o", tmp.resolve(module + "_" + sm + ".cubin").toString());
            }
        }
    }
}
