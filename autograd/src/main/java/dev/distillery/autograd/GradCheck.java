package dev.distillery.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finite-difference checks of gradients in F64, first and second order, as PyTorch's
 * {@code gradcheck}/{@code gradgradcheck}.
 *
 * <p>First order: with a fixed random projection r of the output, {@code L(x) = <r, f(x)>}; the
 * analytic gradient {@code dL/dx} from {@link Autograd#grad} is compared element by element with
 * the central difference {@code (L(x + h e_j) - L(x - h e_j)) / 2h}. Its truncation error is
 * {@code h^2 |L'''| / 6} and its rounding error about {@code eps_64 |L| / h}; with h = 1e-6 both
 * are far below the default tolerance {@code |a - n| <= atol + rtol |n|} (atol 1e-5, rtol 1e-3,
 * PyTorch's values) for inputs of moderate size.
 *
 * <p>Second order: {@code H(x) = sum_i <v_i, dL/dx_i>} with fixed random v, whose gradient needs
 * the backward pass itself to be differentiable ({@code createGraph}); H is then checked to
 * first order. Seeds are fixed, so a report is reproducible.
 */
public final class GradCheck {

    /** Step and acceptance bounds: element passes when {@code |analytic - numeric| <= atol + rtol |numeric|}. */
    public record Tolerance(double step, double atol, double rtol) {
        public static final Tolerance DEFAULT = new Tolerance(1e-6, 1e-5, 1e-3);
    }

    /** Worst errors over the elements of one input. */
    public record InputReport(int input, double maxAbsError, double maxRelError, boolean passed) {
    }

    /** The outcome for every input; {@link #passed()} when all inputs pass. */
    public record Report(String order, List<InputReport> inputs) {
        public boolean passed() {
            return inputs.stream().allMatch(InputReport::passed);
        }

        public double maxAbsError() {
            return inputs.stream().mapToDouble(InputReport::maxAbsError).max().orElse(0);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(order).append(" gradcheck ").append(passed() ? "passed" : "FAILED");
            for (InputReport r : inputs) {
                sb.append(String.format("; input %d: max abs %.3e, max rel %.3e%s", r.input(), r.maxAbsError(),
                        r.maxRelError(), r.passed() ? "" : " (fail)"));
            }
            return sb.toString();
        }
    }

    private GradCheck() {
    }

    /** First-order check of {@code f} at {@code inputs} (F64 tensors; copied, not modified). */
    public static Report first(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Tolerance tol) {
        List<Tensor> xs = leaves(inputs);
        Tensor probe = f.apply(xs);
        Tensor r = projection(probe, 0x5EEDL);
        Function<List<Tensor>, Tensor> loss = v -> f.apply(v).mul(r).sum();
        return compare("first-order", loss, xs, tol);
    }

    /** Second-order check: the gradient of {@code <v, grad f>} against finite differences. */
    public static Report second(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, Tolerance tol) {
        List<Tensor> xs = leaves(inputs);
        Tensor probe = f.apply(xs);
        Tensor r = projection(probe, 0x5EEDL);
        List<Tensor> vs = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            vs.add(projection(xs.get(i), 0xF00DL + i));
        }
        Function<List<Tensor>, Tensor> h = v -> {
            Tensor l = f.apply(v).mul(r).sum();
            List<Tensor> g = Autograd.grad(List.of(l), v, null, true);
            Tensor acc = null;
            for (int i = 0; i < g.size(); i++) {
                Tensor term = g.get(i).mul(vs.get(i)).sum();
                acc = acc == null ? term : acc.add(term);
            }
            return acc;
        };
        return compare("second-order", h, xs, tol);
    }

    private static Report compare(String order, Function<List<Tensor>, Tensor> loss, List<Tensor> xs, Tolerance tol) {
        Tensor l = loss.apply(xs);
        if (!l.requiresGrad()) {
            // the function does not depend on its inputs; every analytic gradient is zero
            l = l.add(xs.get(0).mul(0.0).sum());
        }
        List<Tensor> analytic = Autograd.grad(List.of(l), xs, null, false);
        List<InputReport> reports = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            double[] a = analytic.get(i).toDoubleArray();
            double[] base = xs.get(i).toDoubleArray();
            double maxAbs = 0;
            double maxRel = 0;
            boolean ok = true;
            for (int j = 0; j < base.length; j++) {
                double numeric = (evaluate(loss, xs, i, base, j, tol.step()) - evaluate(loss, xs, i, base, j, -tol.step()))
                        / (2 * tol.step());
                double err = Math.abs(a[j] - numeric);
                if (Double.isNaN(err)) {
                    err = Double.POSITIVE_INFINITY;
                }
                maxAbs = Math.max(maxAbs, err);
                maxRel = Math.max(maxRel, err / Math.max(Math.abs(numeric), 1e-12));
                ok &= err <= tol.atol() + tol.rtol() * Math.abs(numeric);
            }
            reports.add(new InputReport(i, maxAbs, maxRel, ok));
        }
        return new Report(order, reports);
    }

    private static double evaluate(Function<List<Tensor>, Tensor> loss, List<Tensor> xs, int which, double[] base,
                                   int element, double delta) {
        double[] moved = base.clone();
        moved[element] += delta;
        List<Tensor> shifted = new ArrayList<>(xs);
        Tensor t = Tensor.of(DType.F64, moved, xs.get(which).shape().dims());
        shifted.set(which, t.requiresGrad(true));
        for (int k = 0; k < shifted.size(); k++) {
            if (k != which) {
                shifted.set(k, xs.get(k).detach().requiresGrad(true));
            }
        }
        return loss.apply(shifted).item();
    }

    private static List<Tensor> leaves(List<Tensor> inputs) {
        List<Tensor> xs = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t.dtype() != DType.F64) {
                throw new IllegalArgumentException("gradcheck needs F64 inputs (F32 central differences are "
                        + "dominated by rounding); got " + t.dtype() + " " + t.shape());
            }
            xs.add(t.detach().requiresGrad(true));
        }
        return xs;
    }

    /** A fixed standard-normal tensor shaped like {@code t}. */
    private static Tensor projection(Tensor t, long key) {
        return Tensor.randn(DType.F64, key, 0, t.shape().dims());
    }
}
