package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Prediction;
import java.util.Arrays;

/**
 * I6 (MATH 3): the conversions round-trip, x -&gt; eps -&gt; v -&gt; x (and x -&gt; v -&gt; eps -&gt; x), with
 * per-sample alpha and {@code sigma = sqrt(1 - alpha^2)}. Input: a batch {@code [B, D]} (B, D in
 * [1, 4]), one alpha per row in {@code [1e-3, 1 - 1e-9]} (edges 1e-3, 1/2, {@code 1 - 1e-6},
 * {@code 1 - 1e-9}: alpha_bar near 0 and near 1, where sigma is about 4.5e-5), x and z data values
 * (outliers included).
 *
 * <p>Each conversion divides by alpha or sigma once; a round trip therefore carries an absolute
 * error of about {@code c eps (|x| + |z| + 1) / (alpha sigma)} with c a small count of roundings.
 * Error: {@code |x' - x| alpha sigma / (|x| + |z| + 1)} per element (the input's conditioning,
 * {@code 1/(alpha sigma)}, is in the scaling); tolerance {@code 32 eps}.
 */
public final class I6PredictionRoundTrip implements Identity<I6PredictionRoundTrip.Input> {
    /**
     * @param shape {@code [B, D]}
     * @param alpha one per row
     * @param x the data, B x D values
     * @param z the noisy values, B x D
     */
    public record Input(int[] shape, double[] alpha, double[] x, double[] z) {
        @Override
        public String toString() {
            return "shape " + Arrays.toString(shape) + ", alpha = " + Arrays.toString(alpha) + ", x = "
                    + Arrays.toString(x) + ", z = " + Arrays.toString(z);
        }
    }

    @Override public String id() { return "I6"; }
    @Override public String name() { return "parameterization round trips"; }
    @Override public String equation() { return "x -> eps = (z - alpha x)/sigma -> v = alpha eps - sigma x -> x = alpha z - sigma v"; }

    @Override
    public Input input(Choices c) {
        int[] shape = c.shape("shape", 2, 2, 4);
        double[] alpha = new double[shape[0]];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = alpha(c);
        }
        return new Input(shape, alpha, c.data("x", shape[0] * shape[1]), c.data("z", shape[0] * shape[1]));
    }

    /** An alpha in {@code [1e-3, 1 - 1e-9]}, with alpha_bar near 0 and near 1 among the edges; shrinks toward 1e-3. */
    static double alpha(Choices c) {
        return c.real("alpha", 1e-3, 1 - 1e-9, 0.5, 1 - 1e-6);
    }

    /** {@code sqrt(1 - alpha^2)}, written without cancellation. */
    static double sigma(double alpha) {
        return Math.sqrt((1 - alpha) * (1 + alpha));
    }

    @Override
    public double error(Input in) {
        int b = in.shape()[0];
        int d = in.shape()[1];
        double[] a = in.alpha();
        double[] s = new double[b];
        for (int i = 0; i < b; i++) {
            s[i] = sigma(a[i]);
        }
        Tensor alpha = Tensor.of(DType.F64, a, b);
        Tensor sigma = Tensor.of(DType.F64, s, b);
        Tensor x = Tensor.of(DType.F64, in.x(), b, d);
        Tensor z = Tensor.of(DType.F64, in.z(), b, d);
        Tensor eps = Prediction.X0.toEps(z, x, alpha, sigma);
        Tensor v = Prediction.EPS.toV(z, eps, alpha, sigma);
        Tensor back = Prediction.V.toX0(z, v, alpha, sigma);
        Tensor v2 = Prediction.X0.toV(z, x, alpha, sigma);
        Tensor eps2 = Prediction.V.toEps(z, v2, alpha, sigma);
        Tensor back2 = Prediction.EPS.toX0(z, eps2, alpha, sigma);
        double[] xs = in.x();
        double[] zs = in.z();
        double[] b1 = back.toDoubleArray();
        double[] b2 = back2.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < xs.length; i++) {
            int row = i / d;
            double scale = (Math.abs(xs[i]) + Math.abs(zs[i]) + 1) / (a[row] * s[row]);
            // Math.max keeps a NaN, which counts as a failure.
            worst = Math.max(worst, Math.max(Math.abs(b1[i] - xs[i]), Math.abs(b2[i] - xs[i])) / scale);
        }
        return worst;
    }

    @Override
    public double tolerance(Input in) {
        return 32 * EPS;
    }
}
