package dev.distillery.distill.core;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.diffusion.schedule.KarrasSigmas;

/**
 * The boundary-respecting parameterization of a consistency model (Song, Dhariwal, Chen, Sutskever
 * 2023, "Consistency models", section 3 and Appendix C; MATH.md section 6). Time is the EDM noise
 * level t = sigma_edm in {@code [eps, T]}, {@code eps = sigmaMin}, {@code sd = sigmaData}:
 * <pre>
 *   c_skip(t) = sd^2 / ((t - eps)^2 + sd^2)
 *   c_out(t)  = sd (t - eps) / sqrt(sd^2 + t^2)
 *   f(x, t)   = c_skip(t) x + c_out(t) F(x, t)
 * </pre>
 * At {@code t = eps}: {@code c_skip = sd^2/sd^2 = 1} and {@code c_out = 0} are exact in floating
 * point, so {@code f(x, eps) = x} holds bit for bit for any finite network output F (identity
 * I15). {@link #cIn} is EDM's input scaling {@code 1/sqrt(t^2 + sd^2)}, which the network usually
 * applies to x before F.
 *
 * @param sigmaData sd, the data standard deviation (EDM / CM: 0.5)
 * @param epsilon eps = sigma_min, the boundary time (CM: 0.002)
 */
public record ConsistencyParameterization(double sigmaData, double epsilon) {

    /** The paper's values, from {@link EdmConfig#DEFAULTS}: sd = 0.5, eps = 0.002. */
    public static final ConsistencyParameterization DEFAULTS = of(EdmConfig.DEFAULTS);

    public ConsistencyParameterization {
        DdimStep.requirePositive("sigmaData", sigmaData);
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon = " + epsilon + " must be finite and >= 0");
        }
    }

    /** sd = sigmaData and eps = sigmaMin of an EDM config. */
    public static ConsistencyParameterization of(EdmConfig config) {
        return new ConsistencyParameterization(config.sigmaData(), config.sigmaMin());
    }

    /** {@code c_skip(t) = sd^2 / ((t - eps)^2 + sd^2)}. */
    public double cSkip(double t) {
        double sd2 = sigmaData * sigmaData;
        double d = t - epsilon;
        return sd2 / (d * d + sd2);
    }

    /** {@code c_out(t) = sd (t - eps) / sqrt(sd^2 + t^2)}. */
    public double cOut(double t) {
        return sigmaData * (t - epsilon) / Math.sqrt(sigmaData * sigmaData + t * t);
    }

    /** EDM's input scaling {@code c_in(t) = 1 / sqrt(t^2 + sd^2)}. */
    public double cIn(double t) {
        return 1.0 / Math.sqrt(t * t + sigmaData * sigmaData);
    }

    /** {@code f(x, t) = c_skip(t) x + c_out(t) F} with the network output {@code F = F(x, t)}. */
    public Tensor apply(Tensor x, double t, Tensor networkOutput) {
        checkTime(t);
        return x.mul(cSkip(t)).add(networkOutput.mul(cOut(t)));
    }

    /** As {@link #apply(Tensor, double, Tensor)} with per-sample times {@code t} of shape {@code [B]}. */
    public Tensor apply(Tensor x, Tensor t, Tensor networkOutput) {
        double sd2 = sigmaData * sigmaData;
        Tensor d = t.sub(epsilon);
        Tensor skip = d.square().add(sd2).rdiv(sd2);
        Tensor out = d.mul(sigmaData).div(t.square().add(sd2).sqrt());
        return x.mul(PerSample.broadcast(skip, x)).add(networkOutput.mul(PerSample.broadcast(out, x)));
    }

    /**
     * The network output F that reads a denoiser's x-prediction {@code x_hat} through EDM's own
     * preconditioning: {@code F = (x_hat - c_skip^EDM(t) x) / c_out^EDM(t)} with
     * {@code c_skip^EDM = sd^2/(t^2 + sd^2)}, {@code c_out^EDM = sd t / sqrt(t^2 + sd^2)} (the formulas
     * of {@link #cSkip}, {@link #cOut} without the shift by eps). Then
     * <pre>
     *   f(x, t) = c_skip(t) x + (1 - eps/t) (x_hat - c_skip^EDM(t) x),
     * </pre>
     * so {@code f(x, eps) = x} still holds exactly (I15, since c_out(eps) = 0) and {@code f -> x_hat}
     * once {@code t >> eps}: a student that starts from the teacher starts as the teacher's denoiser,
     * as in Song et al. (Appendix C), whose consistency models reuse EDM's network and preconditioning
     * (MATH.md section 6, I15; pinned by {@code ConsistencyTest.denoiserOutputReadThroughEdmPreconditioning}).
     * Reading {@code F = x_hat / sd} instead would make {@code c_skip + c_out/sd} reach 1.21 at t = sd,
     * inflating every multistep sample until training undoes it. Where {@code t = 0} (only when
     * eps = 0), F is 0: c_out is 0 there too.
     *
     * @param t per-sample times {@code [B]} (EDM sigma, >= 0)
     */
    public Tensor outputFromDenoiser(Tensor x, double[] t, Tensor xHat) {
        double sd2 = sigmaData * sigmaData;
        double[] skip = new double[t.length];
        double[] invOut = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            checkTime(t[i]);
            skip[i] = sd2 / (t[i] * t[i] + sd2);
            invOut[i] = t[i] == 0 ? 0.0 : Math.sqrt(t[i] * t[i] + sd2) / (sigmaData * t[i]);
        }
        Tensor skipT = PerSample.broadcast(Tensor.of(x.dtype(), skip, t.length), x);
        Tensor invOutT = PerSample.broadcast(Tensor.of(x.dtype(), invOut, t.length), x);
        return xHat.sub(x.mul(skipT)).mul(invOutT);
    }

    /**
     * The Karras discretization of consistency training/distillation, ascending (CM eq. 5 with
     * EDM's rho): {@code t_i = (eps^(1/rho) + (i-1)/(N-1) (T^(1/rho) - eps^(1/rho)))^rho},
     * i = 1..N, so {@code t_1 = eps} and {@code t_N = T} exactly. It is
     * {@link KarrasSigmas#levels(int, double, double, double)} reversed.
     */
    public static double[] karrasTimes(int n, double epsilon, double tMax, double rho) {
        double[] levels = KarrasSigmas.levels(n, epsilon, tMax, rho);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = levels[n - 1 - i];
        }
        return t;
    }

    /** {@link #karrasTimes(int, double, double, double)} with sigmaMin, sigmaMax and rho of {@code config}. */
    public static double[] karrasTimes(int n, EdmConfig config) {
        return karrasTimes(n, config.sigmaMin(), config.sigmaMax(), config.rho());
    }

    /**
     * Discretization steps N(k) of the original consistency-training curriculum (CM Appendix C,
     * {@code s0 = 2}, {@code s1 = 150} there):
     * {@code N(k) = ceil(sqrt(k/K ((s1 + 1)^2 - s0^2) + s0^2) - 1) + 1} at iteration k of K.
     */
    public static int consistencyTrainingSteps(long k, long totalIterations, int s0, int s1) {
        checkCurriculum(k, totalIterations, s0, s1);
        double inner = (double) k / totalIterations * ((s1 + 1.0) * (s1 + 1.0) - (double) s0 * s0) + (double) s0 * s0;
        return (int) Math.ceil(Math.sqrt(inner) - 1.0) + 1;
    }

    /**
     * Discretization steps N(k) of improved consistency training (Song &amp; Dhariwal 2023, "Improved
     * techniques for training consistency models", section 3.4, exponential curriculum with
     * {@code s0 = 10}, {@code s1 = 1280}): {@code N(k) = min(s0 2^floor(k/K'), s1) + 1},
     * {@code K' = floor(K / (log2(s1/s0) + 1))}.
     */
    public static int improvedConsistencyTrainingSteps(long k, long totalIterations, int s0, int s1) {
        checkCurriculum(k, totalIterations, s0, s1);
        long kPrime = (long) Math.floor(totalIterations / (Math.log((double) s1 / s0) / Math.log(2.0) + 1.0));
        long doublings = kPrime == 0 ? 62 : Math.min(62, k / kPrime);
        double n = Math.min((double) s0 * Math.pow(2.0, doublings), s1);
        return (int) n + 1;
    }

    /**
     * The CD/CT loss {@code lambda mean_b d(f_theta(x_{t_{n+1}}, t_{n+1}), sg(f_{theta-}(x_{t_n}, t_n)))}
     * (CM eq. 7, lambda = 1 in practice): the second argument is detached here, the stop-gradient of
     * the EMA target.
     */
    public static Tensor consistencyLoss(Tensor online, Tensor target, Distance distance, double lambda) {
        return distance.perSample(online, target.detach()).mean().mul(lambda);
    }

    private void checkTime(double t) {
        if (!(t >= epsilon) || !Double.isFinite(t)) {
            throw new IllegalArgumentException("consistency time t = " + t + " must be finite and >= epsilon = " + epsilon);
        }
    }

    private static void checkCurriculum(long k, long total, int s0, int s1) {
        if (total < 1 || k < 0 || k > total || s0 < 1 || s1 < s0) {
            throw new IllegalArgumentException("curriculum: need 0 <= k <= K, K >= 1, 1 <= s0 <= s1; got k = " + k
                    + ", K = " + total + ", s0 = " + s0 + ", s1 = " + s1);
        }
    }
}
