package dev.distillery.cli;

import dev.distillery.cli.report.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples as CSV: a header {@code x0,x1,...} and one row per sample, numbers in full precision
 * (round-trip). Images are flattened row-major ({@code [1, 8, 8]} gives 64 columns).
 */
final class SamplesCsv {
    private SamplesCsv() {
    }

    static String format(double[][] rows) {
        StringBuilder sb = new StringBuilder();
        int d = rows.length == 0 ? 0 : rows[0].length;
        for (int j = 0; j < d; j++) {
            sb.append(j == 0 ? "" : ",").append('x').append(j);
        }
        sb.append('\n');
        for (double[] r : rows) {
            for (int j = 0; j < r.length; j++) {
                sb.append(j == 0 ? "" : ",").append(r[j]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes {@code rows} to {@code file} atomically; an unwritable path is one line naming it and the flag. */
    static void write(Path file, double[][] rows, String flag) {
        try {
            AtomicFiles.writeString(file, format(rows));
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot write " + file + " (" + flag + "): " + MethodRun.describe(e)
                    + "; choose a writable path");
        }
    }

    /** Reads a samples CSV: an optional header, then rows of {@code dim} numbers. */
    static double[][] read(Path file, int dim, String flag) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new CliException("samples file " + file + " (" + flag + ") does not exist; write one with 'distillery sample'");
        } catch (IOException e) {
            throw new CliException("cannot read " + file + " (" + flag + "): " + MethodRun.describe(e));
        }
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || (rows.isEmpty() && i == 0 && !line.isEmpty() && Character.isLetter(line.charAt(0)))) {
                continue;
            }
            String[] cells = line.split(",");
            if (cells.length != dim) {
                throw new CliException(file + " line " + (i + 1) + ": " + cells.length + " values, but the dataset has "
                        + dim + " dimensions; pass samples of this dataset (or the matching --dataset)");
            }
            double[] r = new double[dim];
            for (int j = 0; j < dim; j++) {
                try {
                    r[j] = Double.parseDouble(cells[j].strip());
                } catch (NumberFormatException e) {
                    throw new CliException(file + " line " + (i + 1) + ": '" + cells[j].strip() + "' is not a number");
                }
            }
            rows.add(r);
        }
        if (rows.size() < 2) {
            throw new CliException(file + " has " + rows.size() + " samples; the metrics need at least 2");
        }
        return rows.toArray(double[][]::new);
    }
}
