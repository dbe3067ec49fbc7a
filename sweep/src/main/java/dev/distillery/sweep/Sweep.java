package dev.distillery.sweep;

import dev.distillery.cli.GridCell;
import dev.distillery.cli.ShippedTeacher;
import dev.distillery.cli.progress.Progress;
import dev.distillery.cli.run.DemoResults;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.SparkSession;

/**
 * A sweep, start to end: the teacher obtained once on the driver (or read back from the folder of an
 * earlier run of the grid), the cells not yet in the folder run as one Spark job, each result stored
 * as it arrives, then the tables and the report written from every cell of the grid.
 */
public final class Sweep {
    static final String TEACHER = "teacher.bin";
    static final String TEACHER_ID = "teacher.txt";

    private Sweep() {
    }

    /**
     * Where and how to run.
     *
     * @param master      Spark master URL: {@code local[*]}, {@code local[2]}, {@code spark://host:7077}
     * @param conf        extra Spark settings (e.g. {@code spark.executor.memory})
     * @param out         the sweep folder (its {@code cells/} make a re-run resume)
     * @param commandLine for the report
     */
    public record Options(String master, Map<String, String> conf, Path out, String commandLine) {
        public Options {
            conf = Map.copyOf(conf);
        }
    }

    /**
     * What a sweep did.
     *
     * @param results       every cell of the grid, in grid order
     * @param ran           cells run now
     * @param skipped       cells found done in the folder
     * @param wallSeconds   wall time of the Spark job
     * @param serialSeconds the run cells' own times added: what one core would have taken
     */
    public record Outcome(List<CellResult> results, int ran, int skipped, double wallSeconds, double serialSeconds) {
    }

    /** Runs {@code grid} with {@code teacher} as {@code options} say; progress lines go to {@code log}. */
    public static Outcome run(Grid grid, TeacherChoice teacher, Options options, Progress progress, PrintWriter log) {
        Path out = options.out();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the sweep folder " + out + ": " + e.getMessage());
        }
        ResultStore store = new ResultStore(out);
        ShippedTeacher shipped = teacher(grid, teacher, out, progress, log);
        Map<String, CellResult> done = store.load();
        List<Cell> cells = grid.cells();
        done.values().removeIf(r -> !current(r));
        List<Cell> todo = cells.stream().filter(c -> !done.containsKey(c.id())).toList();
        log.printf(Locale.ROOT, "sweep: %d cells, %d already done in %s, %d to run on %s%n", cells.size(),
                cells.size() - todo.size(), out, todo.size(), options.master());
        log.flush();
        SparkSession spark = SparkGrid.session(options.master(), options.conf());
        try {
            long start = System.nanoTime();
            int[] finished = {0};
            double[] serial = {0};
            SparkGrid.run(spark, shipped, todo, r -> {
                store.save(r);
                done.put(r.cell().id(), r);
                serial[0] += r.seconds();
                log.printf(Locale.ROOT, "[%d/%d] %s: %.1f s%s%n", ++finished[0], todo.size(), r.cell().id(), r.seconds(),
                        r.failures().isEmpty() ? "" : " (" + String.join("; ", r.failures()) + ")");
                log.flush();
            });
            double wall = (System.nanoTime() - start) / 1e9;
            List<CellResult> results = new ArrayList<>();
            cells.forEach(c -> results.add(done.get(c.id())));
            SweepTables.write(spark, results, out);
            SweepReport.write(out, results, new SweepReport.Context(grid, shipped.description(), options.master(),
                    spark.sparkContext().defaultParallelism(), options.commandLine(), todo.size(),
                    cells.size() - todo.size(), wall, serial[0]));
            return new Outcome(results, todo.size(), cells.size() - todo.size(), wall, serial[0]);
        } finally {
            spark.stop();
        }
    }

    /**
     * Whether a stored result is what its cell gives today: a reference cell stored before the
     * reference cells measured the teacher's DDIM-50 and DDPM samplers is run again (seconds), so a
     * resumed folder's report has them for every seed. Method cells are always current.
     */
    static boolean current(CellResult r) {
        return !r.cell().isReference() || r.rows().stream().anyMatch(row -> row.name().equals(DemoResults.TEACHER_DDIM50));
    }

    /**
     * The grid's teacher: the one an earlier run stored in the folder when it was obtained the same
     * way (so a resumed grid distils the very same network), else obtained now and stored. A folder
     * whose cells came from another teacher is refused: mixing them would compare unlike cells.
     */
    private static ShippedTeacher teacher(Grid grid, TeacherChoice choice, Path out, Progress progress, PrintWriter log) {
        String identity = choice.identity(grid.dataset());
        Path bin = out.resolve(TEACHER);
        Path id = out.resolve(TEACHER_ID);
        try {
            if (Files.isRegularFile(bin) && Files.isRegularFile(id)) {
                String stored = Files.readString(id).strip();
                if (!stored.equals(identity)) {
                    throw new IllegalArgumentException("the sweep folder " + out + " holds cells distilled from another teacher ("
                            + stored + "); pass another --out, or the same teacher flags as before");
                }
                try (InputStream in = Files.newInputStream(bin); ObjectInputStream o = new ObjectInputStream(in)) {
                    log.println("sweep: teacher read back from " + bin);
                    return (ShippedTeacher) o.readObject();
                }
            }
            boolean conditional = grid.methods().stream().anyMatch(GridCell::needsClassConditionalTeacher);
            ShippedTeacher t = choice.obtain(grid.dataset(), conditional, progress);
            try (OutputStream os = Files.newOutputStream(bin); ObjectOutputStream o = new ObjectOutputStream(os)) {
                o.writeObject(t);
            }
            Files.writeString(id, identity + "\n");
            log.printf(Locale.ROOT, "sweep: teacher obtained once on the driver (%d bytes to ship): %s%n", t.bytes(), t.description());
            return t;
        } catch (IOException | ClassNotFoundException e) {
            throw new UncheckedIOException("cannot store or read the teacher in " + out,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }
}
