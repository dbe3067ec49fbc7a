package dev.distillery.diffusion.mixture;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.ArrayList;
import java.util.List;
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
        return inRowBlocks(mixture, MAX_ELEMENTS, z, alphaOf(t, z), sigmaOf(t, z), logWeights(c, z), mixture::x0);
    }

    @Override
    public Tensor score(Tensor z, Tensor t, Condition c) {
        return inRowBlocks(mixture, MAX_ELEMENTS, z, alphaOf(t, z), sigmaOf(t, z), logWeights(c, z), mixture::score);
    }

    /** {@code eps = -sigma score} from the closed-form score (MATH 3). */
    @Override
    public Tensor eps(Tensor z, Tensor t, Condition c) {
        return score(z, t, c).mul(sigma(t, z)).neg();
    }

    /** {@code log p_t(z | c)} per sample, {@code [B]}. */
    public Tensor logDensity(Tensor z, Tensor t, Condition c) {
        return inRowBlocks(mixture, MAX_ELEMENTS, z, alphaOf(t, z), sigmaOf(t, z), logWeights(c, z), mixture::logDensity);
    }

    /** Largest {@code [rows, K, D]} intermediate one evaluation builds: 2^24 elements (64 MiB in float32). */
    static final long MAX_ELEMENTS = 1L << 24;

    /** One evaluation of the mixture on rows of z with their coefficients and log-weights. */
    interface RowEvaluation {
        Tensor apply(Tensor z, Tensor alpha, Tensor sigma, Tensor logWeights);
    }

    /**
     * {@code f} on blocks of rows whose {@code [rows, K, D]} intermediates stay under
     * {@code maxElements} ({@link #MAX_ELEMENTS} for the denoiser), joined along the batch: a mixture of the training set (K in the
     * thousands) denoising a batch of thousands of images would otherwise build tens of GiB at
     * once. Every quantity is computed within its own row, so the blocks change no bit of the
     * result; below the limit (every 25-Gaussians batch up to 335,000 rows) there is one block.
     */
    static Tensor inRowBlocks(GaussianMixture mixture, long maxElements, Tensor z, Tensor alpha, Tensor sigma,
                              Tensor logWeights, RowEvaluation f) {
        int b = z.dim(0);
        long perRow = (long) mixture.components() * mixture.dim();
        int rows = (int) Math.max(1, Math.min(b, maxElements / perRow));
        if (rows >= b) {
            return f.apply(z, alpha, sigma, logWeights);
        }
        List<Tensor> blocks = new ArrayList<>();
        for (int from = 0; from < b; from += rows) {
            int to = Math.min(b, from + rows);
            blocks.add(f.apply(z.slice(0, from, to), rowsOf(alpha, from, to), rowsOf(sigma, from, to),
                    logWeights == null ? null : logWeights.slice(0, from, to)));
        }
        return Tensor.concat(blocks, 0);
    }

    /** A per-sample coefficient's rows, or the shared rank-0 coefficient itself. */
    private static Tensor rowsOf(Tensor coefficient, int from, int to) {
        return coefficient.rank() == 0 ? coefficient : coefficient.slice(0, from, to);
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
