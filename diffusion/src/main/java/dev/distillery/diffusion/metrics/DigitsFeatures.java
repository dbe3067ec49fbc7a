package dev.distillery.diffusion.metrics;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.io.TensorFiles;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.data.DataSource;
import dev.distillery.diffusion.data.Digits;
import dev.distillery.nn.models.ImageClassifier;
import dev.distillery.nn.models.ImageClassifierConfig;
import dev.distillery.nn.models.ModelInput;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.LearningRate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The feature network of the digits metrics (the role Inception-v3 plays for FID): an
 * {@link ImageClassifier} ({@link ImageClassifierConfig#digits()}) trained on {@code Digits.train()}.
 * {@link #features} are its penultimate, globally pooled 64-d activations (for
 * {@link FrechetDistance} and {@link PrecisionRecall}); {@link #logits} its 10 class logits (for
 * {@link PredictedClassEntropy}).
 *
 * <p><b>Weights.</b> {@link #standard()} trains the network deterministically ({@value #SEED} as
 * init and data seed, {@value #STEPS} Adam steps of {@value #BATCH}, rate 2e-3 with cosine decay,
 * cross-entropy; about a minute on two cores) at first use, keeps it in memory and caches the
 * weights on disk as {@code digits-classifier-v1.safetensors} under the directory of the system
 * property {@code distillery.cache} (default {@code ~/.cache/distillery}); a cached file is reused
 * when present. Same recipe, same weights: the SIMD backend is deterministic for any thread count.
 * Test accuracy on {@code Digits.test()}: see docs/RESULTS.md.
 */
public final class DigitsFeatures {
    /** Seed of initialisation and batches. */
    public static final long SEED = 0L;
    /** Training steps. */
    public static final int STEPS = 1500;
    /** Batch size. */
    public static final int BATCH = 64;
    /** Cache file name; bump the version when the recipe changes. */
    public static final String CACHE_FILE = "digits-classifier-v1.safetensors";

    private static volatile DigitsFeatures standard;

    private final ImageClassifier net;

    private DigitsFeatures(ImageClassifier net) {
        this.net = net;
        net.freeze();
        net.eval();
    }

    /** The standard feature network: from memory, else the disk cache, else trained now. */
    public static synchronized DigitsFeatures standard() {
        if (standard == null) {
            Path file = cacheDir().resolve(CACHE_FILE);
            ImageClassifier net = ImageClassifierConfig.digits().build();
            boolean loaded = false;
            if (Files.isRegularFile(file)) {
                try {
                    net.loadStateDict(TensorFiles.load(file), true);
                    loaded = true;
                } catch (IOException | RuntimeException e) {
                    System.err.println("DigitsFeatures: ignoring unreadable cache " + file + ": " + e.getMessage());
                    net = ImageClassifierConfig.digits().build();
                }
            }
            if (!loaded) {
                net = trainClassifier(STEPS, SEED);
                try {
                    Files.createDirectories(file.getParent());
                    Path tmp = Files.createTempFile(file.getParent(), CACHE_FILE, ".tmp");
                    TensorFiles.save(tmp, net.stateDict(), Map.of("recipe", "DigitsFeatures v1"));
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException | RuntimeException e) {
                    System.err.println("DigitsFeatures: cannot cache weights in " + file + ": " + e.getMessage());
                }
            }
            standard = new DigitsFeatures(net);
        }
        return standard;
    }

    /** A feature network trained now with the given recipe parameters (not cached). */
    public static DigitsFeatures trained(int steps, long seed) {
        return new DigitsFeatures(trainClassifier(steps, seed));
    }

    /** The cache directory: system property {@code distillery.cache}, else {@code ~/.cache/distillery}. */
    public static Path cacheDir() {
        String p = System.getProperty("distillery.cache");
        return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".cache", "distillery");
    }

    /**
     * Trains the digits classifier: Adam (2e-3, 50 warm-up steps, cosine decay), cross-entropy
     * {@code -mean_b log softmax(logits_b)[y_b]}, batches drawn with replacement from the training split.
     */
    public static ImageClassifier trainClassifier(int steps, long seed) {
        ImageClassifierConfig d = ImageClassifierConfig.digits();
        ImageClassifier net = new ImageClassifierConfig(d.inChannels(), d.numClasses(), d.channels(), d.groups(),
                d.timeConditioned(), d.timeDim(), d.timeScale(), d.dtype(), seed).build();
        net.train();
        Digits train = Digits.load().train();
        DataSource data = DataSource.of(train.images(), train.labels(), new int[] {1, 8, 8}, DType.F32);
        Adam adam = new Adam(net.namedParameters(), LearningRate.cosine(2e-3, 50, Math.max(51, steps), 0.0),
                0.9, 0.999, 1e-8, 0.0, false);
        Rng rng = new Rng(seed);
        for (int s = 0; s < steps; s++) {
            DataSource.Batch b = data.batch(BATCH, rng);
            Tensor logits = net.forward(ModelInput.of(b.x()));
            Tensor loss = logits.logSoftmax(1).mul(Tensor.oneHot(b.labels(), 10, logits.dtype())).sum(1, false)
                    .mean().neg();
            loss.backward();
            adam.step();
            adam.zeroGrad();
        }
        net.eval();
        return net;
    }

    /** Pooled penultimate features {@code [n][64]} of images {@code [n, 1, 8, 8]} (or {@code [n, 64]}). */
    public double[][] features(Tensor images) {
        List<Tensor> f = evaluate(images);
        return rows(f.get(f.size() - 1));
    }

    /** Class logits {@code [n][10]}. */
    public double[][] logits(Tensor images) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return rows(net.forward(ModelInput.of(image(images))));
        }
    }

    /** Predicted classes (argmax of the logits). */
    public int[] predict(Tensor images) {
        double[][] l = logits(images);
        int[] y = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            int best = 0;
            for (int k = 1; k < l[i].length; k++) {
                if (l[i][k] > l[i][best]) {
                    best = k;
                }
            }
            y[i] = best;
        }
        return y;
    }

    /** Share of {@code digits} classified correctly. */
    public double accuracy(Digits digits) {
        int[] y = predict(images(digits));
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += y[i] == digits.labels()[i] ? 1 : 0;
        }
        return ok / (double) y.length;
    }

    /** The images of a digits set as an F32 tensor {@code [n, 1, 8, 8]}. */
    public static Tensor images(Digits digits) {
        float[][] im = digits.images();
        float[] flat = new float[im.length * Digits.PIXELS];
        for (int i = 0; i < im.length; i++) {
            System.arraycopy(im[i], 0, flat, i * Digits.PIXELS, Digits.PIXELS);
        }
        return Tensor.of(flat, im.length, 1, 8, 8);
    }

    /** The network (frozen, evaluation mode). */
    public ImageClassifier network() {
        return net;
    }

    private List<Tensor> evaluate(Tensor images) {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return net.features(ModelInput.of(image(images)));
        }
    }

    private static Tensor image(Tensor x) {
        return x.rank() == 2 ? x.reshape(x.dim(0), 1, 8, 8) : x;
    }

    private static double[][] rows(Tensor t) {
        int n = t.dim(0);
        int d = t.numel() / n;
        double[] flat = t.toDoubleArray();
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }
}
