// GENERATED from SimdAdamF64.java by GenerateF32Kernels — do not edit.
// Regenerate: java --add-modules=jdk.incubator.vector -cp autograd/target/test-classes:autograd/target/classes dev.distillery.autograd.simd.GenerateF32Kernels
package dev.distillery.autograd.simd;

import dev.distillery.autograd.backend.AdamPlan;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One Adam step in a single pass over parameter, gradient and the two moments, where the composed
 * form ({@code Backend.adamStep}'s default) makes thirteen passes and allocates a vector for
 * each. The operations, their order and their rounding are the composed ones exactly: each
 * scalar is first rounded to the dtype (as {@code SCALE}, {@code SHIFT} and a stored constant
 * are on this backend) and each product, sum, quotient and root is rounded once. So the fused
 * and the composed step agree bit for bit, and nothing depends on the thread count.
 */
final class SimdAdamF32 {
    static final VectorSpecies<Float> S = SimdKernelsF32.S;
    static final int L = S.length();

    private SimdAdamF32() {
    }

    /** The step's scalars rounded to the dtype once. */
    private record Scalars(boolean decay, boolean decoupled, float keep, float lambda, float beta1, float gain1,
                           float beta2, float gain2, float bias2, float eps, float stepSize) {
        Scalars(AdamPlan p) {
            this(p.weightDecay() != 0, p.decoupled(), (float) (1 - p.lr() * p.weightDecay()), (float) p.weightDecay(),
                    (float) p.beta1(), (float) (1 - p.beta1()), (float) p.beta2(), (float) (1 - p.beta2()),
                    (float) p.bias2Sqrt(), (float) p.eps(), (float) p.stepSize());
        }
    }

    /** Elements [from, to) of {@code param}, {@code m} and {@code v} updated from {@code grad}. */
    static void update(float[] param, float[] grad, float[] m, float[] v, AdamPlan plan, int from, int to) {
        Scalars s = new Scalars(plan);
        int i = from;
        for (; i <= to - L; i += L) {
            update(param, grad, m, v, i, s);
        }
        if (i < to) {
            // the ragged end through the same vector code, on zero-padded copies
            int n = to - i;
            float[][] t = new float[4][L];
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

    private static void update(float[] param, float[] grad, float[] m, float[] v, int i, Scalars s) {
        FloatVector p = FloatVector.fromArray(S, param, i);
        FloatVector g = FloatVector.fromArray(S, grad, i);
        if (s.decay()) {
            if (s.decoupled()) {
                p = p.mul(s.keep());
            } else {
                g = g.add(p.mul(s.lambda()));
            }
        }
        FloatVector m1 = FloatVector.fromArray(S, m, i).mul(s.beta1()).add(g.mul(s.gain1()));
        FloatVector v1 = FloatVector.fromArray(S, v, i).mul(s.beta2()).add(g.mul(g).mul(s.gain2()));
        FloatVector denom = v1.sqrt().div(s.bias2()).add(s.eps());
        m1.intoArray(m, i);
        v1.intoArray(v, i);
        p.sub(m1.div(denom).mul(s.stepSize())).intoArray(param, i);
    }
}
