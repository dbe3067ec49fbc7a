package dev.distillery.diffusion.identities;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.guidance.ClassifierFreeGuidance;
import dev.distillery.diffusion.guidance.ClassifierGuidance;
import dev.distillery.diffusion.guidance.NoisyClassifier;
import dev.distillery.diffusion.mixture.GaussianMixture;
import dev.distillery.diffusion.mixture.GaussianMixtureDenoiser;
import dev.distillery.diffusion.schedule.ContinuousCosine;
import java.util.List;
import java.util.SplittableRandom;

/**
 * I12 (MATH 4): classifier-free guidance in score form is
 * {@code (1 + w) grad log p(z|c) - w grad log p(z) = grad log p(z|c) + w grad log p(c|z)}, and w = 0
 * gives the conditional model. Checked with the exact class-conditional mixture teacher (D = 2,
 * K = 4 components in 2 classes): the left side is {@link ClassifierFreeGuidance#score}; the right
 * side takes {@code grad log p(c|z)} by autodiff of {@code log sum_{k in c} softmax(l)_k}, an independent
 * computation. The same gradient drives {@link ClassifierGuidance} on the unconditional teacher
 * with scale 1 + w, which must agree too. All terms are of size at most
 * {@code g = max_k |C_k^-1(z - alpha mu_k)|}, combined with weights up to 1 + 2|w|; error: the largest
 * difference over {@code (1 + g)(1 + 2|w|)}; tolerance {@code 64 eps}. At w = 0 CFG must return the
 * conditional score exactly.
 */
public final class I12GuidanceScoreForm implements Identity {
    private static final double LOG_ZERO = -1e300;

    @Override public String id() { return "I12"; }
    @Override public String name() { return "classifier-free guidance in score form"; }
    @Override public String equation() { return "(1 + w) s(z|c) - w s(z) = grad log p(z|c) + w grad log p(c|z); w = 0: conditional"; }
    @Override public double tolerance() { return 64 * EPS; }

    @Override
    public double worstError(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        GaussianMixture drawn = RandomMixtures.draw(new SplittableRandom(r.nextLong()), 2);
        while (drawn.components() < 2) {
            drawn = RandomMixtures.draw(new SplittableRandom(r.nextLong()), 2);
        }
        final GaussianMixture m = drawn;
        int k = m.components();
        int[] classOf = new int[k];
        for (int i = 0; i < k; i++) {
            classOf[i] = i == 0 ? 0 : i == 1 ? 1 : r.nextInt(2);
        }
        var teacher = new GaussianMixtureDenoiser(m, ContinuousCosine.INSTANCE, classOf, 2);
        double w = r.nextInt(4) == 0 ? 0.0 : 5 * r.nextDouble();
        int b = 6;
        double t = 0.1 + 0.8 * r.nextDouble();
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = r.nextInt(2);
        }
        double[] zs = Inputs.normals(r, 2 * b);
        for (int i = 0; i < zs.length; i++) {
            zs[i] *= 3;
        }
        Tensor z = Tensor.of(DType.F64, zs, b, 2);
        Tensor time = PerSample.time(t, b, DType.F64);
        Condition c = Condition.labels(labels);
        double a = ContinuousCosine.INSTANCE.alpha(t);
        double s = ContinuousCosine.INSTANCE.sigma(t);
        NoisyClassifier classifier = (zz, tt) -> classLogits(m, classOf, zz, a, s);
        double[] cfg = new ClassifierFreeGuidance(teacher, w, -1).score(z, time, c).toDoubleArray();
        double[] cond = teacher.score(z, time, c).toDoubleArray();
        double[] gradClass = new ClassifierGuidance(teacher, classifier, 1.0).classifierGradient(z, time, labels)
                .toDoubleArray();
        double worst = 0;
        for (int i = 0; i < b; i++) {
            double g = gradientScale(m, zs, i, a, s);
            double scale = (1 + g) * (1 + 2 * Math.abs(w));
            for (int d = 0; d < 2; d++) {
                int j = 2 * i + d;
                double rhs = cond[j] + w * gradClass[j];
                worst = Math.max(worst, Math.abs(cfg[j] - rhs) / scale);
                if (w == 0.0 && cfg[j] != cond[j]) {
                    return Double.POSITIVE_INFINITY;
                }
            }
        }
        // Classifier guidance with scale 1 + w on the unconditional teacher (labels go to the classifier).
        GaussianMixtureDenoiser unconditional = new GaussianMixtureDenoiser(m, ContinuousCosine.INSTANCE);
        double[] guided = new ClassifierGuidance(unconditional, classifier, 1.0 + w).score(z, time, c)
                .toDoubleArray();
        for (int i = 0; i < b; i++) {
            double scale = (1 + gradientScale(m, zs, i, a, s)) * (1 + 2 * Math.abs(w));
            for (int d = 0; d < 2; d++) {
                worst = Math.max(worst, Math.abs(guided[2 * i + d] - cfg[2 * i + d]) / scale);
            }
        }
        return worst;
    }

    /** {@code max_k |C_k^-1 (z_i - alpha mu_k)|} for row i. */
    private static double gradientScale(GaussianMixture m, double[] zs, int i, double a, double s) {
        double g = 0;
        for (int kk = 0; kk < m.components(); kk++) {
            for (int d = 0; d < 2; d++) {
                double var = a * a * m.variance(kk, d) + s * s;
                g = Math.max(g, Math.abs(zs[2 * i + d] - a * m.mean(kk, d)) / var);
            }
        }
        return g;
    }

    /** Logits {@code log p(c | z_t)} per class: log of the summed responsibilities of its components. */
    static Tensor classLogits(GaussianMixture m, int[] classOf, Tensor z, double a, double s) {
        Tensor logR = m.componentLogits(z, Tensor.scalar(a, z.dtype()), Tensor.scalar(s, z.dtype()), null).logSoftmax(1);
        int k = classOf.length;
        double[] mask = new double[2 * k];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < k; i++) {
                mask[c * k + i] = classOf[i] == c ? 0.0 : LOG_ZERO;
            }
        }
        Tensor masked = logR.unsqueeze(1).add(Tensor.of(z.dtype(), mask, 1, 2, k)); // [B, 2, K]
        return masked.logsumexp(2, false);
    }
}
