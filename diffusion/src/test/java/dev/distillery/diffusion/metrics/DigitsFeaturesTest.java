package dev.distillery.diffusion.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.data.Digits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digits feature network reaches 97% test accuracy, and the metric floors on held-out real
 * data (train vs test) are what docs/RESULTS.md reports. Trains the classifier once (the recipe of
 * {@link DigitsFeatures#standard()}, cached in a temporary directory).
 */
class DigitsFeaturesTest {
    @TempDir
    static Path cache;

    @Test
    void classifierAccuracyAndRealVsRealFloors() {
        String old = System.getProperty("distillery.cache");
        System.setProperty("distillery.cache", cache.toString());
        try {
            long t0 = System.nanoTime();
            DigitsFeatures f = DigitsFeatures.standard();
            double secs = (System.nanoTime() - t0) / 1e9;
            Digits all = Digits.load();
            double acc = f.accuracy(all.test());
            Tensor train = DigitsFeatures.images(all.train());
            Tensor test = DigitsFeatures.images(all.test());
            double[][] fTrain = f.features(train);
            double[][] fTest = f.features(test);
            double fd = FrechetDistance.of(fTrain, fTest);
            PrecisionRecall.Result pr = PrecisionRecall.of(fTrain, fTest);
            PredictedClassEntropy.Result ent = PredictedClassEntropy.of(f.logits(test));
            System.out.printf("digits classifier: trained in %.1f s, test accuracy %.4f, train accuracy %.4f%n", secs, acc,
                    f.accuracy(all.train()));
            System.out.printf("floors: FD(train, test) %.4f; precision %.4f recall %.4f (real = train, generated = test); "
                    + "test class entropy conditional %.4f marginal %.4f (log 10 = %.4f)%n", fd, pr.precision(), pr.recall(),
                    ent.conditional(), ent.marginal(), Math.log(10));
            assertTrue(acc >= 0.97, "test accuracy " + acc);
            assertTrue(pr.precision() > 0.7 && pr.recall() > 0.7, "real-vs-real precision/recall " + pr);
            assertTrue(ent.marginal() > 0.95 * Math.log(10), "balanced classes: marginal entropy " + ent.marginal());
            assertTrue(ent.conditional() < 0.3, "confident predictions: conditional entropy " + ent.conditional());
            // the cached weights give the same features
            assertTrue(cache.resolve(DigitsFeatures.CACHE_FILE).toFile().isFile(), "weights cached");
        } finally {
            if (old == null) {
                System.clearProperty("distillery.cache");
            } else {
                System.setProperty("distillery.cache", old);
            }
        }
    }
}
