package dev.distillery.nn.optim;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Module;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential moving average of a model's parameters (Polyak averaging), kept in a frozen copy of
 * the model: after update number t (0-based) {@code theta_ema = d_t theta_ema + (1 - d_t) theta}
 * with {@code d_t = min(decay, (1 + t) / (10 + t))} when warm-up is on (early averages forget
 * the random initialisation quickly), else {@code d_t = decay}. Buffers are copied, not averaged.
 * The averaged network ({@link #model()}) serves directly as an EMA target; {@link #swapIn} /
 * {@link #swapOut} put its values into the live model for evaluation and back.
 */
public final class Ema {
    /** The entry of {@link #stateDict()} that holds the update count; the others are the average's. */
    public static final String UPDATES = "ema_updates";

    private final Module average;
    private final double decay;
    private final boolean warmup;
    private long updates;
    private Map<String, Tensor> stash;

    public Ema(Module model, double decay, boolean warmup) {
        if (!(decay >= 0 && decay <= 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1], got " + decay);
        }
        this.average = model.copy().freeze().eval();
        this.decay = decay;
        this.warmup = warmup;
    }

    /** The decay used by update number t (0-based). */
    public double decayAt(long t) {
        return warmup ? Math.min(decay, (1.0 + t) / (10.0 + t)) : decay;
    }

    /** Moves the average toward {@code model}'s current values. */
    public void update(Module model) {
        double d = decayAt(updates++);
        Map<String, Tensor> live = model.namedParameters();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            average.namedParameters().forEach((name, a) -> a.assign(a.mul(d).add(live.get(name).mul(1 - d))));
            Map<String, Tensor> liveBuffers = model.namedBuffers();
            average.namedBuffers().forEach((name, b) -> b.assign(liveBuffers.get(name)));
        }
    }

    /** The averaged network (frozen, evaluation mode). */
    public Module model() {
        return average;
    }

    public long updateCount() {
        return updates;
    }

    /** Overwrites {@code model}'s values with the average. */
    public void copyTo(Module model) {
        model.loadStateDict(average.stateDict(), true);
    }

    /** Saves {@code model}'s values and loads the average into it (for evaluation). */
    public void swapIn(Module model) {
        if (stash != null) {
            throw new IllegalStateException("EMA: swapIn called twice without swapOut");
        }
        stash = new LinkedHashMap<>();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            model.stateDict().forEach((k, v) -> stash.put(k, v.mul(1.0)));
        }
        copyTo(model);
    }

    /** Restores the values saved by {@link #swapIn}. */
    public void swapOut(Module model) {
        if (stash == null) {
            throw new IllegalStateException("EMA: swapOut without swapIn");
        }
        model.loadStateDict(stash, true);
        stash = null;
    }

    /** The averaged values and {@value #UPDATES} (F64 [1]), for checkpoints. */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>(average.stateDict());
        out.put(UPDATES, Tensor.of(DType.F64, new double[] {updates}, 1));
        return out;
    }

    public void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> values = new LinkedHashMap<>(state);
        Tensor n = values.remove(UPDATES);
        if (n == null) {
            throw new IllegalArgumentException("EMA state has no 'ema_updates' entry");
        }
        average.loadStateDict(values, true);
        updates = (long) n.item();
    }
}
