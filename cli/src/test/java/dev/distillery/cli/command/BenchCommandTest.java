package dev.distillery.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.io.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Structure only: timings are never asserted. */
class BenchCommandTest {
    /** This repository's PyTorch programs (the tests run in cli/, where the default bench/torch is absent). */
    private static final String SCRIPTS = Path.of("").toAbsolutePath().getParent().resolve("bench").resolve("torch").toString();

    @Test
    @SuppressWarnings("unchecked")
    void quickJsonListsOneObjectPerCellWithTheAgreedKeysAndTheTorchRecord() {
        CliRunner r = CliRunner.run("bench", "--quick", "--json", "--workloads", "w1", "--torch-scripts", SCRIPTS);
        assertEquals(0, r.exitCode(), r.err());
        Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out().strip());
        List<Object> rows = (List<Object>) doc.get("rows");
        assertEquals(1, rows.size());
        Map<String, Object> row = (Map<String, Object>) rows.get(0);
        for (String k : List.of("workload", "variant", "threads", "unit", "ours", "torch", "speedup")) {
            assertTrue(row.containsKey(k), k + " in " + row);
        }
        assertEquals("W1 GEMM", row.get("workload"));
        assertEquals("GFLOP/s", row.get("unit"));
        assertTrue(((Number) row.get("ours")).doubleValue() > 0, row.toString());
        assertEquals("simd", ((Map<String, Object>) doc.get("ours")).get("backend"));
        Map<String, Object> torch = (Map<String, Object>) doc.get("torch");
        assertEquals("native", torch.get("baseline"));
        Map<String, Object> nativeEnv = (Map<String, Object>) ((Map<String, Object>) torch.get("environments")).get("native");
        assertEquals(List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"), nativeEnv.get("removed"));
        if (row.get("torch") == null) {
            assertNull(row.get("speedup"));
        } else {
            assertNotNull(row.get("speedup"));
            // the column exists only after the GEMM check passed, and the record says which BLAS ran it
            Map<String, Object> check = (Map<String, Object>) nativeEnv.get("check");
            Map<String, Object> gemm = (Map<String, Object>) ((List<Object>) check.get("gemm_check")).get(0);
            assertEquals(Boolean.TRUE, gemm.get("passed"), gemm.toString());
            Map<String, Object> blas = (Map<String, Object>) check.get("blas");
            assertTrue(blas.containsKey("threadpoolctl") && blas.containsKey("libraries") && blas.containsKey("torch_config"),
                    blas.toString());
            Map<String, Object> childEnv = (Map<String, Object>) blas.get("env");
            assertNull(childEnv.get("OPENBLAS_CORETYPE"));
            assertNull(childEnv.get("OPENBLAS_L2_SIZE"));
            assertEquals("native", blas.get("blas_env"));
            assertNotNull(check.get("torch"));
            assertFalse(((List<Object>) check.get("threads")).isEmpty());
        }
    }

    @Test
    void unknownWorkloadIsAOneLineError() {
        CliRunner r = CliRunner.run("bench", "--workloads", "w9", "--no-torch");
        assertTrue(r.exitCode() != 0);
        assertTrue(r.err().contains("w9"), r.err());
    }

    @Test
    void unknownBlasEnvironmentIsAOneLineErrorNamingTheChoices() {
        CliRunner r = CliRunner.run("bench", "--workloads", "w1", "--torch-blas-env", "old");
        assertTrue(r.exitCode() != 0);
        assertTrue(r.err().contains("old") && r.err().contains("native") && r.err().contains("forced"), r.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMissingPythonIsOneLineNamingItAndNoTorchAndTheRunGoesOn() {
        CliRunner r = CliRunner.run("bench", "--quick", "--json", "--workloads", "w1", "--python", "/nonexistent/python3",
                "--torch-scripts", SCRIPTS);
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.contains("PyTorch")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("/nonexistent/python3") && lines.get(0).contains("--no-torch"), lines.get(0));
        Map<String, Object> doc = (Map<String, Object>) Json.parse(r.out().strip());
        Map<String, Object> row = (Map<String, Object>) ((List<Object>) doc.get("rows")).get(0);
        assertNull(row.get("torch"));
        Map<String, Object> envs = (Map<String, Object>) ((Map<String, Object>) doc.get("torch")).get("environments");
        assertNotNull(((Map<String, Object>) envs.get("native")).get("skipped"));
    }
}
