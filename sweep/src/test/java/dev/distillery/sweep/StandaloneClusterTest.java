package dev.distillery.sweep;

import dev.distillery.cli.progress.Progress;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep's promise of determinism: a tiny grid (one method with a setting over its recipe) gives
 * the same metrics, bit for bit, under {@code local[1]}, under {@code local[2]} (two cells at once in
 * one JVM, as {@code local[*]} runs them on two cores), and on a real standalone cluster (master,
 * worker and executors as separate JVMs on 127.0.0.1), also when an executor is killed in the middle
 * of the job; and a re-run of a finished grid runs nothing and changes nothing.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StandaloneClusterTest {
    /**
     * 2 methods (cd's recipe, sds with a learning rate of its own) x 2 seeds x 1 budget of 20 steps on
     * 64 samples, plus a reference cell per seed: 6 cells.
     */
    static final Grid GRID = new Grid("25gaussians", List.of("cd", "sds"), Map.of("sds", Map.of("lr", List.of("0.002"))),
            List.of(0L, 1L), List.of(new Budget("20")), List.of(32), 64);
    static final Map<String, String> LOOPBACK = Map.of("spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1");
    static final TeacherChoice TEACHER = new TeacherChoice("analytic", null, null, null, 0);

    @TempDir
    static Path dir;
    static LoopbackCluster cluster;
    static Sweep.Outcome serial;

    @BeforeAll
    static void startClusterAndRunSerially() throws Exception {
        // the reference first: a JVM holds one SparkContext at a time
        serial = sweep("local[1]", LOOPBACK, dir.resolve("local"));
        assertTrue(serial.results().stream().anyMatch(r -> r.cell().setting().equals("lr=0.002")), "the grid has a setting");
        cluster = LoopbackCluster.start(dir.resolve("cluster"), 2, "1g");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void twoCellsAtOnceInOneJvmMatchLocalOneBitForBit() {
        Sweep.Outcome parallel = sweep("local[2]", LOOPBACK, dir.resolve("local-2"));
        assertEquals(6, parallel.ran());
        assertSameMetrics(serial, parallel);
    }

    @Test
    void clusterMatchesLocalOneBitForBit() {
        Sweep.Outcome onCluster = sweep(cluster.masterUrl(), LoopbackCluster.driverConf(), dir.resolve("on-cluster"));
        assertEquals(6, onCluster.ran());
        assertSameMetrics(serial, onCluster);
        assertTrue(Files.isRegularFile(dir.resolve("on-cluster").resolve(SweepTables.CSV)));
        assertTrue(Files.isRegularFile(dir.resolve("on-cluster").resolve(SweepTables.PARQUET).resolve("_SUCCESS")));
        assertTrue(Files.isRegularFile(dir.resolve("on-cluster").resolve(SweepReport.FILE)));
    }

    @Test
    void killedExecutorChangesNothing() throws Exception {
        Path out = dir.resolve("killed");
        AtomicInteger doneAtKill = new AtomicInteger(-1);
        Thread killer = new Thread(() -> {
            try {
                // mid-job: once the first cell is back, the executor that runs the others dies
                Path cells = out.resolve(ResultStore.CELLS);
                while (!(Files.isDirectory(cells) && Files.list(cells).findAny().isPresent())) {
                    Thread.sleep(20);
                }
                cluster.executor().ifPresent(e -> {
                    try (var s = Files.list(cells)) {
                        doneAtKill.set((int) s.count());
                    } catch (java.io.IOException ignored) {
                        // counted below as not killed
                    }
                    e.destroyForcibly();
                });
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.setDaemon(true);
        killer.start();
        Sweep.Outcome afterKill = sweep(cluster.masterUrl(), LoopbackCluster.driverConf(), out);
        killer.join(5_000);
        assertTrue(doneAtKill.get() >= 1 && doneAtKill.get() < 6,
                "the executor should die with cells left to run; cells done then: " + doneAtKill.get());
        assertSameMetrics(serial, afterKill);
    }

    @Test
    void reRunOfAFinishedGridRunsNothing() {
        Sweep.Outcome again = sweep("local[1]", LOOPBACK, dir.resolve("local"));
        assertEquals(0, again.ran());
        assertEquals(6, again.skipped());
        assertSameMetrics(serial, again);
    }

    static Sweep.Outcome sweep(String master, Map<String, String> conf, Path out) {
        return Sweep.run(GRID, TEACHER, new Sweep.Options(master, conf, out, "test"), Progress.NONE,
                new PrintWriter(new StringWriter()));
    }

    /** Every cell's every row and metric, compared as bits (timings aside). */
    static void assertSameMetrics(Sweep.Outcome expected, Sweep.Outcome actual) {
        assertEquals(expected.results().size(), actual.results().size());
        for (int i = 0; i < expected.results().size(); i++) {
            CellResult e = expected.results().get(i);
            CellResult a = actual.results().get(i);
            assertEquals(e.cell(), a.cell());
            assertEquals(e.failures(), a.failures(), e.cell().id());
            assertEquals(e.rows().size(), a.rows().size(), e.cell().id());
            for (int r = 0; r < e.rows().size(); r++) {
                ResultRow er = e.rows().get(r);
                ResultRow ar = a.rows().get(r);
                assertEquals(er.name(), ar.name());
                assertEquals(er.sampleSteps(), ar.sampleSteps());
                assertEquals(er.metrics().keySet(), ar.metrics().keySet());
                for (String m : er.metrics().keySet()) {
                    assertEquals(Double.doubleToLongBits(er.metric(m)), Double.doubleToLongBits(ar.metric(m)),
                            e.cell().id() + " " + er.name() + " at " + er.sampleSteps() + " steps: " + m);
                }
            }
            assertTrue(!e.rows().isEmpty() && !e.rows().get(0).metrics().isEmpty(), e.cell().id() + " measured nothing");
        }
    }
}
