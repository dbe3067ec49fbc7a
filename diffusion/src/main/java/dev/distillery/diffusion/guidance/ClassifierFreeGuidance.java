package dev.distillery.diffusion.guidance;

import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import java.util.Arrays;
import java.util.Objects;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022; MATH.md section 4):
 * <pre>
 *   eps_tilde = (1 + w) eps(z, c) - w eps(z, null)
 * </pre>
 * (a "guidance scale" g = 1 + w is the same thing); w = 0 gives the conditional model. Since every
 * conversion of MATH 3 is affine in the prediction at fixed (z, t), the same combination holds for
 * x0, v and the score: in score form it is {@code grad log p(z|c) + w grad log p(c|z)} (I12).
 *
 * @param base a conditional denoiser trained with label dropout
 * @param w guidance weight (w = 0: conditional; w = -1: unconditional)
 * @param nullLabel the label index that stands for "no label" in {@code base}; a negative value
 *     means "pass {@code labels = null}"
 */
public record ClassifierFreeGuidance(Denoiser base, double w, int nullLabel) implements Denoiser {

    public ClassifierFreeGuidance {
        Objects.requireNonNull(base, "base");
        if (!Double.isFinite(w)) {
            throw new IllegalArgumentException("w = " + w + " must be finite");
        }
    }

    @Override
    public NoiseSchedule schedule() {
        return base.schedule();
    }

    @Override
    public Tensor x0(Tensor z, Tensor t, Condition c) {
        return combine(base.x0(z, t, c), base.x0(z, t, unconditional(c, z)));
    }

    @Override
    public Tensor eps(Tensor z, Tensor t, Condition c) {
        return combine(base.eps(z, t, c), base.eps(z, t, unconditional(c, z)));
    }

    @Override
    public Tensor v(Tensor z, Tensor t, Condition c) {
        return combine(base.v(z, t, c), base.v(z, t, unconditional(c, z)));
    }

    @Override
    public Tensor score(Tensor z, Tensor t, Condition c) {
        return combine(base.score(z, t, c), base.score(z, t, unconditional(c, z)));
    }

    /** {@code (1 + w) cond - w uncond}. */
    private Tensor combine(Tensor cond, Tensor uncond) {
        if (w == 0.0) {
            return cond;
        }
        return cond.mul(1.0 + w).sub(uncond.mul(w));
    }

    private Condition unconditional(Condition c, Tensor z) {
        Condition cc = Condition.orNone(c);
        if (nullLabel < 0) {
            return cc.withLabels(null);
        }
        int[] nulls = new int[z.dim(0)];
        Arrays.fill(nulls, nullLabel);
        return cc.withLabels(nulls);
    }
}
