package dev.distillery.sweep;

import dev.distillery.cli.report.AtomicFiles;
import dev.distillery.cli.report.MetricsTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The grid's results as tables, one row per cell and sample step count: a Spark DataFrame written
 * to {@code results.parquet} (for Spark, pandas, DuckDB) and the same rows as {@code metrics.csv}
 * in the demo's CSV layout ({@link MetricsTable}: method, steps, the metrics, the seconds, then the
 * cell's coordinates).
 */
final class SweepTables {
    static final String PARQUET = "results.parquet";
    static final String CSV = "metrics.csv";

    private SweepTables() {
    }

    /** The long table of {@code results}, in their order. */
    static MetricsTable table(List<CellResult> results) {
        MetricsTable t = new MetricsTable();
        for (CellResult r : results) {
            Cell c = r.cell();
            for (ResultRow row : r.rows()) {
                t.add(new MetricsTable.Row(row.name(), row.sampleSteps(), row.metrics(), row.trainSeconds(),
                        row.sampleSeconds())
                        .withLabel("cell", c.id())
                        .withLabel("setting", c.setting())
                        .withLabel("seed", Long.toString(c.seed()))
                        .withLabel("budget", c.isReference() ? "" : c.budget())
                        .withLabel("train_steps", Integer.toString(c.steps()))
                        .withLabel("batch", Integer.toString(c.batch()))
                        .withLabel("samples", Integer.toString(c.samples()))
                        .withLabel("failures", String.join("; ", r.failures())));
            }
        }
        return t;
    }

    /** Writes {@code metrics.csv} and {@code results.parquet} into {@code out}. */
    static void write(SparkSession spark, List<CellResult> results, Path out) {
        try {
            AtomicFiles.writeString(out.resolve(CSV), table(results).toCsv());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(CSV), e);
        }
        dataFrame(spark, results).coalesce(1).write().mode(SaveMode.Overwrite).parquet(out.resolve(PARQUET).toString());
    }

    /**
     * The results as a DataFrame: the cell's coordinates (its method's settings as {@code setting},
     * e.g. {@code mu=0.99}, empty for the recipe and the reference rows), the sample steps, one double
     * column per metric, the seconds.
     */
    static Dataset<Row> dataFrame(SparkSession spark, List<CellResult> results) {
        Set<String> metricNames = new LinkedHashSet<>();
        results.forEach(r -> r.rows().forEach(row -> metricNames.addAll(row.metrics().keySet())));
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("cell", DataTypes.StringType, false),
                DataTypes.createStructField("method", DataTypes.StringType, false),
                DataTypes.createStructField("setting", DataTypes.StringType, false),
                DataTypes.createStructField("seed", DataTypes.LongType, false),
                DataTypes.createStructField("budget", DataTypes.StringType, true),
                DataTypes.createStructField("train_steps", DataTypes.IntegerType, false),
                DataTypes.createStructField("batch", DataTypes.IntegerType, false),
                DataTypes.createStructField("samples", DataTypes.IntegerType, false),
                DataTypes.createStructField("sample_steps", DataTypes.IntegerType, false)));
        metricNames.forEach(m -> fields.add(DataTypes.createStructField(m, DataTypes.DoubleType, true)));
        fields.add(DataTypes.createStructField("train_seconds", DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("sample_seconds", DataTypes.DoubleType, true));
        fields.add(DataTypes.createStructField("failures", DataTypes.StringType, false));
        List<Row> rows = new ArrayList<>();
        for (CellResult r : results) {
            Cell c = r.cell();
            for (ResultRow row : r.rows()) {
                List<Object> v = new ArrayList<>(List.of(c.id(), row.name(), c.setting(), c.seed()));
                v.add(c.budget());
                v.addAll(List.of(c.steps(), c.batch(), c.samples(), row.sampleSteps()));
                metricNames.forEach(m -> v.add(row.metric(m)));
                v.add(row.trainSeconds());
                v.add(row.sampleSeconds());
                v.add(String.join("; ", r.failures()));
                rows.add(RowFactory.create(v.toArray()));
            }
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(fields));
    }
}
