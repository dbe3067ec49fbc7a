package dev.distillery.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.nn.checkpoint.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Structure only: timings are never asserted. */
class BenchCommandTest {

    @Test
    @SuppressWarnings("unchecked")
    void quickJsonListsOneObjectPerCellWithTheAgreedKeys() {
        CliRunner r = CliRunner.run("bench", "--quick", "--json", "--workloads", "w1");
        assertEquals(0, r.exitCode(), r.err());
        List<Object> rows = (List<Object>) Json.parse(r.out().strip());
        assertEquals(1, rows.size());
        Map<String, Object> row = (Map<String, Object>) rows.get(0);
        for (String k : List.of("workload", "variant", "threads", "unit", "ours", "torch", "speedup")) {
            assertTrue(row.containsKey(k), k + " in " + row);
        }
        assertEquals("W1 GEMM", row.get("workload"));
        assertEquals("GFLOP/s", row.get("unit"));
        assertTrue(((Number) row.get("ours")).doubleValue() > 0, row.toString());
        if (row.get("torch") == null) {
            assertNull(row.get("speedup"));
        } else {
            assertNotNull(row.get("speedup"));
        }
    }

    @Test
    void unknownWorkloadIsAOneLineError() {
        CliRunner r = CliRunner.run("bench", "--workloads", "w9", "--no-torch");
        assertTrue(r.exitCode() != 0);
        assertTrue(r.err().contains("w9"), r.err());
    }
}
