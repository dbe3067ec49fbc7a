package dev.distillery.nn.models;

import dev.distillery.autograd.Tensor;

/**
 * Everything a conditional network reads: data {@code x}, time {@code t: [B]} (a discrete index or
 * a continuous time, as values of a tensor), and the optional conditionings: a second time
 * {@code s: [B]} (consistency trajectory models), class labels ({@link Conditioning#NULL_LABEL}
 * for "no class", classifier-free guidance) and a guidance scale {@code w: [B]} (guided
 * distillation). Null means absent.
 */
public record ModelInput(Tensor x, Tensor t, Tensor s, int[] labels, Tensor w) {

    public ModelInput {
        if (x == null) {
            throw new IllegalArgumentException("ModelInput: x is required");
        }
        int b = x.rank() == 0 ? 1 : x.dim(0);
        checkBatch("t", t, b);
        checkBatch("s", s, b);
        checkBatch("w", w, b);
        if (labels != null && labels.length != b) {
            throw new IllegalArgumentException("ModelInput: " + labels.length + " labels for a batch of " + b);
        }
    }

    private static void checkBatch(String name, Tensor v, int b) {
        if (v != null && (v.rank() != 1 || v.dim(0) != b)) {
            throw new IllegalArgumentException("ModelInput: " + name + " must have shape [" + b + "], got " + v.shape());
        }
    }

    /** Data and time only. */
    public static ModelInput of(Tensor x, Tensor t) {
        return new ModelInput(x, t, null, null, null);
    }

    /** Data only (classifiers and feature networks without time). */
    public static ModelInput of(Tensor x) {
        return new ModelInput(x, null, null, null, null);
    }

    public ModelInput withX(Tensor newX) {
        return new ModelInput(newX, t, s, labels, w);
    }

    public ModelInput withT(Tensor newT) {
        return new ModelInput(x, newT, s, labels, w);
    }

    public ModelInput withS(Tensor newS) {
        return new ModelInput(x, t, newS, labels, w);
    }

    public ModelInput withLabels(int[] newLabels) {
        return new ModelInput(x, t, s, newLabels, w);
    }

    public ModelInput withW(Tensor newW) {
        return new ModelInput(x, t, s, labels, newW);
    }

    public int batchSize() {
        return x.dim(0);
    }

    /** The time, or an error naming the model that needs it. */
    public Tensor requireT(String model) {
        if (t == null) {
            throw new IllegalArgumentException(model + " needs a time t: [B] in its ModelInput");
        }
        return t;
    }
}
