package dev.distillery.distill.gan;

import dev.distillery.autograd.Tensor;

/**
 * GAN objectives from discriminator logits {@code l} (MATH.md section 6.11).
 * Both methods return a quantity to <em>minimize</em>; expectations are means over all elements.
 * With {@code D = sigmoid(l)}, {@code log D = -softplus(-l)} and {@code log(1 - D) = -softplus(l)},
 * which is how the logarithmic losses are written, stable for any logit.
 *
 * <table>
 *   <caption>losses</caption>
 *   <tr><th></th><th>discriminator L_D</th><th>generator L_G</th></tr>
 *   <tr><td>MINIMAX (Goodfellow et al. 2014)</td><td>{@code -E log D(x) - E log(1 - D(G)) = E softplus(-l_r) + E softplus(l_f)}</td>
 *       <td>{@code E log(1 - D(G)) = -E softplus(l_f)}</td></tr>
 *   <tr><td>NON_SATURATING</td><td>as MINIMAX</td><td>{@code -E log D(G) = E softplus(-l_f)}</td></tr>
 *   <tr><td>HINGE (Lim &amp; Ye 2017; ADD)</td><td>{@code E max(0, 1 - l_r) + E max(0, 1 + l_f)}</td><td>{@code -E l_f}</td></tr>
 *   <tr><td>WASSERSTEIN (Arjovsky et al. 2017)</td><td>{@code E l_f - E l_r} (add {@link GradientPenalty#wganGp})</td><td>{@code -E l_f}</td></tr>
 * </table>
 */
public enum GanLoss {
    MINIMAX {
        @Override
        public Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) {
            return realLogits.neg().softplus().mean().add(fakeLogits.softplus().mean());
        }

        @Override
        public Tensor generatorLoss(Tensor fakeLogits) {
            return fakeLogits.softplus().mean().neg();
        }
    },
    NON_SATURATING {
        @Override
        public Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) {
            return MINIMAX.discriminatorLoss(realLogits, fakeLogits);
        }

        @Override
        public Tensor generatorLoss(Tensor fakeLogits) {
            return fakeLogits.neg().softplus().mean();
        }
    },
    HINGE {
        @Override
        public Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) {
            return realLogits.rsub(1.0).relu().mean().add(fakeLogits.add(1.0).relu().mean());
        }

        @Override
        public Tensor generatorLoss(Tensor fakeLogits) {
            return fakeLogits.mean().neg();
        }
    },
    WASSERSTEIN {
        @Override
        public Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) {
            return fakeLogits.mean().sub(realLogits.mean());
        }

        @Override
        public Tensor generatorLoss(Tensor fakeLogits) {
            return fakeLogits.mean().neg();
        }
    };

    /** The discriminator's (critic's) loss on real and generated logits; fake logits are usually of detached samples. */
    public abstract Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits);

    /** The generator's loss on the logits of its samples. */
    public abstract Tensor generatorLoss(Tensor fakeLogits);
}
