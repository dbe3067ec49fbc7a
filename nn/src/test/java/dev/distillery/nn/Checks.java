package dev.distillery.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.GradCheck;
import dev.distillery.autograd.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gradient checks for modules (F64): first and second order with respect to the input through
 * {@link GradCheck}, and first order with respect to the parameters by central differences,
 * perturbing each checked element in place: {@code dL/dp_j ~ (L(p + h e_j) - L(p - h e_j)) / 2h}
 * with {@code L = <r, f(x)>} for a fixed random r. Tolerance as GradCheck's default
 * ({@code |a - n| <= 1e-5 + 1e-3 |n|}, h = 1e-6).
 */
public final class Checks {
    private Checks() {
    }

    /** First- and second-order gradcheck of {@code f} in its inputs. */
    public static void inputs(String what, Function<List<Tensor>, Tensor> f, Tensor... xs) {
        GradCheck.Report first = GradCheck.first(f, List.of(xs), GradCheck.Tolerance.DEFAULT);
        assertTrue(first.passed(), what + ": " + first);
        GradCheck.Report second = GradCheck.second(f, List.of(xs), GradCheck.Tolerance.DEFAULT);
        assertTrue(second.passed(), what + ": " + second);
    }

    /**
     * Finite-difference check of the gradient of {@code <r, out.get()>} in every parameter of
     * {@code m}, at most {@code perTensor} elements per parameter (spread evenly).
     */
    public static void parameters(String what, Module m, java.util.function.Supplier<Tensor> out, int perTensor) {
        Tensor probe = out.get();
        Tensor r = Tensor.randn(DType.F64, 0xC0FFEEL, 0, probe.shape().dims());
        Map<String, Tensor> params = m.namedParameters();
        List<Tensor> ps = new ArrayList<>(params.values());
        Tensor loss = out.get().mul(r).sum();
        List<Tensor> analytic = Autograd.grad(List.of(loss), ps, null, false);
        double h = 1e-6;
        int i = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            double[] base = p.toDoubleArray();
            double[] a = analytic.get(i++).toDoubleArray();
            int step = Math.max(1, base.length / perTensor);
            for (int j = 0; j < base.length; j += step) {
                double lp = evalAt(m, p, base, j, h, out, r);
                double lm = evalAt(m, p, base, j, -h, out, r);
                set(p, base);
                double numeric = (lp - lm) / (2 * h);
                double err = Math.abs(a[j] - numeric);
                assertTrue(err <= 1e-5 + 1e-3 * Math.abs(numeric), what + ": d/d " + e.getKey() + "[" + j
                        + "] analytic " + a[j] + " numeric " + numeric);
            }
        }
    }

    private static double evalAt(Module m, Tensor p, double[] base, int j, double delta,
                                 java.util.function.Supplier<Tensor> out, Tensor r) {
        double[] moved = base.clone();
        moved[j] += delta;
        set(p, moved);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return out.get().mul(r).sum().item();
        }
    }

    private static void set(Tensor p, double[] v) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            p.assign(Tensor.of(DType.F64, v, p.shape().dims()));
        }
    }
}
