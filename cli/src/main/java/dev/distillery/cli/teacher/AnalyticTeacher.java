package dev.distillery.cli.teacher;

import dev.distillery.autograd.Tensor;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.data.Rows;
import dev.distillery.diffusion.data.Digits;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.NoiseSchedule;

import java.util.Arrays;

/**
 * The exact teacher of a dataset: the denoiser of a Gaussian mixture, E[x | z_t] in closed form
 * (MATH.md section 5). Free, exact, and the fairest yardstick for the students.
 */
public final class AnalyticTeacher {
    /** Per-pixel std of the blurred training images that make the digits' mixture. */
    static final double PIXEL_STD = 0.1;

    private AnalyticTeacher() {
    }

    /** The analytic teacher of {@code dataset}, each mixture component labelled by its class. */
    public static Teacher of(Dataset dataset) {
        return dataset == Dataset.DIGITS ? digits() : gaussians25();
    }

    /** The 25-Gaussians mixture itself, each mode a class. */
    private static Teacher gaussians25() {
        MixtureSpec spec = Dataset.MIXTURE;
        int[] componentClass = new int[spec.k()];
        for (int i = 0; i < componentClass.length; i++) {
            componentClass[i] = i;
        }
        return new Teacher(new GaussianMixtureDenoiser(GaussianMixture.of(spec), Dataset.SCHEDULE, componentClass, spec.k()),
                null, "analytic 25-Gaussians mixture: the exact E[x | z_t] (MATH.md section 5), each mode a class "
                        + "(no label: the full mixture)", spec.k());
    }

    /** A mixture of the training digits, each blurred by {@link #PIXEL_STD}: exact, but memorising. */
    private static Teacher digits() {
        Digits train = Digits.load().train();
        float[][] images = train.images();
        int k = images.length;
        double[] w = new double[k];
        double[][] means = new double[k][];
        double[][] vars = new double[k][Digits.PIXELS];
        for (int i = 0; i < k; i++) {
            w[i] = 1.0 / k;
            means[i] = Rows.toDouble(images[i]);
            Arrays.fill(vars[i], PIXEL_STD * PIXEL_STD);
        }
        Denoiser flat = new GaussianMixtureDenoiser(new GaussianMixture(w, means, vars), Dataset.SCHEDULE, train.labels(), 10);
        return new Teacher(new FlatteningDenoiser(flat), null, "analytic mixture of the " + k
                + " training digits, each blurred by N(0, " + PIXEL_STD + "^2) per pixel, labelled by digit: an exact "
                + "but memorising teacher", 10);
    }

    /** A denoiser over flat vectors {@code [B, D]} seen as one over images {@code [B, C, H, W]}. */
    private record FlatteningDenoiser(Denoiser flat) implements Denoiser {
        @Override
        public NoiseSchedule schedule() {
            return flat.schedule();
        }

        @Override
        public Tensor x0(Tensor z, Tensor t, Condition c) {
            return flat.x0(z.flatten(1), t, c).reshape(z.shape().dims());
        }

        @Override
        public Tensor eps(Tensor z, Tensor t, Condition c) {
            return flat.eps(z.flatten(1), t, c).reshape(z.shape().dims());
        }

        @Override
        public Tensor score(Tensor z, Tensor t, Condition c) {
            return flat.score(z.flatten(1), t, c).reshape(z.shape().dims());
        }
    }
}
