package dev.distillery.nn.optim;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Updates named parameters from their accumulated gradients ({@link Tensor#grad()}), in place
 * under no-grad. Subclasses give the per-parameter rule; this class
 * keeps the step count t (1 for the first update, as PyTorch's bias corrections count), the
 * schedule and the per-parameter state slots. A parameter without a gradient is skipped, its
 * state untouched. One step counter is shared by all parameters (PyTorch keeps one per parameter;
 * they agree whenever every parameter gets a gradient each step).
 */
public abstract class Optimizer {
    private final LinkedHashMap<String, Tensor> params;
    private final Map<String, Map<String, Tensor>> state = new LinkedHashMap<>();
    private LearningRate schedule;
    private long step;

    protected Optimizer(Map<String, Tensor> params, LearningRate schedule) {
        this.params = new LinkedHashMap<>(params);
        this.schedule = schedule;
        params.forEach((name, p) -> {
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("optimizer: parameter '" + name + "' is not a leaf tensor");
            }
        });
    }

    /**
     * Updates parameter {@code p} in place from its gradient {@code g} (already of p's dtype) at
     * step t (>= 1) with rate lr.
     */
    protected abstract void update(String name, Tensor p, Tensor g, double lr, long t);

    /** Applies one update to every parameter that has a gradient; returns the rate used. */
    public final double step() {
        double lr = schedule.at(step);
        long t = ++step;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            params.forEach((name, p) -> {
                Tensor g = p.grad();
                if (g != null) {
                    update(name, p, g.to(p.dtype()), lr, t);
                }
            });
        }
        return lr;
    }

    /** Forgets every parameter's gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        params.values().forEach(Tensor::zeroGrad);
    }

    /** Steps taken so far. */
    public final long stepCount() {
        return step;
    }

    public final LearningRate schedule() {
        return schedule;
    }

    public final void setSchedule(LearningRate s) {
        schedule = s;
    }

    public final Map<String, Tensor> parameters() {
        return java.util.Collections.unmodifiableMap(params);
    }

    /** The state tensor {@code slot} of parameter {@code name}, or null before it exists. */
    protected final Tensor slot(String name, String slot) {
        Map<String, Tensor> s = state.get(name);
        return s == null ? null : s.get(slot);
    }

    /**
     * State {@code slot} of parameter {@code name}, created as zeros of {@code p}'s dtype and shape
     * on first use, for rules that update their state in place.
     */
    protected final Tensor zeroInitialisedSlot(String name, String slot, Tensor p) {
        Tensor s = slot(name, slot);
        if (s == null) {
            s = p.zerosLike();
            setSlot(name, slot, s);
        }
        return s;
    }

    /** Stores {@code value} (detached) as state {@code slot} of parameter {@code name}. */
    protected final void setSlot(String name, String slot, Tensor value) {
        state.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(slot, value.detach());
    }

    /**
     * All state as named tensors: {@code "<slot>.<parameter name>"} (e.g. {@code exp_avg.0.weight})
     * and {@code "step"} (F64, shape [1]). Tensors are the live ones; write them out before the
     * next step.
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        out.put("step", Tensor.of(DType.F64, new double[] {step}, 1));
        state.forEach((name, slots) -> slots.forEach((slot, v) -> out.put(slot + "." + name, v)));
        return out;
    }

    /**
     * Restores state from {@link #stateDict()}. Every entry must belong to a known parameter with
     * that parameter's shape; the step count is restored exactly. The values are copied, so the
     * given tensors are never updated by later steps.
     */
    public final void loadStateDict(Map<String, Tensor> saved) {
        Tensor s = saved.get("step");
        if (s == null) {
            throw new IllegalArgumentException("optimizer state has no 'step' entry");
        }
        Map<String, Map<String, Tensor>> loaded = new LinkedHashMap<>();
        StringBuilder problems = new StringBuilder();
        saved.forEach((key, v) -> {
            if (key.equals("step")) {
                return;
            }
            int dot = key.indexOf('.');
            String slotName = dot < 0 ? key : key.substring(0, dot);
            String name = dot < 0 ? "" : key.substring(dot + 1);
            Tensor p = params.get(name);
            if (p == null) {
                problems.append(" unexpected '").append(key).append("';");
            } else if (!p.shape().equals(v.shape()) || p.dtype() != v.dtype()) {
                problems.append(" '").append(key).append("' is ").append(v.dtype()).append(v.shape())
                        .append(", parameter is ").append(p.dtype()).append(p.shape()).append(';');
            } else {
                Tensor copy = p.zerosLike();
                copy.assign(v);
                loaded.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(slotName, copy);
            }
        });
        if (problems.length() > 0) {
            throw new IllegalArgumentException("cannot load optimizer state:" + problems);
        }
        state.clear();
        state.putAll(loaded);
        step = (long) s.item();
    }
}
