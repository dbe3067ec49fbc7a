package dev.distillery.diffusion.mixture;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.Objects;

/**
 * The analytic teacher (MATH.md section 5): the exact {@code E[x | z_t]} of a
 * {@link GaussianMixture}, usable anywhere a trained teacher is. Its {@link #score} and {@link #eps}
 * are the closed forms, not conversions.
 *
 * <p><b>Class conditioning (optional).</b> With {@code componentClass[k]} the class of component k,
 * label y restricts the mixture to the components of class y, reweighted:
 * {@code p(x | y) = sum_{k in y} pi_k N(...) / sum_{k in y} pi_k}; a label that is negative or
 * equal to {@code classes} (the null label of classifier-free guidance), or no labels at all, gives
 * the full mixture {@code p(x)}.
 *
 * @param mixture the data distribution
 * @param schedule the noise schedule defining alpha(t), sigma(t)
 * @param componentClass class of each component, or null for an unconditional teacher
 * @param classes number of classes (ignored when componentClass is null)
 */
public record GaussianMixtureDenoiser(GaussianMixture mixture, NoiseSchedule schedule, int[] componentClass,
                                      int classes) implements Denoiser {
    /** Stands in for log 0 in per-sample log-weights; exp underflows to exactly 0. */
    private static final double LOG_ZERO = -1e300;

    public GaussianMixtureDenoiser {
        Objects.requireNonNull(mixture, "mixture");
        Objects.requireNonNull(schedule, "schedule");
        if (componentClass != null) {
            if (componentClass.length != mixture.components()) {
                throw new IllegalArgumentException("componentClass needs " + mixture.components() + " entries, got "
                        + componentClass.length);
            }
            componentClass = componentClass.clone();
        }
    }

    /** An unconditional teacher. */
    public GaussianMixtureDenoiser(GaussianMixture mixture, NoiseSchedule schedule) {
        this(mixture, schedule, null, 0);
    }

    @Override
    public Tensor x0(Tensor z, Tensor t, Condition c) {
        return mixture.x0(z, alphaOf(t, z), sigmaOf(t, z), logWeights(c, z));
    }

    @Override
    public Tensor score(Tensor z, Tensor t, Condition c) {
        return mixture.score(z, alphaOf(t, z), sigmaOf(t, z), logWeights(c, z));
    }

    /** {@code eps = -sigma score} from the closed-form score (MATH 3). */
    @Override
    public Tensor eps(Tensor z, Tensor t, Condition c) {
        return score(z, t, c).mul(sigma(t, z)).neg();
    }

    /** {@code log p_t(z | c)} per sample, {@code [B]}. */
    public Tensor logDensity(Tensor z, Tensor t, Condition c) {
        return mixture.logDensity(z, alphaOf(t, z), sigmaOf(t, z), logWeights(c, z));
    }

    private Tensor alphaOf(Tensor t, Tensor z) {
        return coefficient(PerSample.map(t, schedule::alpha), z);
    }

    private Tensor sigmaOf(Tensor t, Tensor z) {
        return coefficient(PerSample.map(t, schedule::sigma), z);
    }

    /** A rank-0 tensor when every sample has the same time (cheaper, see GaussianMixture), else {@code [B]}. */
    private static Tensor coefficient(double[] v, Tensor z) {
        for (double x : v) {
            if (x != v[0]) {
                return Tensor.of(z.dtype(), v, v.length);
            }
        }
        return Tensor.scalar(v[0], z.dtype());
    }

    /** Per-sample {@code log pi_k} restricted to the label's class, or null for the full mixture. */
    Tensor logWeights(Condition c, Tensor z) {
        if (componentClass == null || c == null || !c.hasLabels()) {
            return null;
        }
        int[] labels = c.labels();
        int kk = mixture.components();
        double[] lw = new double[labels.length * kk];
        for (int b = 0; b < labels.length; b++) {
            int y = labels[b];
            boolean all = y < 0 || y >= classes;
            double mass = 0;
            for (int i = 0; i < kk; i++) {
                if (all || componentClass[i] == y) {
                    mass += mixture.weight(i);
                }
            }
            if (mass == 0) {
                throw new IllegalArgumentException("label " + y + " has no component");
            }
            for (int i = 0; i < kk; i++) {
                lw[b * kk + i] = all || componentClass[i] == y ? Math.log(mixture.weight(i) / mass) : LOG_ZERO;
            }
        }
        return Tensor.of(z.dtype(), lw, labels.length, kk);
    }
}
