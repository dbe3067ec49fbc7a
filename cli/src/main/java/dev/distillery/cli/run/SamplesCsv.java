package dev.distillery.cli.run;


import dev.distillery.cli.error.CliException;
import dev.distillery.cli.report.AtomicFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Samples as CSV: a header {@code x0,x1,...} and one row per sample, numbers in full precision
 * (round-trip). Images are flattened row-major ({@code [1, 8, 8]} gives 64 columns).
 */
public final class SamplesCsv {
    private SamplesCsv() {
    }

    public static String format(double[][] rows) {
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
    public static void write(Path file, double[][] rows, String flag) {
        try {
            AtomicFiles.writeString(file, format(rows));
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot write " + file + " (" + flag + "): " + CliException.describe(e)
                    + "; choose a writable path");
        }
    }

    /**
     * Reads a samples CSV: an optional header of names (such as {@code x0,x1}), then rows of
     * exactly {@code dim} finite decimal numbers. Anything else is a one-line {@link CliException}
     * naming the line and the value: a NaN or an infinity (which no metric can use), a missing or
     * extra column (a trailing comma included), a word, a hexadecimal or a Java-only spelling,
     * or more than {@code maxRows} rows (reading stops there, so a huge file costs little).
     */
    public static double[][] read(Path file, int dim, int maxRows, String flag) {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            int lineNo = 0;
            while ((raw = in.readLine()) != null) {
                lineNo++;
                String line = raw.strip();
                if (line.isEmpty() || (lineNo == 1 && isHeader(line))) {
                    continue;
                }
                if (rows.size() == maxRows) {
                    throw new CliException(file + " holds more than " + maxRows + " samples, the most " + flag
                            + " measures (the metrics compare every pair, so their time grows with the square); pass "
                            + "the first " + maxRows + " (head -n " + (maxRows + 1) + " FILE)");
                }
                rows.add(row(file, lineNo, line, dim));
            }
        } catch (NoSuchFileException e) {
            throw new CliException("samples file " + file + " (" + flag + ") does not exist; write one with 'distillery sample'");
        } catch (IOException | UncheckedIOException e) {
            throw new CliException("cannot read " + file + " (" + flag + "): " + CliException.describe(e)
                    + "; pass a UTF-8 text file of comma-separated numbers");
        }
        if (rows.size() < 2) {
            throw new CliException(file + " has " + rows.size() + " samples; the metrics need at least 2");
        }
        return rows.toArray(double[][]::new);
    }

    private static double[] row(Path file, int lineNo, String line, int dim) {
        String[] cells = line.split(",", -1);
        if (cells.length != dim) {
            throw new CliException(file + " line " + lineNo + ": " + cells.length + " values, but the dataset has "
                    + dim + " dimensions; pass samples of this dataset (or the matching --dataset)");
        }
        double[] r = new double[dim];
        for (int j = 0; j < dim; j++) {
            String cell = cells[j].strip();
            if (!NUMBER.matcher(cell).matches()) {
                throw new CliException(file + " line " + lineNo + ", column " + (j + 1) + ": '" + shortened(cell)
                        + "' is not a number; write decimal numbers such as -1.25 or 3e-4");
            }
            r[j] = Double.parseDouble(cell);
            if (!Double.isFinite(r[j])) {
                throw new CliException(file + " line " + lineNo + ", column " + (j + 1) + ": '" + shortened(cell)
                        + "' is beyond the range of a double; the samples must be finite");
            }
        }
        return r;
    }

    /** A first line of names, none of which is a number or a NaN/infinity spelling. */
    private static boolean isHeader(String line) {
        for (String cell : line.split(",", -1)) {
            String c = cell.strip();
            if (!NAME.matcher(c).matches() || NON_FINITE.matcher(c).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String shortened(String cell) {
        return cell.length() <= 40 ? cell : cell.substring(0, 40) + "...";
    }

    /** Decimal numbers only: Java's parser would also take NaN, Infinity, 0x1p3 and 1d. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");
}
