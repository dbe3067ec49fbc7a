package dev.distillery.distill.matching;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.distill.DistillSetup;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.core.ScoreDistillation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Score distillation sampling as a generator objective (Poole et al. 2022, DreamFusion, eq. 3;
 * MATH.md section 6.9, I19). The fake distribution is a
 * set of deltas at the generator outputs {@code x = G(z)}, so its noisy score is
 * {@code -(x_t - alpha_t x)/sigma_t^2 = -eps/sigma_t} and the DMD direction becomes
 * <pre>
 *   grad_x = w(t) (eps_hat(x_t, t) - eps),     x_t = alpha_t x + sigma_t eps,  t ~ U(tMin, tMax)
 * </pre>
 * fed to the generator through {@link ScoreDistillation#loss}'s surrogate (mean over elements).
 * Since {@code eps_hat - eps = alpha_t (x - x_hat_teacher)/sigma_t}, SDS pulls every sample
 * towards the teacher's denoised guess of its own noisy version: nothing pushes samples apart,
 * so it seeks modes (the fake score carries no spread). The tests measure this.
 */
public final class ScoreDistillationSampling extends GeneratorDistiller {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "sds";


    /** The weighting {@code w(t)} of the SDS gradient. */
    public enum Weighting {
        /** DreamFusion's {@code w(t) = sigma_t^2} (Poole et al. 2022, Appendix A.4). */
        SIGMA_SQUARED,
        /** {@code w(t) = sigma_t / alpha_t}: then {@code grad_x = x - x_hat_teacher}, DMD's scale. */
        SIGMA_OVER_ALPHA,
        /** {@code w(t) = 1}. */
        UNIFORM
    }

    /**
     * @param lr           generator Adam learning rate (betas 0.9, 0.999)
     * @param weighting    w(t); DreamFusion's sigma^2 by default
     * @param tMin         smallest diffusion time (DreamFusion: t ~ U(0.02, 0.98))
     * @param tMax         largest diffusion time
     * @param studentSteps student steps trained by backward simulation (1 = the one-step map
     *                     z -> x; 4 lets the same generator run at 1, 2 and 4 steps)
     */
    public record Config(double lr, Weighting weighting, double tMin, double tMax, int studentSteps) {
        /**
         * DreamFusion's weighting and time range (Poole et al. 2022, section 3 and Appendix A.4); one
         * student step (DreamFusion's generator, a NeRF, is a one-step map from its parameters);
         * lr 1e-3 suits the 2-D MLPs.
         */
        public static Config defaults() {
            return new Config(1e-3, Weighting.SIGMA_SQUARED, 0.02, 0.98, 1);
        }
    }

    private final Config config;

    public ScoreDistillationSampling(DistillSetup setup, Config config) {
        super(new GeneratorTraining(setup, Student.create(setup, true, 1), config.lr(), 0.9, 0.999,
                config.studentSteps(), config.tMin(), config.tMax()));
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        int b = g.setup.batchSize();
        Tensor x = g.generate(b, rng);
        GeneratorTraining.Times tt = g.times(b, rng);
        Tensor eps = Tensor.randn(x.dtype(), rng, x.shape().dims());
        Tensor epsHat = g.teacherEps(GeneratorTraining.noised(x, tt, eps), tt.t());
        Tensor w = weight(tt);
        Tensor grad = ScoreDistillation.gradient(epsHat, eps, w);
        double loss = g.update(GeneratorTraining.surrogateMean(x, grad));
        // a LinkedHashMap, not Map.of: the loss plot draws the series in this map's order, and
        // Map.of's iteration order changes from one JVM start to the next
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("sds_surrogate", loss);
        out.put("grad_rms", Math.sqrt(PerSample.squaredNorm(grad).mean().item()));
        return out;
    }

    private Tensor weight(GeneratorTraining.Times tt) {
        return switch (config.weighting()) {
            case SIGMA_SQUARED -> tt.sigma().square();
            case SIGMA_OVER_ALPHA -> tt.sigma().div(tt.alpha());
            case UNIFORM -> tt.sigma().fullLike(1.0);
        };
    }
}
