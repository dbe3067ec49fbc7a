package dev.distillery.diffusion.identities;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Prediction;
import java.util.SplittableRandom;

/**
 * I6 (MATH 3): the conversions round-trip, x -&gt; eps -&gt; v -&gt; x (and x -&gt; v -&gt; eps -&gt; x), with
 * per-sample alpha and {@code sigma = sqrt(1 - alpha^2)}, alpha in [0.05, 0.9987] (so both are
 * at least 0.05). Each conversion divides by alpha or sigma once; a round trip therefore carries an
 * absolute error of about {@code c eps (|x| + |z| + 1) / (alpha sigma)} with c a small count of
 * roundings. Error: {@code |x' - x| alpha sigma / (|x| + |z| + 1)} per element; tolerance {@code 32 eps}.
 */
public final class I6PredictionRoundTrip implements Identity {
    @Override public String id() { return "I6"; }
    @Override public String name() { return "parameterization round trips"; }
    @Override public String equation() { return "x -> eps = (z - alpha x)/sigma -> v = alpha eps - sigma x -> x = alpha z - sigma v"; }
    @Override public double tolerance() { return 32 * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int b = 1 + r.nextInt(16);
        int d = 1 + r.nextInt(8);
        double[] a = new double[b];
        double[] s = new double[b];
        for (int i = 0; i < b; i++) {
            a[i] = 0.05 + (0.9987 - 0.05) * r.nextDouble();
            s[i] = Math.sqrt((1 - a[i]) * (1 + a[i]));
        }
        Tensor alpha = Tensor.of(DType.F64, a, b);
        Tensor sigma = Tensor.of(DType.F64, s, b);
        Tensor x = Tensor.of(DType.F64, Inputs.normals(r, b * d), b, d);
        Tensor z = Tensor.of(DType.F64, Inputs.normals(r, b * d), b, d);
        Tensor eps = Prediction.X0.toEps(z, x, alpha, sigma);
        Tensor v = Prediction.EPS.toV(z, eps, alpha, sigma);
        Tensor back = Prediction.V.toX0(z, v, alpha, sigma);
        Tensor v2 = Prediction.X0.toV(z, x, alpha, sigma);
        Tensor eps2 = Prediction.V.toEps(z, v2, alpha, sigma);
        Tensor back2 = Prediction.EPS.toX0(z, eps2, alpha, sigma);
        double[] xs = x.toDoubleArray();
        double[] zs = z.toDoubleArray();
        double[] b1 = back.toDoubleArray();
        double[] b2 = back2.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < xs.length; i++) {
            int row = i / d;
            double scale = (Math.abs(xs[i]) + Math.abs(zs[i]) + 1) / (a[row] * s[row]);
            worst = Math.max(worst, Math.max(Math.abs(b1[i] - xs[i]), Math.abs(b2[i] - xs[i])) / scale);
        }
        return worst;
    }
}
