package dev.distillery.diffusion.identities;

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
import java.util.Arrays;
import java.util.List;

/**
 * I12 (MATH 4): classifier-free guidance in score form is
 * {@code (1 + w) grad log p(z|c) - w grad log p(z) = grad log p(z|c) + w grad log p(c|z)}, and w = 0
 * gives the conditional model. Checked with the exact class-conditional mixture teacher: the left
 * side is {@link ClassifierFreeGuidance#score}; the right side takes {@code grad log p(c|z)} by
 * autodiff of {@code log sum_{k in c} softmax(l)_k}, an independent computation. The same gradient
 * drives {@link ClassifierGuidance} on the unconditional teacher with scale 1 + w, which must agree
 * too. Input: a mixture in D = 2 ({@link MixtureCase}, K in [2, 5]) whose components 0 and 1 belong
 * to classes 0 and 1 and the others to a chosen class, w in [0, 5] (edge 0), t in
 * {@code [0.01, 0.99]} (edges 0.01 and 0.99: alpha_bar near 1 and near 0), B in [1, 6] rows with a
 * label each and {@code z = 3 d}, d data values (outliers included).
 *
 * <p>All terms are of size at most {@code g = max_k |C_k^-1(z - alpha mu_k)|}, combined with weights up
 * to {@code 1 + 2|w|}; error: the largest difference over {@code (1 + g)(1 + 2|w|)} (the input's
 * conditioning). The weights themselves (responsibilities within a class, and over all
 * components) carry a relative error of up to {@code 4 eps Lambda} from the library's softmax
 * {@code exp(l - logsumexp l)}, Lambda the size of the logits ({@link MixtureCase#logitScale}, the
 * largest over all components and over each class's, for every row): that enters as
 * {@code 4 eps Lambda} on the error's scale. Tolerance from the input: {@code (64 + 4 Lambda) eps}.
 * At w = 0 CFG must return the conditional score exactly (error +Infinity otherwise).
 */
public final class I12GuidanceScoreForm implements Identity<I12GuidanceScoreForm.Input> {
    private static final double LOG_ZERO = -1e300;

    /**
     * @param mixture the data distribution, D = 2
     * @param classOf each component's class, 0 or 1
     * @param w the guidance weight
     * @param t the time (continuous cosine schedule)
     * @param labels one class per row
     * @param z the points, B x 2 values
     */
    public record Input(MixtureCase mixture, int[] classOf, double w, double t, int[] labels, double[] z) {
        @Override
        public String toString() {
            return mixture + ", classes " + Arrays.toString(classOf) + ", w = " + w + ", t = " + t + ", labels "
                    + Arrays.toString(labels) + ", z = " + Arrays.toString(z);
        }
    }

    @Override public String id() { return "I12"; }
    @Override public String name() { return "classifier-free guidance in score form"; }
    @Override public String equation() { return "(1 + w) s(z|c) - w s(z) = grad log p(z|c) + w grad log p(c|z); w = 0: conditional"; }

    @Override
    public Input input(Choices c) {
        MixtureCase m = MixtureCase.choose(c, 2, 2);
        int[] classOf = new int[m.components()];
        for (int i = 0; i < classOf.length; i++) {
            classOf[i] = i < 2 ? i : c.integer("class", 0, 1);
        }
        double w = c.real("w", 0, 5, 0);
        double t = c.real("t", 0.01, 0.99);
        int b = c.integer("B", 1, 6);
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = c.integer("label", 0, 1);
        }
        double[] z = c.data("z", 2 * b);
        for (int i = 0; i < z.length; i++) {
            z[i] *= 3;
        }
        return new Input(m, classOf, w, t, labels, z);
    }

    @Override
    public double error(Input in) {
        GaussianMixture m = in.mixture().mixture();
        int[] classOf = in.classOf();
        var teacher = new GaussianMixtureDenoiser(m, ContinuousCosine.INSTANCE, classOf, 2);
        double w = in.w();
        double t = in.t();
        int[] labels = in.labels();
        int b = labels.length;
        double[] zs = in.z();
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

    @Override
    public double tolerance(Input in) {
        double a = ContinuousCosine.INSTANCE.alpha(in.t());
        double s = ContinuousCosine.INSTANCE.sigma(in.t());
        int k = in.mixture().components();
        boolean[][] subsets = new boolean[3][k];
        for (int i = 0; i < k; i++) {
            subsets[0][i] = true;
            subsets[1 + in.classOf()[i]][i] = true;
        }
        double lambda = 0;
        for (int row = 0; row < in.labels().length; row++) {
            double[] z = {in.z()[2 * row], in.z()[2 * row + 1]};
            for (boolean[] subset : subsets) {
                lambda = Math.max(lambda, in.mixture().logitScale(z, a, s, subset));
            }
        }
        return (64 + 4 * lambda) * EPS;
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
