package dev.distillery.autograd.simd;

import dev.distillery.autograd.backend.AdamPlan;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One Adam step in a single pass over parameter, gradient and the two moments, where the composed
 * form ({@code Backend.adamStep}'s default) makes thirteen passes and allocates a vector for
 * each. The operations, their order and their rounding are the composed ones exactly: each
 * scalar is first rounded to the dtype (as {@code SCALE}, {@code SHIFT} and a stored constant
 * are on this backend) and each product, sum, quotient and root is rounded once. So the fused
 * and the composed step agree bit for bit, and nothing depends on the thread count.
 */
final class SimdAdamF64 {
    static final VectorSpecies<Double> S = SimdKernelsF64.S;
    static final int L = S.length();

    private SimdAdamF64() {
    }

    /** The step's scalars rounded to the dtype once. */
    private record Scalars(boolean decay, boolean decoupled, double keep, double lambda, double beta1, double gain1,
                           double beta2, double gain2, double bias2, double eps, double stepSize) {
        Scalars(AdamPlan p) {
            this(p.weightDecay() != 0, p.decoupled(), (double) (1 - p.lr() * p.weightDecay()), (double) p.weightDecay(),
                    (double) p.beta1(), (double) (1 - p.beta1()), (double) p.beta2(), (double) (1 - p.beta2()),
                    (double) p.bias2Sqrt(), (double) p.eps(), (double) p.stepSize());
        }
    }

    /** Elements [from, to) of {@code param}, {@code m} and {@code v} updated from {@code grad}. */
    static void update(double[] param, double[] grad, double[] m, double[] v, AdamPlan plan, int from, int to) {
        Scalars s = new Scalars(plan);
        int i = from;
        for (; i <= to - L; i += L) {
            update(param, grad, m, v, i, s);
        }
        if (i < to) {
            // the ragged end through the same vector code, on zero-padded copies
            int n = to - i;
            double[][] t = new double[4][L];
            System.arraycopy(param, i, t[0], 0, n);
            System.arraycopy(grad, i, t[1], 0, n);
            System.arraycopy(m, i, t[2], 0, n);
            System.arraycopy(v, i, t[3], 0, n);
            update(t[0], t[1], t[2], t[3], 0, s);
            System.arraycopy(t[0], 0, param, i, n);
            System.arraycopy(t[2], 0, m, i, n);
            System.arraycopy(t[3], 0, v, i, n);
        }
    }

    private static void update(double[] param, double[] grad, double[] m, double[] v, int i, Scalars s) {
        DoubleVector p = DoubleVector.fromArray(S, param, i);
        DoubleVector g = DoubleVector.fromArray(S, grad, i);
        if (s.decay()) {
            if (s.decoupled()) {
                p = p.mul(s.keep());
            } else {
                g = g.add(p.mul(s.lambda()));
            }
        }
        DoubleVector m1 = DoubleVector.fromArray(S, m, i).mul(s.beta1()).add(g.mul(s.gain1()));
        DoubleVector v1 = DoubleVector.fromArray(S, v, i).mul(s.beta2()).add(g.mul(g).mul(s.gain2()));
        DoubleVector denom = v1.sqrt().div(s.bias2()).add(s.eps());
        m1.intoArray(m, i);
        v1.intoArray(v, i);
        p.sub(m1.div(denom).mul(s.stepSize())).intoArray(param, i);
    }
}
