package dev.distillery.diffusion.denoise;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

/**
 * What a denoiser is conditioned on besides {@code (z, t)}. Every field may be null.
 *
 * @param labels class labels, one per batch element; null = unconditional
 * @param guidance guidance scale w per batch element ({@code [B]}) or rank 0, for networks
 *     conditioned on w (guided distillation, Meng et al. 2023); null = none
 * @param secondTime a second time s per batch element ({@code [B]}, continuous in [0, 1]), for
 *     two-time models such as CTM's {@code G(x_t, t, s)}; null = none
 */
public record Condition(int[] labels, Tensor guidance, Tensor secondTime) {
    /** No conditioning at all. */
    public static final Condition NONE = new Condition(null, null, null);

    public Condition {
        labels = labels == null ? null : labels.clone();
    }

    /** Labels only. */
    public static Condition labels(int... labels) {
        return new Condition(labels, null, null);
    }

    /** Null-safe: {@code c} or {@link #NONE}. */
    public static Condition orNone(Condition c) {
        return c == null ? NONE : c;
    }

    @Override
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** This condition with other labels (null drops them). */
    public Condition withLabels(int[] newLabels) {
        return new Condition(newLabels, guidance, secondTime);
    }

    /** This condition with a single guidance scale w (a rank-0 F64 tensor). */
    public Condition withGuidance(double w) {
        return new Condition(labels, Tensor.scalar(w, DType.F64), secondTime);
    }

    /** This condition with per-sample guidance scales. */
    public Condition withGuidance(Tensor w) {
        return new Condition(labels, w, secondTime);
    }

    /** This condition with a second time s. */
    public Condition withSecondTime(Tensor s) {
        return new Condition(labels, guidance, s);
    }

    /** Whether class labels are present. */
    public boolean hasLabels() {
        return labels != null;
    }
}
