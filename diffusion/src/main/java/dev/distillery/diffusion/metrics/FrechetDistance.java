package dev.distillery.diffusion.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Frechet distance between Gaussians fitted to two feature sets (Heusel et al. 2017, FID):
 * <pre>
 *   d^2 = ||mu_1 - mu_2||^2 + tr(S_1 + S_2 - 2 (S_1 S_2)^{1/2})
 * </pre>
 * with unbiased covariances (divide by n - 1). {@code tr (S_1 S_2)^{1/2}} is computed without the
 * non-symmetric {@code sqrtm} of the reference code: {@code S_1 S_2} is similar to the symmetric
 * positive semi-definite {@code M = S_1^{1/2} S_2 S_1^{1/2}} (conjugate by {@code S_1^{1/2}}), so
 * {@code tr (S_1 S_2)^{1/2} = sum_i sqrt(lambda_i(M))}. {@code S_1^{1/2}} and the eigenvalues of M
 * come from Commons Math's {@link EigenDecomposition} of symmetric matrices; eigenvalues that
 * rounding makes slightly negative are clipped to 0.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** {@code d^2} between feature sets a (n x D) and b (m x D), n, m &gt;= 2. */
    public static double of(double[][] a, double[][] b) {
        double[] muA = mean(a);
        double[] muB = mean(b);
        return of(muA, covariance(a, muA), muB, covariance(b, muB));
    }

    /** {@code d^2} from means and covariances. */
    public static double of(double[] mu1, double[][] s1, double[] mu2, double[][] s2) {
        double meanTerm = 0;
        for (int d = 0; d < mu1.length; d++) {
            double diff = mu1[d] - mu2[d];
            meanTerm += diff * diff;
        }
        RealMatrix a = new Array2DRowRealMatrix(s1);
        RealMatrix b = new Array2DRowRealMatrix(s2);
        RealMatrix rootA = sqrtPsd(a);
        RealMatrix m = rootA.multiply(b).multiply(rootA);
        m = m.add(m.transpose()).scalarMultiply(0.5); // symmetric up to rounding; make it exactly so
        double traceRoot = 0;
        for (double ev : new EigenDecomposition(m).getRealEigenvalues()) {
            traceRoot += Math.sqrt(Math.max(0.0, ev));
        }
        return meanTerm + a.getTrace() + b.getTrace() - 2.0 * traceRoot;
    }

    /** The symmetric PSD square root {@code V diag(sqrt(max(lambda, 0))) V^T}. */
    static RealMatrix sqrtPsd(RealMatrix s) {
        RealMatrix sym = s.add(s.transpose()).scalarMultiply(0.5);
        EigenDecomposition e = new EigenDecomposition(sym);
        RealMatrix v = e.getV();
        double[] ev = e.getRealEigenvalues();
        RealMatrix d = new Array2DRowRealMatrix(ev.length, ev.length);
        for (int i = 0; i < ev.length; i++) {
            d.setEntry(i, i, Math.sqrt(Math.max(0.0, ev[i])));
        }
        return v.multiply(d).multiply(v.transpose());
    }

    static double[] mean(double[][] x) {
        double[] mu = new double[x[0].length];
        for (double[] row : x) {
            for (int d = 0; d < mu.length; d++) {
                mu[d] += row[d];
            }
        }
        for (int d = 0; d < mu.length; d++) {
            mu[d] /= x.length;
        }
        return mu;
    }

    static double[][] covariance(double[][] x, double[] mu) {
        if (x.length < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 points, got " + x.length);
        }
        int dim = mu.length;
        double[][] c = new double[dim][dim];
        for (double[] row : x) {
            for (int i = 0; i < dim; i++) {
                double di = row[i] - mu[i];
                for (int j = 0; j < dim; j++) {
                    c[i][j] += di * (row[j] - mu[j]);
                }
            }
        }
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                c[i][j] /= x.length - 1;
            }
        }
        return c;
    }
}
