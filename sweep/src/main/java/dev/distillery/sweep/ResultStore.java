package dev.distillery.sweep;

import dev.distillery.cli.report.AtomicFiles;
import dev.distillery.autograd.io.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The finished cells of a sweep folder, one JSON file per cell under {@code cells/}, written by the
 * driver the moment a task's result arrives. That is what makes a sweep resumable: a re-run of the
 * same grid into the same folder, after a finished run or a killed one, skips every cell whose file
 * exists. Numbers are stored in full precision ({@link Double#toString}), so a cell read back
 * equals the one computed, bit for bit.
 */
final class ResultStore {
    static final String CELLS = "cells";

    private final Path dir;

    ResultStore(Path sweepFolder) {
        this.dir = sweepFolder.resolve(CELLS);
    }

    /** The stored results by cell id. */
    Map<String, CellResult> load() {
        Map<String, CellResult> done = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return done;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                CellResult r = fromJson(Json.parse(Files.readString(f)));
                done.put(r.cell().id(), r);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the finished cells in " + dir + ": " + e.getMessage()
                    + "; delete the unreadable file to run its cell again");
        }
        return done;
    }

    /** Stores {@code r} atomically (a killed driver leaves no half-written cell). */
    void save(CellResult r) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve(r.cell().id() + ".json"), Json.write(toJson(r)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store cell " + r.cell().id(), e);
        }
    }

    static Map<String, Object> toJson(CellResult r) {
        Cell c = r.cell();
        Map<String, Object> cell = new LinkedHashMap<>();
        cell.put("method", c.method());
        if (!c.setting().isEmpty()) {
            cell.put("setting", c.setting()); // absent for a recipe cell: its file reads as before settings existed
        }
        cell.put("seed", c.seed());
        cell.put("budget", c.budget());
        cell.put("steps", c.steps());
        cell.put("batch", c.batch());
        cell.put("samples", c.samples());
        List<Object> rows = new ArrayList<>();
        for (ResultRow row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", row.name());
            m.put("sample_steps", row.sampleSteps());
            Map<String, Object> metrics = new LinkedHashMap<>();
            row.metrics().forEach((k, v) -> metrics.put(k, number(v)));
            m.put("metrics", metrics);
            m.put("train_seconds", number(row.trainSeconds()));
            m.put("sample_seconds", number(row.sampleSeconds()));
            rows.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cell", cell);
        out.put("rows", rows);
        out.put("failures", new ArrayList<Object>(r.failures()));
        out.put("seconds", number(r.seconds()));
        return out;
    }

    @SuppressWarnings("unchecked")
    static CellResult fromJson(Object tree) {
        Map<String, Object> root = (Map<String, Object>) tree;
        Map<String, Object> c = (Map<String, Object>) root.get("cell");
        Cell cell = new Cell((String) c.get("method"), (String) c.get("setting"), ((Number) c.get("seed")).longValue(),
                (String) c.get("budget"),
                ((Number) c.get("steps")).intValue(), ((Number) c.get("batch")).intValue(),
                ((Number) c.get("samples")).intValue());
        List<ResultRow> rows = new ArrayList<>();
        for (Object o : (List<Object>) root.get("rows")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Map<String, Double> metrics = new LinkedHashMap<>();
            ((Map<String, Object>) m.get("metrics")).forEach((k, v) -> metrics.put(k, value(v)));
            rows.add(new ResultRow((String) m.get("name"), ((Number) m.get("sample_steps")).intValue(), metrics,
                    value(m.get("train_seconds")), value(m.get("sample_seconds"))));
        }
        List<String> failures = ((List<Object>) root.get("failures")).stream().map(String::valueOf).toList();
        return new CellResult(cell, rows, failures, value(root.get("seconds")));
    }

    /** JSON has no NaN: a non-finite value is stored as null (every non-finite metric reads NaN). */
    private static Object number(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    private static double value(Object v) {
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }
}
