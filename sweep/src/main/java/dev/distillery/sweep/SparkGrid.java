package dev.distillery.sweep;

import dev.distillery.cli.ShippedTeacher;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs cells as one Spark job, one task per cell, on whatever master the session has; the teacher
 * travels once to each executor as a broadcast. Each result is handed to the driver's callback as
 * its task finishes (not at the end of the job), so the driver can store it at once.
 */
final class SparkGrid {
    private SparkGrid() {
    }

    /**
     * A session for {@code master} ({@code local[*]}, {@code local[1]}, {@code spark://host:port}),
     * with {@code conf} on top of the sweep's defaults: no web UI, and every executor started with
     * the JDK flags Spark and the engine need ({@link #executorJvmFlags()}).
     */
    static SparkSession session(String master, Map<String, String> conf) {
        SparkSession.Builder b = SparkSession.builder().appName("distillery sweep").master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraJavaOptions", executorJvmFlags());
        conf.forEach(b::config);
        return b.getOrCreate();
    }

    /**
     * The flags of an executor's JVM: the engine's Vector API module and the JDK internals Spark
     * opens on Java 17 (both written once, in the sweep module's pom, and filtered into a resource).
     */
    static String executorJvmFlags() {
        try (InputStream in = SparkGrid.class.getResourceAsStream("executor-jvm.options")) {
            if (in == null) {
                throw new IllegalStateException("executor-jvm.options is missing from the sweep jar; rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code cells} with {@code teacher}; {@code onResult} sees each result on the driver as it arrives. */
    static void run(SparkSession spark, ShippedTeacher teacher, List<Cell> cells, Consumer<CellResult> onResult) {
        if (cells.isEmpty()) {
            return;
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ShippedTeacher> shipped = jsc.broadcast(teacher);
        try {
            // one partition per cell: a task is a cell, so a lost task reruns exactly one cell
            JavaRDD<Cell> rdd = jsc.parallelize(cells, cells.size());
            spark.sparkContext().runJob(rdd.rdd(), new RunCell(shipped), new Deliver(onResult),
                    ClassTag$.MODULE$.apply(CellResult.class));
        } finally {
            shipped.destroy();
        }
    }

    /** The task: the partition's one cell, run with the broadcast teacher. */
    private static final class RunCell extends AbstractFunction1<Iterator<Cell>, CellResult> implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Broadcast<ShippedTeacher> teacher;

        RunCell(Broadcast<ShippedTeacher> teacher) {
            this.teacher = teacher;
        }

        @Override
        public CellResult apply(Iterator<Cell> partition) {
            return CellTask.run(teacher.value(), partition.next());
        }
    }

    /** The driver's side: hands each task's result on. */
    private static final class Deliver extends AbstractFunction2<Object, CellResult, BoxedUnit> implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient Consumer<CellResult> onResult;

        Deliver(Consumer<CellResult> onResult) {
            this.onResult = onResult;
        }

        @Override
        public BoxedUnit apply(Object partition, CellResult result) {
            onResult.accept(result);
            return BoxedUnit.UNIT;
        }
    }
}
