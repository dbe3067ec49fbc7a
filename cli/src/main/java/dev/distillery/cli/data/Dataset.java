package dev.distillery.cli.data;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.cli.error.CliException;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.Digits;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.NoiseSchedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The datasets the commands know ({@code --dataset}) and their data: training data, the reference
 * a run measures against, an independent real sample for the floor, and the noise. What else a run
 * needs of a dataset lives beside it, one job a class: {@link Metrics}, {@link Pictures}, and in
 * {@code cli.teacher} the analytic teacher and the networks.
 */
public enum Dataset {
    /** The 25-Gaussians grid (Toy2d), 2-D points. */
    GAUSSIANS25("25gaussians", 25, 2),

    /** The 8x8 handwritten digits, images [1, 8, 8] in [-1, 1]. */
    DIGITS("digits", 10, 1, 8, 8);

    /** The schedule every teacher and student of these runs uses. */
    public static final NoiseSchedule SCHEDULE = ContinuousCosine.INSTANCE;
    /** Dtype of data, noise and student networks. */
    public static final DType DTYPE = DType.F32;
    /** Steps of the teacher's deterministic DDIM run that gives each noise its ODE endpoint. */
    public static final int TEACHER_ODE_STEPS = 50;
    /** The mixture of {@link #GAUSSIANS25}: its data, exact teacher, metrics and picture all read it. */
    public static final MixtureSpec MIXTURE = Toy2d.gaussians25Spec();
    /** Stream of a seed's key that draws the floor's real sample (the reference uses another generator). */
    private static final long FLOOR_STREAM = 0xF1000L;

    private final String key;
    private final int classes;
    private final int[] sampleShape;

    Dataset(String key, int classes, int... sampleShape) {
        this.key = key;
        this.classes = classes;
        this.sampleShape = sampleShape;
    }

    /** The number of labels of the data (25-Gaussians: one per mode; digits: 10). */
    public int classes() {
        return classes;
    }

    /** The command-line name. */
    public String key() {
        return key;
    }

    /** The shape of one sample: {2} or {1, 8, 8}. */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** Training data. */
    public DataSource data() {
        if (this == DIGITS) {
            Digits train = Digits.load().train();
            return DataSource.of(train.images(), train.labels(), sampleShape(), DTYPE);
        }
        return DataSource.mixture(MIXTURE, DTYPE);
    }

    /** Real data to compare samples with, as rows (digits: the test set, at most all of it). */
    public double[][] reference(int n, long seed) {
        if (this == DIGITS) {
            float[][] test = Digits.load().test().images();
            double[][] out = new double[Math.min(n, test.length)][];
            for (int i = 0; i < out.length; i++) {
                out[i] = Rows.toDouble(test[i]);
            }
            return out;
        }
        return MIXTURE.sample(n, new SplittableRandom(seed));
    }

    /**
     * Real data independent of {@link #reference(int, long)} of the same seed, {@code n} rows (digits:
     * at most the training set): measured against the reference it gives each metric's real-vs-real
     * floor.
     */
    public double[][] realSample(int n, long seed) {
        SplittableRandom r = new SplittableRandom(RngKey.of(seed).fold(FLOOR_STREAM).value());
        if (this != DIGITS) {
            return MIXTURE.sample(n, r);
        }
        // the reference is the test set, so the floor's independent real sample comes from train
        float[][] train = Digits.load().train().images();
        int[] order = new int[train.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double[][] out = new double[Math.min(n, train.length)][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Rows.toDouble(train[order[i]]);
        }
        return out;
    }

    /** Standard normal noise for {@code n} samples, the same for every method of a run. */
    public Tensor noise(int n, long seed) {
        int[] dims = new int[sampleShape.length + 1];
        dims[0] = n;
        System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
        return Tensor.randn(DTYPE, new Rng(seed), dims);
    }

    /**
     * Steps of the teacher's ancestral reference sampler (DDPM): 1000 on 25-Gaussians; 100 on digits,
     * where each evaluation of the teacher (the bundled U-Net, or the analytic mixture of every training
     * image) is costly.
     */
    public int ddpmReferenceSteps() {
        return this == DIGITS ? 100 : 1000;
    }

    /** The largest NFE of the teacher's frontier sweep (digits: capped for cost, see {@link #ddpmReferenceSteps()}). */
    public int frontierMaxNfe() {
        return ddpmReferenceSteps();
    }

    /** The dataset called {@code name}, or a one-line error listing the choices. */
    public static Dataset parse(String name) {
        for (Dataset d : values()) {
            if (d.key.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new CliException("unknown dataset '" + name + "'; choose " + String.join(" or ",
                Arrays.stream(values()).map(Dataset::key).toList()));
    }
}
