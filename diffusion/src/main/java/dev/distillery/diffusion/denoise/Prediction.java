package dev.distillery.diffusion.denoise;

import dev.distillery.autograd.Tensor;

/**
 * What a network predicts from a noisy latent {@code z = alpha x + sigma eps} (MATH.md section 3,
 * Salimans &amp; Ho 2022): the noise {@code eps}, the clean data {@code x} ("x0"), or the velocity
 * {@code v = alpha eps - sigma x}. The conversions below are exact for a variance-preserving (VP)
 * schedule, {@code alpha^2 + sigma^2 = 1}:
 * <pre>
 *   x   = (z - sigma eps) / alpha = alpha z - sigma v
 *   eps = (z - alpha x) / sigma   = sigma z + alpha v
 *   v   = alpha eps - sigma x
 *   score = grad log p_t(z) = -eps / sigma = -(z - alpha x) / sigma^2
 * </pre>
 * Identity I6 (round trips) pins them. {@code alpha} and {@code sigma} are tensors per batch element
 * ({@code [B]}, scalar, or already broadcastable, see {@link PerSample#broadcastable}). Note that eps
 * cannot give x where {@code alpha = 0}, and x cannot give eps where {@code sigma = 0}.
 */
public enum Prediction {
    /** The noise {@code eps}. */
    EPS,
    /** The clean data {@code x} (x0). */
    X0,
    /** The velocity {@code v = alpha eps - sigma x}. */
    V;

    /** The clean-data estimate from an output of this kind (MATH 3). */
    public Tensor toX0(Tensor z, Tensor out, Tensor alpha, Tensor sigma) {
        return switch (this) {
            case EPS -> x0FromEps(z, out, alpha, sigma);
            case X0 -> out;
            case V -> x0FromV(z, out, alpha, sigma);
        };
    }

    /** The noise estimate from an output of this kind (MATH 3). */
    public Tensor toEps(Tensor z, Tensor out, Tensor alpha, Tensor sigma) {
        return switch (this) {
            case EPS -> out;
            case X0 -> epsFromX0(z, out, alpha, sigma);
            case V -> epsFromV(z, out, alpha, sigma);
        };
    }

    /** The velocity estimate from an output of this kind (MATH 3). */
    public Tensor toV(Tensor z, Tensor out, Tensor alpha, Tensor sigma) {
        return switch (this) {
            case EPS -> vFromEps(z, out, alpha, sigma);
            case X0 -> vFromX0(z, out, alpha, sigma);
            case V -> out;
        };
    }

    /** An output of this kind from a clean-data estimate. */
    public Tensor fromX0(Tensor z, Tensor x0, Tensor alpha, Tensor sigma) {
        return X0.convert(this, z, x0, alpha, sigma);
    }

    /** Converts {@code out}, of this kind, to {@code target}'s kind. */
    public Tensor convert(Prediction target, Tensor z, Tensor out, Tensor alpha, Tensor sigma) {
        return switch (target) {
            case EPS -> toEps(z, out, alpha, sigma);
            case X0 -> toX0(z, out, alpha, sigma);
            case V -> toV(z, out, alpha, sigma);
        };
    }

    // ---------------------------------------------------------------- tensor formulas (MATH 3)

    /** {@code x = (z - sigma eps) / alpha}. */
    public static Tensor x0FromEps(Tensor z, Tensor eps, Tensor alpha, Tensor sigma) {
        return z.sub(eps.mul(b(sigma, z))).div(b(alpha, z));
    }

    /** {@code x = alpha z - sigma v} (VP). */
    public static Tensor x0FromV(Tensor z, Tensor v, Tensor alpha, Tensor sigma) {
        return z.mul(b(alpha, z)).sub(v.mul(b(sigma, z)));
    }

    /** {@code eps = (z - alpha x) / sigma}. */
    public static Tensor epsFromX0(Tensor z, Tensor x0, Tensor alpha, Tensor sigma) {
        return z.sub(x0.mul(b(alpha, z))).div(b(sigma, z));
    }

    /** {@code eps = sigma z + alpha v} (VP). */
    public static Tensor epsFromV(Tensor z, Tensor v, Tensor alpha, Tensor sigma) {
        return z.mul(b(sigma, z)).add(v.mul(b(alpha, z)));
    }

    /** {@code v = alpha eps - sigma x} with {@code x = (z - sigma eps)/alpha}; for VP {@code = (eps - sigma z)/alpha}. */
    public static Tensor vFromEps(Tensor z, Tensor eps, Tensor alpha, Tensor sigma) {
        return velocity(eps, x0FromEps(z, eps, alpha, sigma), alpha, sigma, z);
    }

    /** {@code v = alpha eps - sigma x} with {@code eps = (z - alpha x)/sigma}; for VP {@code = (alpha z - x)/sigma}. */
    public static Tensor vFromX0(Tensor z, Tensor x0, Tensor alpha, Tensor sigma) {
        return velocity(epsFromX0(z, x0, alpha, sigma), x0, alpha, sigma, z);
    }

    /** {@code v = alpha eps - sigma x} (the definition, any schedule). */
    public static Tensor velocity(Tensor eps, Tensor x0, Tensor alpha, Tensor sigma, Tensor like) {
        return eps.mul(b(alpha, like)).sub(x0.mul(b(sigma, like)));
    }

    /** {@code score = -eps / sigma}. */
    public static Tensor scoreFromEps(Tensor z, Tensor eps, Tensor sigma) {
        return eps.div(b(sigma, z)).neg();
    }

    /** {@code score = -(z - alpha x) / sigma^2}. */
    public static Tensor scoreFromX0(Tensor z, Tensor x0, Tensor alpha, Tensor sigma) {
        Tensor s = b(sigma, z);
        return z.sub(x0.mul(b(alpha, z))).div(s.mul(s)).neg();
    }

    /** {@code eps = -sigma score} (inverse of {@link #scoreFromEps}). */
    public static Tensor epsFromScore(Tensor z, Tensor score, Tensor sigma) {
        return score.mul(b(sigma, z)).neg();
    }

    private static Tensor b(Tensor coef, Tensor like) {
        return PerSample.broadcast(coef, like);
    }

    // ---------------------------------------------------------------- double helpers (MATH 3)

    /** {@code x = (z - sigma eps) / alpha}. */
    public static double x0FromEps(double z, double eps, double alpha, double sigma) {
        return (z - sigma * eps) / alpha;
    }

    /** {@code x = alpha z - sigma v} (VP). */
    public static double x0FromV(double z, double v, double alpha, double sigma) {
        return alpha * z - sigma * v;
    }

    /** {@code eps = (z - alpha x) / sigma}. */
    public static double epsFromX0(double z, double x0, double alpha, double sigma) {
        return (z - alpha * x0) / sigma;
    }

    /** {@code eps = sigma z + alpha v} (VP). */
    public static double epsFromV(double z, double v, double alpha, double sigma) {
        return sigma * z + alpha * v;
    }

    /** {@code v = alpha eps - sigma x}. */
    public static double velocity(double eps, double x0, double alpha, double sigma) {
        return alpha * eps - sigma * x0;
    }

    /** {@code score = -(z - alpha x) / sigma^2}. */
    public static double scoreFromX0(double z, double x0, double alpha, double sigma) {
        return -(z - alpha * x0) / (sigma * sigma);
    }
}
