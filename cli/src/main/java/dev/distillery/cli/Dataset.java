package dev.distillery.cli;


import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.report.ImageGrid;
import dev.distillery.cli.report.ScatterPlot;
import dev.distillery.cli.run.Verdict;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.Digits;
import dev.distillery.diffusion.data.MixtureSpec;
import dev.distillery.diffusion.data.Toy2d;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.metrics.DigitsFeatures;
import dev.distillery.diffusion.metrics.FrechetDistance;
import dev.distillery.diffusion.metrics.MixtureLogLikelihood;
import dev.distillery.diffusion.metrics.Mmd;
import dev.distillery.diffusion.metrics.ModeCoverage;
import dev.distillery.diffusion.metrics.PrecisionRecall;
import dev.distillery.diffusion.metrics.PredictedClassEntropy;
import dev.distillery.diffusion.metrics.SlicedWasserstein;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.diffusion.training.Recipes;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.Conditioning;
import dev.distillery.nn.models.MlpConfig;
import dev.distillery.nn.models.ModelConfig;
import dev.distillery.nn.models.UNetConfig;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The datasets the commands know, each with what a run needs: data, the analytic teacher, the
 * student architecture, the metrics and the picture of a set of samples. The noise schedule of
 * every teacher is the continuous cosine schedule ({@link #SCHEDULE}).
 */
public enum Dataset {
    /** The 25-Gaussians grid (Toy2d), 2-D points; metrics against the exact mixture. */
    GAUSSIANS25("25gaussians", 25) {
        private final MixtureSpec spec = Toy2d.gaussians25Spec();

        @Override
        public int[] sampleShape() {
            return new int[] {2};
        }

        @Override
        public DataSource data() {
            return DataSource.mixture(spec, DTYPE);
        }

        @Override
        public Teacher analyticTeacher() {
            int[] componentClass = new int[spec.k()];
            for (int i = 0; i < componentClass.length; i++) {
                componentClass[i] = i;
            }
            return new Teacher(new GaussianMixtureDenoiser(GaussianMixture.of(spec), SCHEDULE, componentClass, spec.k()), null,
                    "analytic 25-Gaussians mixture: the exact E[x | z_t] (MATH.md section 5), each mode a class "
                            + "(no label: the full mixture)", spec.k());
        }

        @Override
        public ModelConfig studentConfig(boolean quick, long seed, Conditioning conditioning) {
            // the teacher recipe's network (W2 plus an input Fourier embedding, which lets an MLP learn the
            // sharp noise-to-mode maps) reading t in [0, 1]; narrower for --quick
            return Recipes.mlpConfig25Gaussians(seed).withWidth(quick ? 64 : 256).withConditioning(conditioning);
        }

        @Override
        public double[][] reference(int n, long seed) {
            return spec.sample(n, new SplittableRandom(seed));
        }

        @Override
        public Map<String, Double> measure(double[][] samples, double[][] reference, long seed) {
            Map<String, Double> m = new LinkedHashMap<>();
            double[][] finite = finiteRows(samples);
            m.put("nonfinite_fraction", 1.0 - (double) finite.length / samples.length);
            put(m, "modes", finite, s -> ModeCoverage.of(s, spec).modesCovered());
            put(m, "hq_fraction", finite, s -> ModeCoverage.of(s, spec).highQualityFraction() * s.length / samples.length);
            // on the raw points: recall sees missing modes, precision sees mass off the data (k = 3)
            PrecisionRecall.Result pr = finite.length > PrecisionRecall.DEFAULT_K && reference.length > PrecisionRecall.DEFAULT_K
                    ? PrecisionRecall.of(reference, finite) : null;
            m.put("precision", pr == null ? Double.NaN : pr.precision() * finite.length / samples.length);
            m.put("recall", pr == null ? Double.NaN : pr.recall());
            put(m, "mmd", finite, s -> Mmd.squared(s, reference, MMD_BANDWIDTHS));
            put(m, "sliced_w2", finite, s -> SlicedWasserstein.distance(s, reference, 64, seed));
            put(m, "log_density", finite, s -> MixtureLogLikelihood.mean(s, spec));
            return m;
        }

        @Override
        public double[][] realSample(int n, long seed) {
            return spec.sample(n, new SplittableRandom(RngKey.of(seed).fold(FLOOR_STREAM).value()));
        }

        @Override
        public List<Verdict.Criterion> criteria() {
            return List.of(new Verdict.Criterion("modes", true, Verdict.Noise.ONE_UNIT),
                    new Verdict.Criterion("hq_fraction", true, Verdict.Noise.BINOMIAL),
                    new Verdict.Criterion("recall", true, Verdict.Noise.BINOMIAL));
        }

        @Override
        public BufferedImage picture(String title, double[][] samples) {
            return ScatterPlot.render(title, samples, density(), frame(), 260);
        }

        private BufferedImage density;

        private synchronized BufferedImage density() {
            if (density == null) {
                density = ScatterPlot.density(spec, frame(), 240);
            }
            return density;
        }

        private ScatterPlot.Frame frame() {
            return ScatterPlot.frameFor(spec);
        }

        @Override
        public String metricsNote() {
            return "modes: modes covered (of 25) and hq_fraction: share of samples within 3 std of a mode "
                    + "(VEEGAN protocol); precision and recall: improved precision/recall (Kynkaanniemi et al. 2019, "
                    + "k = 3) of the raw points against the reference data (recall falls when modes are missed, "
                    + "precision when mass lies off the data); mmd: unbiased MMD^2 (RBF, bandwidths 0.2, 1, 4) and sliced_w2: sliced "
                    + "Wasserstein-2 (64 directions), both against fresh data; log_density: mean exact log p(x) "
                    + "under the true mixture; teacher_distance: mean distance to the teacher's DDIM-"
                    + TEACHER_ODE_STEPS + " endpoint from the same noise.\n\n" + Verdict.describe(criteria());
        }
    },

    /** The 8x8 handwritten digits, images [1, 8, 8] in [-1, 1]; FD, precision and recall on classifier features. */
    DIGITS("digits", 10) {
        /** Per-pixel std of the blurred training images that make the analytic teacher's mixture. */
        static final double PIXEL_STD = 0.1;

        @Override
        public int[] sampleShape() {
            return new int[] {1, 8, 8};
        }

        @Override
        public DataSource data() {
            Digits train = Digits.load().train();
            return DataSource.of(train.images(), train.labels(), sampleShape(), DTYPE);
        }

        @Override
        public Teacher analyticTeacher() {
            Digits train = Digits.load().train();
            float[][] images = train.images();
            int k = images.length;
            double[] w = new double[k];
            double[][] means = new double[k][];
            double[][] vars = new double[k][Digits.PIXELS];
            for (int i = 0; i < k; i++) {
                w[i] = 1.0 / k;
                means[i] = toDouble(images[i]);
                java.util.Arrays.fill(vars[i], PIXEL_STD * PIXEL_STD);
            }
            Denoiser flat = new GaussianMixtureDenoiser(new GaussianMixture(w, means, vars), SCHEDULE, train.labels(), 10);
            return new Teacher(new FlatteningDenoiser(flat), null, "analytic mixture of the " + k
                    + " training digits, each blurred by N(0, " + PIXEL_STD + "^2) per pixel, labelled by digit: an exact "
                    + "but memorising teacher", 10);
        }

        @Override
        public ModelConfig studentConfig(boolean quick, long seed, Conditioning conditioning) {
            UNetConfig base = quick ? UNetConfig.tiny() : UNetConfig.w3();
            return new UNetConfig(base.inChannels(), base.outChannels(), base.baseChannels(), base.channelMult(),
                    base.numResBlocks(), base.timeDim(), base.embDim(), base.groups(), base.attentionHeads(), 1000.0,
                    conditioning, false, DTYPE, seed);
        }

        @Override
        public double[][] reference(int n, long seed) {
            float[][] test = Digits.load().test().images();
            double[][] out = new double[Math.min(n, test.length)][];
            for (int i = 0; i < out.length; i++) {
                out[i] = toDouble(test[i]);
            }
            return out;
        }

        @Override
        public Map<String, Double> measure(double[][] samples, double[][] reference, long seed) {
            Map<String, Double> m = new LinkedHashMap<>();
            double[][] finite = finiteRows(samples);
            m.put("nonfinite_fraction", 1.0 - (double) finite.length / samples.length);
            if (finite.length < 2) {
                return m;
            }
            // features and logits of the trained digits classifier (DigitsFeatures: 98.6% test accuracy)
            DigitsFeatures net = DigitsFeatures.standard();
            double[][] fs = net.features(images(finite));
            double[][] fr = net.features(images(reference));
            m.put("fd", FrechetDistance.of(fs, fr));
            PrecisionRecall.Result pr = PrecisionRecall.of(fr, fs);
            m.put("precision", pr.precision());
            m.put("recall", pr.recall());
            m.put("class_entropy", PredictedClassEntropy.of(net.logits(images(finite))).conditional());
            m.put("fd_pixels", FrechetDistance.of(finite, reference));
            return m;
        }

        @Override
        public double[][] realSample(int n, long seed) {
            // the reference is the test set, so the floor's independent real sample comes from train
            float[][] train = Digits.load().train().images();
            int[] order = new int[train.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom r = new SplittableRandom(RngKey.of(seed).fold(FLOOR_STREAM).value());
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double[][] out = new double[Math.min(n, train.length)][];
            for (int i = 0; i < out.length; i++) {
                out[i] = toDouble(train[order[i]]);
            }
            return out;
        }

        @Override
        public List<Verdict.Criterion> criteria() {
            // coverage first (recall: the analogue of modes), then quality (precision), then FD
            return List.of(new Verdict.Criterion("recall", true, Verdict.Noise.BINOMIAL),
                    new Verdict.Criterion("precision", true, Verdict.Noise.BINOMIAL),
                    new Verdict.Criterion("fd", false, Verdict.Noise.FLOOR));
        }

        @Override
        public BufferedImage picture(String title, double[][] samples) {
            if (samples.length == 0) {
                BufferedImage blank = new BufferedImage(8 * 4 + 2, 8 * 4 + 2, BufferedImage.TYPE_INT_RGB);
                java.awt.Graphics2D g = blank.createGraphics();
                g.setColor(ImageGrid.NAN);
                g.fillRect(0, 0, blank.getWidth(), blank.getHeight());
                g.dispose();
                return blank;
            }
            float[][] images = new float[Math.min(samples.length, 64)][];
            for (int i = 0; i < images.length; i++) {
                images[i] = new float[samples[i].length];
                for (int j = 0; j < samples[i].length; j++) {
                    images[i][j] = (float) samples[i][j];
                }
            }
            return ImageGrid.greyscale(images, 8, 4, 1);
        }

        @Override
        public String metricsNote() {
            return "fd: Frechet distance between Gaussians fitted to the 64-d penultimate features of the digits "
                    + "classifier (DigitsFeatures, 98.6% test accuracy) for samples and the 360 test digits; precision "
                    + "and recall: k-NN manifolds (k = 3, Kynkaanniemi et al. 2019) in the same feature space; "
                    + "class_entropy: mean entropy of the classifier's "
                    + "prediction (real test: 0.04 nats; high means unrecognisable digits); fd_pixels: the same "
                    + "Frechet distance on raw pixels; teacher_distance: mean distance to the teacher's DDIM-"
                    + TEACHER_ODE_STEPS + " endpoint from the same noise.\n\n" + Verdict.describe(criteria());
        }
    };

    /** Rows of 64 pixels as an image batch {@code [n, 1, 8, 8]}. */
    public static Tensor images(double[][] rows) {
        double[] flat = new double[rows.length * Digits.PIXELS];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * Digits.PIXELS, Digits.PIXELS);
        }
        return Tensor.of(DTYPE, flat, rows.length, 1, 8, 8);
    }

    /** The schedule every teacher and student of these runs uses. */
    public static final NoiseSchedule SCHEDULE = ContinuousCosine.INSTANCE;
    /** Dtype of data, noise and student networks. */
    public static final DType DTYPE = DType.F32;
    /** Steps of the teacher's deterministic DDIM run that gives each noise its ODE endpoint. */
    public static final int TEACHER_ODE_STEPS = 50;
    private static final double[] MMD_BANDWIDTHS = {0.2, 1.0, 4.0};
    /** Stream of a seed's key that draws the floor's real sample (the reference uses another generator). */
    private static final long FLOOR_STREAM = 0xF1000L;

    private final String key;
    private final int classes;

    Dataset(String key, int classes) {
        this.key = key;
        this.classes = classes;
    }

    /** The number of labels of the data (25-Gaussians: one per mode; digits: 10). */
    public int classes() {
        return classes;
    }

    /** The command-line name. */
    public String key() {
        return key;
    }

    public abstract int[] sampleShape();

    /** Training data. */
    public abstract DataSource data();

    /** The exact (mixture) teacher. */
    public abstract Teacher analyticTeacher();

    /**
     * The student (and auxiliary network) architecture, narrower for {@code --quick}, with the
     * conditionings a method asks for ({@code DistillMethod.studentConditioning()}).
     */
    public abstract ModelConfig studentConfig(boolean quick, long seed, Conditioning conditioning);

    /**
     * The student architecture for a run: the teacher network's own (so students can start from its
     * weights) when the teacher is a network, else {@link #studentConfig(boolean, long, Conditioning)};
     * either way with the conditionings the method needs.
     */
    public ModelConfig studentConfig(boolean quick, long seed, Conditioning conditioning, Teacher teacher) {
        if (teacher.network() instanceof ConditionalModel net) {
            if (net.config() instanceof MlpConfig m) {
                return m.withConditioning(conditioning);
            }
            if (net.config() instanceof UNetConfig u) {
                return u.withConditioning(conditioning);
            }
        }
        return studentConfig(quick, seed, conditioning);
    }

    /** Real data to compare samples with, as rows. */
    public abstract double[][] reference(int n, long seed);

    /**
     * Real data independent of {@link #reference(int, long)} of the same seed, {@code n} rows (digits:
     * at most the training set): measured against the reference it gives each metric's real-vs-real
     * floor ({@link Floors}).
     */
    public abstract double[][] realSample(int n, long seed);

    /**
     * The metrics a verdict compares, in rank order ({@link Verdict}): the first two decide together,
     * the rest break ties.
     */
    public abstract List<Verdict.Criterion> criteria();

    /**
     * Steps of the teacher's ancestral reference sampler (DDPM): 1000 on 25-Gaussians; 100 on digits,
     * whose analytic teacher (a mixture of every training image) makes each evaluation costly.
     */
    public int ddpmReferenceSteps() {
        return this == DIGITS ? 100 : 1000;
    }

    /** The largest NFE of the teacher's frontier sweep (digits: capped for cost, see {@link #ddpmReferenceSteps()}). */
    public int frontierMaxNfe() {
        return ddpmReferenceSteps();
    }

    /** The three metrics of the frontier figure's panels ({@link Frontier}). */
    public List<String> frontierMetrics() {
        return this == DIGITS ? List.of("recall", "precision", "fd") : List.of("hq_fraction", "modes", "sliced_w2");
    }

    /** The dataset's metrics of {@code samples} (rows); a metric that cannot be computed is NaN. */
    public abstract Map<String, Double> measure(double[][] samples, double[][] reference, long seed);

    /** One panel showing {@code samples}. */
    public abstract BufferedImage picture(String title, double[][] samples);

    /** What the metric columns mean, for the report. */
    public abstract String metricsNote();

    /** The dataset called {@code name}, or a one-line error listing the choices. */
    public static Dataset parse(String name) {
        for (Dataset d : values()) {
            if (d.key.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new CliException("unknown dataset '" + name + "'; choose " + String.join(" or ",
                java.util.Arrays.stream(values()).map(Dataset::key).toList()));
    }

    /** Standard normal noise for {@code n} samples, the same for every method of a run. */
    public Tensor noise(int n, long seed) {
        int[] dims = new int[sampleShape().length + 1];
        dims[0] = n;
        System.arraycopy(sampleShape(), 0, dims, 1, sampleShape().length);
        return Tensor.randn(DTYPE, new Rng(seed), dims);
    }

    /** A batch tensor as rows {@code [n][prod(sampleShape)]}. */
    public static double[][] rows(Tensor batch) {
        int n = batch.dim(0);
        double[] flat = batch.toDoubleArray();
        int d = flat.length / n;
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    /** Mean Euclidean distance between corresponding rows. */
    public static double meanDistance(double[][] a, double[][] b) {
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            double sq = 0;
            for (int j = 0; j < a[i].length; j++) {
                double d = a[i][j] - b[i][j];
                sq += d * d;
            }
            total += Math.sqrt(sq);
        }
        return total / a.length;
    }

    public static double[][] finiteRows(double[][] samples) {
        return java.util.Arrays.stream(samples)
                .filter(r -> java.util.Arrays.stream(r).allMatch(Double::isFinite)).toArray(double[][]::new);
    }

    /** Puts the metric, or NaN when there are too few finite samples or it throws. */
    public static void put(Map<String, Double> m, String name, double[][] finite, ToDoubleFunction<double[][]> metric) {
        double v;
        try {
            v = finite.length < 2 ? Double.NaN : metric.applyAsDouble(finite);
        } catch (RuntimeException e) {
            v = Double.NaN;
        }
        m.put(name, v);
    }

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** A denoiser over flat vectors {@code [B, D]} seen as one over images {@code [B, C, H, W]}. */
    public record FlatteningDenoiser(Denoiser flat) implements Denoiser {
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

    /** For error messages: the accepted names. */
    public static List<String> keys() {
        return java.util.Arrays.stream(values()).map(Dataset::key).toList();
    }
}
