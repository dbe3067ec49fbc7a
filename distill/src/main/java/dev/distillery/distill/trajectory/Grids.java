package dev.distillery.distill.trajectory;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.schedule.KarrasSigmas;
import dev.distillery.distill.DistillSetup;

/** Time grids and the small chores every method repeats (per-sample tensors: {@code PerSample}). */
final class Grids {
    private Grids() {
    }

    /** The uniform DDIM grid {@code 1, (n-1)/n, ..., 1/n, 0} (n + 1 values; t = i/n as in Salimans &amp; Ho 2022, Algorithm 2). */
    static double[] uniform(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("steps = " + n + " must be >= 1");
        }
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = (double) (n - i) / n;
        }
        return t;
    }

    /**
     * The noise levels of multistep consistency / CTM sampling for {@code steps} steps:
     * {@code steps + 1} Karras levels from sigmaMax to sigmaMin (EDM's rho), the last replaced by
     * {@code last} (0 for CTM, which maps to time 0; sigmaMin for consistency models). So 1 step is
     * {@code [T, last]}; 2 steps put one level at the Karras midpoint (about 2.5 for EDM's 0.002..80).
     */
    static double[] samplingLevels(int steps, double sigmaMin, double sigmaMax, double rho, double last) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + " must be >= 1");
        }
        double[] l = KarrasSigmas.levels(steps + 1, sigmaMin, sigmaMax, rho);
        l[steps] = last;
        return l;
    }

    /**
     * The levels of multistep consistency-model sampling (Song et al. 2023, Algorithm 1), which
     * re-noises after every step: {@code sigmaMax}, then {@code steps - 1} levels spaced as Karras
     * levels from {@code renoiseMax} down towards {@code sigmaMin}, then {@code sigmaMin}. Re-noising
     * to sigma destroys the information of the previous step at scales below sigma, so the first
     * re-noise level must be below the distance between the data's modes, or the second step redraws
     * the mode instead of refining it. The paper chose its intermediate times by greedy search
     * (section 6: t = 0.821 for 2-step CIFAR-10 CD); {@code renoiseMax} plays that role here. With
     * {@code renoiseMax >= sigmaMax} these are {@link #samplingLevels}' plain Karras levels.
     */
    static double[] renoiseLevels(int steps, double sigmaMin, double sigmaMax, double renoiseMax, double rho) {
        if (!(renoiseMax > sigmaMin)) {
            throw new IllegalArgumentException("renoiseMax = " + renoiseMax + " must exceed sigmaMin = " + sigmaMin);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps = " + steps + " must be >= 1");
        }
        double[] plain = samplingLevels(steps, sigmaMin, sigmaMax, rho, sigmaMin);
        if (steps == 1 || plain[1] <= renoiseMax) {
            return plain;
        }
        double[] interior = KarrasSigmas.levels(steps, sigmaMin, renoiseMax, rho);
        double[] l = new double[steps + 1];
        l[0] = sigmaMax;
        System.arraycopy(interior, 0, l, 1, steps - 1);
        l[steps] = sigmaMin;
        return l;
    }

    /** {@code v} repeated for a batch of {@code b}. */
    static double[] fill(double v, int b) {
        double[] out = new double[b];
        java.util.Arrays.fill(out, v);
        return out;
    }

    /** Standard normal noise of the setup's sample shape, {@code [n, ...]}. */
    static Tensor noise(DistillSetup setup, int n, Rng rng) {
        return Tensor.randn(setup.dtype(), rng, setup.batchDims(n));
    }

    /** Standard normal noise drawn from {@code key} (position 0), shaped like {@code like}. */
    static Tensor noise(RngKey key, Tensor like) {
        return Tensor.randn(like.dtype(), key.value(), 0L, like.shape().dims());
    }

    /** A batch of real data, or a clear error naming the method that needs it. */
    static DataSource.Batch data(DistillSetup setup, int n, Rng rng, String method) {
        if (setup.data() == null) {
            throw new IllegalArgumentException(method + " trains on real data x ~ D; DistillSetup.data() is null");
        }
        return setup.data().batch(n, rng);
    }
}
