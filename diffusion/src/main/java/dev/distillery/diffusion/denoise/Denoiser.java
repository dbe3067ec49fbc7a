package dev.distillery.diffusion.denoise;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.NoiseSchedule;

/**
 * The one interface samplers and distillers see (docs/ARCHITECTURE.md): an estimate of the clean
 * data {@code E[x | z_t]} from a noisy latent {@code z_t = alpha(t) x + sigma(t) eps}.
 *
 * <p><b>Time convention.</b> {@code t} is continuous time in [0, 1] as a tensor {@code [B]} (one
 * time per batch element), with {@code alpha(t)}, {@code sigma(t)} given by {@link #schedule()}
 * (t = 0 data, t = 1 noise). A network trained on discrete steps 1..T uses
 * {@code DiscreteSchedule.asContinuous()} (t = i / T) and {@link TimeConvention#discreteIndex};
 * see {@link NetworkDenoiser}. {@code z} has shape {@code [B, ...]}.
 *
 * <p>The default {@link #eps}, {@link #v}, {@link #score} convert {@link #x0} with the exact VP
 * formulas of MATH.md section 3 ({@link Prediction}); implementations whose native output is
 * another kind override them to avoid the round trip.
 */
public interface Denoiser {

    /** The schedule that defines {@code alpha(t)}, {@code sigma(t)} for this denoiser. */
    NoiseSchedule schedule();

    /** {@code x_hat(z, t, c)}, an estimate of {@code E[x | z_t = z, c]}, shaped like z. */
    Tensor x0(Tensor z, Tensor t, Condition c);

    /** {@code eps_hat = (z - alpha x_hat)/sigma} (MATH 3). */
    default Tensor eps(Tensor z, Tensor t, Condition c) {
        return Prediction.epsFromX0(z, x0(z, t, c), alpha(t, z), sigma(t, z));
    }

    /** {@code v_hat = alpha eps_hat - sigma x_hat} (MATH 3). */
    default Tensor v(Tensor z, Tensor t, Condition c) {
        return Prediction.vFromX0(z, x0(z, t, c), alpha(t, z), sigma(t, z));
    }

    /** {@code grad_z log p_t(z) ~ -(z - alpha x_hat)/sigma^2 = -eps_hat/sigma} (MATH 3). */
    default Tensor score(Tensor z, Tensor t, Condition c) {
        return Prediction.scoreFromEps(z, eps(z, t, c), sigma(t, z));
    }

    /** The prediction of the given kind. */
    default Tensor predict(Prediction kind, Tensor z, Tensor t, Condition c) {
        return switch (kind) {
            case EPS -> eps(z, t, c);
            case X0 -> x0(z, t, c);
            case V -> v(z, t, c);
        };
    }

    /** {@code alpha(t)} per sample, broadcastable against z. */
    default Tensor alpha(Tensor t, Tensor z) {
        return PerSample.alpha(schedule(), t, z);
    }

    /** {@code sigma(t)} per sample, broadcastable against z. */
    default Tensor sigma(Tensor t, Tensor z) {
        return PerSample.sigma(schedule(), t, z);
    }
}
