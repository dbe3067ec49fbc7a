package dev.distillery.diffusion.data;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;

import java.util.random.RandomGenerator;

/** Real training data, for the methods that use it (consistency training, rectified flow, ADD, GANs). */
public interface DataSource {

    /** A batch of samples with their class labels (labels null for unlabelled data). */
    record Batch(Tensor x, int[] labels) {
    }

    /** {@code n} samples drawn with {@code rng}. */
    Batch batch(int n, Rng rng);

    /** Samples of a Gaussian mixture, labelled by component. */
    static DataSource mixture(MixtureSpec spec, DType dtype) {
        return (n, rng) -> {
            double[] flat = new double[n * spec.dim()];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                double u = rng.nextDouble();
                int k = 0;
                double acc = spec.weight(0);
                while (u > acc && k < spec.k() - 1) {
                    acc += spec.weight(++k);
                }
                labels[i] = k;
                for (int d = 0; d < spec.dim(); d++) {
                    flat[i * spec.dim() + d] = spec.mean(k, d) + spec.std(k) * rng.nextGaussian();
                }
            }
            return new Batch(Tensor.of(dtype, flat, n, spec.dim()), labels);
        };
    }

    /** Uniform draws with replacement from a fixed set of samples of shape {@code sampleShape}. */
    static DataSource of(float[][] samples, int[] labels, int[] sampleShape, DType dtype) {
        int size = samples[0].length;
        return (n, rng) -> {
            double[] flat = new double[n * size];
            int[] ys = labels == null ? null : new int[n];
            for (int i = 0; i < n; i++) {
                int j = rng.nextInt(samples.length);
                for (int d = 0; d < size; d++) {
                    flat[i * size + d] = samples[j][d];
                }
                if (ys != null) {
                    ys[i] = labels[j];
                }
            }
            int[] dims = new int[sampleShape.length + 1];
            dims[0] = n;
            System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
            return new Batch(Tensor.of(dtype, flat, dims), ys);
        };
    }

    /** Adapts a {@link RandomGenerator}-driven generator of {@code double[n][d]} points (e.g. {@code Toy2d}). */
    static DataSource points(java.util.function.BiFunction<Integer, RandomGenerator, double[][]> draw, DType dtype) {
        return (n, rng) -> {
            double[][] p = draw.apply(n, new java.util.SplittableRandom(rng.nextLong()));
            int d = p[0].length;
            double[] flat = new double[n * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(p[i], 0, flat, i * d, d);
            }
            return new Batch(Tensor.of(dtype, flat, n, d), null);
        };
    }
}
