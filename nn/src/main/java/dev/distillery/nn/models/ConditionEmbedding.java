package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Init;
import dev.distillery.nn.Module;
import dev.distillery.nn.layers.Activation;
import dev.distillery.nn.layers.Embedding;
import dev.distillery.nn.layers.FourierFeatures;
import dev.distillery.nn.layers.Linear;
import dev.distillery.nn.layers.Sequential;
import dev.distillery.nn.layers.SinusoidalEmbedding;

/**
 * The sum of the enabled optional conditionings, to be added to a model's time embedding:
 * {@code e = MLP(sin(s)) + E[label] + MLP(fourier(w))}, each of size {@code dim}. Children
 * {@code s_emb}, {@code label_emb} and {@code w_emb} exist only when enabled, so a model without
 * conditioning has the plain W2/W3 parameter names.
 *
 * <p>The last layers of {@code s_emb} and {@code w_emb} start at zero (as ControlNet's zero
 * convolutions, Zhang et al. 2023, section 3.1): a student copied from a teacher that lacks the
 * conditioning (CTM's s, guided distillation's w) is then exactly that teacher at step 0, and
 * training grows the new input from there instead of starting from a perturbed teacher. The label
 * table is not zeroed: labels come from a class-conditional teacher whose table is loaded.
 */
final class ConditionEmbedding extends Module {
    private final Conditioning cond;
    private final int sinDim;
    private final int dim;
    private final double timeScale;
    private final Sequential sEmb;
    private final Embedding labelEmb;
    private final Sequential wEmb;

    ConditionEmbedding(Conditioning cond, int sinDim, int dim, double timeScale, Init init) {
        this.cond = cond;
        this.sinDim = sinDim;
        this.dim = dim;
        this.timeScale = timeScale;
        this.sEmb = cond.secondTime() ? registerModule("s_emb", new Sequential(new SinusoidalEmbedding(sinDim),
                new Linear(sinDim, dim, init), Activation.silu(), Init.zeroParameters(new Linear(dim, dim, init)))) : null;
        this.labelEmb = cond.numClasses() > 0
                ? registerModule("label_emb", new Embedding(cond.numClasses(), dim, true, init)) : null;
        this.wEmb = cond.guidanceScale() ? registerModule("w_emb", new Sequential(
                new FourierFeatures(sinDim, cond.fourierScale(), init),
                new Linear(sinDim, dim, init), Activation.silu(), Init.zeroParameters(new Linear(dim, dim, init)))) : null;
    }

    /** The summed embedding {@code [B, dim]}, or null when nothing is enabled. */
    Tensor forward(ModelInput in, String model) {
        Tensor e = null;
        if (sEmb != null) {
            e = sEmb.forward(need(in.s(), "a second time s", model).to(dtype()).mul(timeScale));
        } else if (in.s() != null) {
            throw new IllegalArgumentException(model + " was not configured with a second time; its input has s");
        }
        if (labelEmb != null) {
            int[] ids = need(in.labels(), "labels", model).clone();
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ids[i] == Conditioning.NULL_LABEL ? labelEmb.nullIndex() : ids[i];
                if (ids[i] < 0 || ids[i] > cond.numClasses()) {
                    throw new IllegalArgumentException(model + ": label " + in.labels()[i] + " at position " + i
                            + " is outside 0.." + (cond.numClasses() - 1) + " (or NULL_LABEL)");
                }
            }
            e = add(e, labelEmb.forward(ids));
        } else if (in.labels() != null) {
            throw new IllegalArgumentException(model + " was not configured with classes; its input has labels");
        }
        if (wEmb != null) {
            e = add(e, wEmb.forward(need(in.w(), "a guidance scale w", model).to(dtype())));
        } else if (in.w() != null) {
            throw new IllegalArgumentException(model + " was not configured with a guidance scale; its input has w");
        }
        return e;
    }

    private <T> T need(T v, String what, String model) {
        if (v == null) {
            throw new IllegalArgumentException(model + " is configured with " + what + "; pass it in the ModelInput");
        }
        return v;
    }

    private static Tensor add(Tensor acc, Tensor term) {
        return acc == null ? term : acc.add(term);
    }

    private dev.distillery.autograd.DType dtype() {
        return parameters().get(0).dtype();
    }

    @Override
    protected Module rebuild() {
        return new ConditionEmbedding(cond, sinDim, dim, timeScale, Init.of(dtype(), 0));
    }
}
