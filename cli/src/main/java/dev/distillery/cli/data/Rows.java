package dev.distillery.cli.data;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.data.Digits;

import java.util.Arrays;

/**
 * Samples as the metrics, pictures and CSV files read them: one {@code double[]} row per sample,
 * flattened. Conversions between rows and tensors, and the few row operations several classes need.
 */
public final class Rows {
    private Rows() {
    }

    /** A batch tensor as rows {@code [n][prod(sampleShape)]}. */
    public static double[][] of(Tensor batch) {
        int n = batch.dim(0);
        double[] flat = batch.toDoubleArray();
        int d = flat.length / n;
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    /** Rows of 64 pixels as an image batch {@code [n, 1, 8, 8]}. */
    static Tensor images(double[][] rows) {
        double[] flat = new double[rows.length * Digits.PIXELS];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * Digits.PIXELS, Digits.PIXELS);
        }
        return Tensor.of(Dataset.DTYPE, flat, rows.length, 1, 8, 8);
    }

    /** Mean Euclidean distance between corresponding rows. */
    public static double meanDistance(double[][] a, double[][] b) {
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            double sq = 0;
            for (int j = 0; j < a[i].length; j++) {
                double d = a[i][j] - b[i][j];
                sq += d * d;
            }
            total += Math.sqrt(sq);
        }
        return total / a.length;
    }

    /** The rows whose every value is finite. */
    static double[][] finite(double[][] samples) {
        return Arrays.stream(samples).filter(r -> Arrays.stream(r).allMatch(Double::isFinite)).toArray(double[][]::new);
    }

    /** A float image (or point) as a row. */
    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
