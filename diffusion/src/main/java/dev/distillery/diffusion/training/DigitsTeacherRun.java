package dev.distillery.diffusion.training;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.data.Digits;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.metrics.DigitsFeatures;
import dev.distillery.diffusion.metrics.FrechetDistance;
import dev.distillery.diffusion.metrics.PrecisionRecall;
import dev.distillery.diffusion.metrics.PredictedClassEntropy;
import dev.distillery.diffusion.sampling.DdimSampler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Trains the digits U-Net teacher ({@link Recipes#unetTeacherDigits}), samples digits with
 * deterministic DDIM-50 (uniform times 1 -> 0 on the continuous cosine schedule), and reports the
 * Frechet distance of the {@link DigitsFeatures} features against the real test set next to the
 * real-vs-real floor (train vs test), plus precision/recall and class entropies. Writes a PNG grid of
 * samples. Takes minutes: not a CI test.
 *
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp ... dev.distillery.diffusion.training.DigitsTeacherRun \
 *        [steps=3000] [baseChannels=32] [resBlocks=2] [samples=360] [png=docs/digits_teacher_samples.png] [seed=0]
 * </pre>
 */
public final class DigitsTeacherRun {
    private DigitsTeacherRun() {}

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int base = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int n = args.length > 3 ? Integer.parseInt(args[3]) : 360;
        Path png = Path.of(args.length > 4 ? args[4] : "docs/digits_teacher_samples.png");
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 0L;

        long t0 = System.nanoTime();
        DigitsFeatures features = DigitsFeatures.standard();
        Digits all = Digits.load();
        Tensor train = DigitsFeatures.images(all.train());
        Tensor test = DigitsFeatures.images(all.test());
        double[][] fTrain = features.features(train);
        double[][] fTest = features.features(test);
        double floor = FrechetDistance.of(fTrain, fTest);
        System.out.printf("feature network ready in %.1f s; test accuracy %.4f; FD floor (train vs test) %.4f%n",
                secs(t0), features.accuracy(all.test()), floor);

        long t1 = System.nanoTime();
        Recipes.Teacher teacher = Recipes.unetTeacherDigits(base, blocks, false, steps, seed, (done, total, losses) -> {
            if (done % 100 == 0 || done == total) {
                System.out.printf("step %d/%d loss %.4f (%.0f s)%n", done, total, losses.get("loss"), secs(t1));
            }
        });
        System.out.printf("U-Net (base %d, %d res blocks, %d parameters) trained %d steps in %.1f s%n", base, blocks,
                teacher.model().parameterCount(), steps, teacher.seconds());

        long t2 = System.nanoTime();
        double[] times = new double[51];
        for (int i = 0; i <= 50; i++) {
            times[i] = 1.0 - i / 50.0;
        }
        Tensor zT = Tensor.randn(DType.F32, seed + 1000, 0L, n, 1, 8, 8);
        Tensor x = DdimSampler.sample(teacher.denoiser(), zT, times, 0.0, Condition.NONE, null, null, null).clamp(-1, 1);
        System.out.printf("sampled %d digits with DDIM-50 in %.1f s%n", n, secs(t2));

        double[][] fGen = features.features(x);
        double fd = FrechetDistance.of(fGen, fTest);
        PrecisionRecall.Result pr = PrecisionRecall.of(fTest, fGen);
        PredictedClassEntropy.Result ent = PredictedClassEntropy.of(features.logits(x));
        PredictedClassEntropy.Result entReal = PredictedClassEntropy.of(features.logits(test));
        System.out.printf("FD(samples, test) %.4f = %.2f x floor %.4f%n", fd, fd / floor, floor);
        System.out.printf("precision %.3f recall %.3f (vs real test)%n", pr.precision(), pr.recall());
        System.out.printf("class entropy: conditional %.3f marginal %.3f (real test: %.3f, %.3f)%n",
                ent.conditional(), ent.marginal(), entReal.conditional(), entReal.marginal());

        writeGrid(x, Math.min(n, 100), 10, 4, png);
        System.out.println("wrote " + png.toAbsolutePath());
    }

    /**
     * Writes the first {@code count} images ({@code [n, 1, 8, 8]} in [-1, 1]) as a grid of
     * {@code cols} columns, each pixel drawn as a {@code scale x scale} block with a 1-block gap.
     */
    public static void writeGrid(Tensor images, int count, int cols, int scale, Path file) throws IOException {
        float[] px = images.toFloatArray();
        int rows = (count + cols - 1) / cols;
        int cell = 8 * scale + scale;
        BufferedImage img = new BufferedImage(cols * cell + scale, rows * cell + scale, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < count; k++) {
            int ox = scale + (k % cols) * cell;
            int oy = scale + (k / cols) * cell;
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    double v = Math.max(-1, Math.min(1, px[k * 64 + r * 8 + c]));
                    int g = (int) Math.round((v + 1) / 2 * 255);
                    int rgb = (g << 16) | (g << 8) | g;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(ox + c * scale + dx, oy + r * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
