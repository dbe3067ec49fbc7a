package dev.distillery.distill.trajectory;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.sampling.EdmView;
import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.distill.Generator;
import dev.distillery.distill.core.ConsistencyParameterization;
import dev.distillery.nn.Module;

import java.util.Map;

/**
 * The consistency function {@code f_theta(x, sigma)} of consistency distillation and training
 * (Song et al. 2023, section 3 and Appendix C; MATH.md section 6), in EDM units
 * ({@code x = z/alpha}, {@code sigma = sigma_edm}):
 * <pre>
 *   f(x, sigma) = c_skip(sigma) x + c_out(sigma) F,    F = (x_hat - c_skip^EDM(sigma) x) / c_out^EDM(sigma)
 * </pre>
 * with {@link ConsistencyParameterization}'s c_skip, c_out (I15: {@code f(x, eps) = x} exactly) and
 * x_hat the student's x-prediction {@code x_hat_theta(alpha x, t(sigma))} in the VP view (the
 * DistillSetup convention: the network reads {@code z = alpha x} and VP time t), read through EDM's
 * preconditioning ({@link ConsistencyParameterization#outputFromDenoiser}). A student copied from
 * the teacher network thus starts as the teacher's denoiser at every sigma well above eps, so its
 * one- and multistep samples start as the teacher's x0-predictions and training only corrects them.
 *
 * <p><b>Sampling</b> (Song et al. 2023, Algorithm 1; MATH.md section 6.4):
 * the generator's noise is N(0, I) in the VP sense and is scaled to {@code x_T = sigma_max noise}
 * (the EDM state at T = sigma_max); then {@code x <- f(x_T, T)}, and for each further step
 * {@code x <- f(x + sqrt(tau^2 - eps^2) xi, tau)} at the interior levels tau of
 * {@link Grids#renoiseLevels}, at most {@code renoiseMax} ({@code xi} from {@code key.fold(k)}). The
 * output is x in data units.
 */
final class ConsistencyFunction {
    private ConsistencyFunction() {
    }

    static Tensor apply(Student net, ConsistencyParameterization p, Tensor x, double[] sigma) {
        Tensor xHat = new EdmView(net.denoiser()).denoise(x, sigma, Condition.NONE);
        return p.apply(x, PerSample.vector(sigma, x.dtype()), p.outputFromDenoiser(x, sigma, xHat));
    }

    static Generator generator(Student net, ConsistencyParameterization p, EdmConfig edm, double renoiseMax) {
        return (noise, steps, key) -> sample(net, p, edm, renoiseMax, noise, steps, key);
    }

    static Tensor sample(Student net, ConsistencyParameterization p, EdmConfig edm, double renoiseMax, Tensor noise,
                         int steps, RngKey key) {
        double[] levels = Grids.renoiseLevels(steps, p.epsilon(), edm.sigmaMax(), renoiseMax, edm.rho());
        int b = noise.dim(0);
        try (var ignored = Autograd.noGrad()) {
            Tensor x = apply(net, p, noise.mul(edm.sigmaMax()), Grids.fill(edm.sigmaMax(), b));
            for (int k = 1; k < steps; k++) {
                double tau = levels[k];
                Tensor xi = Grids.noise(key.fold(k), x);
                x = apply(net, p, x.add(xi.mul(Math.sqrt(tau * tau - p.epsilon() * p.epsilon()))), Grids.fill(tau, b));
            }
            return x.detach();
        }
    }

    /** {@code theta_target <- mu theta_target + (1 - mu) theta} (stop-gradient EMA of the online weights). */
    static void emaUpdate(Module target, Module online, double mu) {
        Map<String, Tensor> live = online.namedParameters();
        try (var ignored = Autograd.noGrad()) {
            target.namedParameters().forEach((name, a) -> a.assign(a.mul(mu).add(live.get(name).mul(1.0 - mu))));
        }
    }
}
