package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Tensor;

import java.util.List;

/**
 * Rectified flow (Liu, Gong, Liu 2023, "Flow straight and fast", eqs. 1-2 and Definition 2.3;
 * MATH.md section 6.6). X_0 is data, X_1 noise, t in [0, 1]:
 * <pre>
 *   X_t = t X_1 + (1 - t) X_0,         target velocity  X_1 - X_0,
 *   loss = E ||(X_1 - X_0) - v(X_t, t)||^2,      dZ_t/dt = v(Z_t, t).
 * </pre>
 * The interpolation is written as {@code t X_1 + (1 - t) X_0} so that both endpoints are exact.
 * Sampling runs from t = 1 (noise) to t = 0 (data) with Euler steps; on an exactly straight
 * coupling one step is exact (identity I17). Reflow = retrain on the couplings {@code (Z_0, Z_1)}
 * the previous flow produces.
 */
public final class RectifiedFlow {
    private RectifiedFlow() {
    }

    /** {@code X_t = t X_1 + (1 - t) X_0}. */
    public static Tensor interpolate(Tensor x0, Tensor x1, double t) {
        checkTime(t);
        return x1.mul(t).add(x0.mul(1.0 - t));
    }

    /** As {@link #interpolate(Tensor, Tensor, double)} with per-sample times {@code [B]}. */
    public static Tensor interpolate(Tensor x0, Tensor x1, Tensor t) {
        Tensor tb = PerSample.broadcast(t, x0);
        return x1.mul(tb).add(x0.mul(tb.rsub(1.0)));
    }

    /** The regression target {@code X_1 - X_0}. */
    public static Tensor targetVelocity(Tensor x0, Tensor x1) {
        return x1.sub(x0);
    }

    /** {@code mean_b ||(X_1 - X_0) - v||^2}, the target detached. */
    public static Tensor loss(Tensor x0, Tensor x1, Tensor velocity) {
        return PerSample.squaredNorm(targetVelocity(x0, x1).detach().sub(velocity)).mean();
    }

    /** One Euler step of {@code dZ/dt = v} from t to s: {@code Z_s = Z_t + (s - t) v(Z_t, t)}. */
    public static Tensor eulerStep(Tensor zt, Tensor velocity, double t, double s) {
        checkTime(t);
        checkTime(s);
        return zt.add(velocity.mul(s - t));
    }

    /**
     * Straightness of a trajectory {@code Z_{t_0}, ..., Z_{t_K}} (Liu et al. Definition 2.3):
     * <pre>
     *   S(Z) = integral_0^1 E || (Z_1 - Z_0) - dZ_t/dt ||^2 dt
     * </pre>
     * with the velocity on each interval the finite difference {@code (Z_{t_{k+1}} - Z_{t_k})/(t_{k+1} - t_k)},
     * so the integral is exact for the piecewise-linear path through the states (the path an Euler
     * sampler produces), and the expectation is the batch mean. Z_0 and Z_1 are the states at the
     * smallest and largest time. Times must be strictly monotone (either direction) and span
     * [0, 1]. Zero exactly for a straight path traversed at constant speed.
     */
    public static double straightness(List<Tensor> states, double[] times) {
        if (states.size() != times.length || times.length < 2) {
            throw new IllegalArgumentException("straightness: need >= 2 states and one time per state, got "
                    + states.size() + " states and " + times.length + " times");
        }
        int k = times.length;
        boolean increasing = times[1] > times[0];
        for (int i = 1; i < k; i++) {
            if (increasing ? !(times[i] > times[i - 1]) : !(times[i] < times[i - 1])) {
                throw new IllegalArgumentException("straightness: times must be strictly monotone, got "
                        + times[i - 1] + " then " + times[i]);
            }
        }
        double lo = increasing ? times[0] : times[k - 1];
        double hi = increasing ? times[k - 1] : times[0];
        if (lo != 0.0 || hi != 1.0) {
            throw new IllegalArgumentException("straightness: times must span [0, 1], got [" + lo + ", " + hi + "]");
        }
        Tensor zData = increasing ? states.get(0) : states.get(k - 1);
        Tensor zNoise = increasing ? states.get(k - 1) : states.get(0);
        Tensor chord = zNoise.sub(zData);
        double total = 0;
        for (int i = 1; i < k; i++) {
            double dt = times[i] - times[i - 1];
            Tensor v = states.get(i).sub(states.get(i - 1)).div(dt);
            total += Math.abs(dt) * PerSample.squaredNorm(chord.sub(v)).mean().item();
        }
        return total;
    }

    private static void checkTime(double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("rectified-flow time " + t + " must lie in [0, 1]");
        }
    }
}
