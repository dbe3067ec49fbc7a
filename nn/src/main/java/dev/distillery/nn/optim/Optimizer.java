package dev.distillery.nn.optim;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates named parameters from their accumulated gradients ({@link Tensor#grad()}), in place
 * under no-grad, as {@code torch.optim} does. Subclasses give the per-parameter rule; this class
 * keeps the parameter groups ({@link ParamGroup}: per-group schedule and hyperparameters), the
 * per-parameter state slots and, as torch's state does, a step count per parameter: a parameter
 * that first receives a gradient at optimizer step k gets t = 1 (its own first bias correction)
 * there. A parameter without a gradient is skipped, its state and count untouched.
 *
 * @param <H> the hyperparameters of one group
 */
public abstract class Optimizer<H extends Optimizer.Hyperparameters> {
    /** A group's hyperparameters, as they appear in torch's {@code param_groups}. */
    public interface Hyperparameters {
        /** Torch's keys and values for this group, besides {@code lr} and {@code params}, in torch's order. */
        Map<String, Object> torchEntries();
    }

    private List<ParamGroup<H>> groups;
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Map<String, Tensor>> state = new HashMap<>();
    private final Map<String, Long> parameterSteps = new HashMap<>();
    private long stepsTaken;

    protected Optimizer(List<ParamGroup<H>> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("optimizer: no parameter groups");
        }
        this.groups = List.copyOf(groups);
        for (ParamGroup<H> g : this.groups) {
            g.params().forEach((name, p) -> {
                if (!p.isLeaf()) {
                    throw new IllegalArgumentException("optimizer: parameter '" + name + "' is not a leaf tensor");
                }
                if (params.put(name, p) != null) {
                    throw new IllegalArgumentException("optimizer: parameter '" + name
                            + "' appears in more than one parameter group");
                }
            });
        }
    }

    /** One group of {@code params} with schedule {@code lr} and hyperparameters {@code options}. */
    protected static <H> List<ParamGroup<H>> single(Map<String, Tensor> params, LearningRate lr, H options) {
        return List.of(new ParamGroup<>(params, lr, options));
    }

    /**
     * Updates parameter {@code p} in place from its gradient {@code g} (already of p's dtype) at
     * its own step t (>= 1) with rate lr and its group's hyperparameters.
     */
    protected abstract void update(String name, Tensor p, Tensor g, double lr, long t, H options);

    /** Whether torch keeps a {@code step} entry in this optimizer's per-parameter state (SGD does not). */
    protected boolean stepInState() {
        return true;
    }

    /**
     * Applies one update to every parameter that has a gradient, each group at its own rate;
     * returns the first group's rate.
     */
    public final double step() {
        long k = stepsTaken++;
        double first = Double.NaN;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (ParamGroup<H> group : groups) {
                double lr = group.lr().at(k);
                first = Double.isNaN(first) ? lr : first;
                for (Map.Entry<String, Tensor> e : group.params().entrySet()) {
                    Tensor p = e.getValue();
                    Tensor g = p.grad();
                    if (g != null) {
                        long t = parameterSteps.merge(e.getKey(), 1L, Long::sum);
                        update(e.getKey(), p, g.to(p.dtype()), lr, t, group.options());
                    }
                }
            }
        }
        return first;
    }

    /** Forgets every parameter's gradient (PyTorch's {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        params.values().forEach(Tensor::zeroGrad);
    }

    /** Optimizer steps taken so far (the argument of the schedules). */
    public final long stepCount() {
        return stepsTaken;
    }

    /** Updates parameter {@code name} has received (torch's {@code state[p]["step"]}); 0 before its first. */
    public final long parameterStep(String name) {
        return parameterSteps.getOrDefault(name, 0L);
    }

    /** The first group's schedule. */
    public final LearningRate schedule() {
        return groups.get(0).lr();
    }

    /** Gives every group schedule {@code s}. */
    public final void setSchedule(LearningRate s) {
        List<ParamGroup<H>> next = new ArrayList<>();
        groups.forEach(g -> next.add(g.withLr(s)));
        groups = List.copyOf(next);
    }

    public final List<ParamGroup<H>> groups() {
        return groups;
    }

    /** Every parameter, in group order (torch's indexing of {@code state}). */
    public final Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
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
     * All state as torch lays it out ({@link OptimizerStateDict}). The slot tensors are the live
     * ones; write them out before the next step.
     */
    public final OptimizerStateDict stateDict() {
        Map<Integer, Map<String, Tensor>> out = new LinkedHashMap<>();
        List<Map<String, Object>> groupEntries = new ArrayList<>();
        int index = 0;
        for (ParamGroup<H> group : groups) {
            List<Integer> indices = new ArrayList<>();
            for (String name : group.params().keySet()) {
                long t = parameterStep(name);
                Map<String, Tensor> slots = state.get(name);
                if (t > 0 || slots != null) {
                    Map<String, Tensor> entry = new LinkedHashMap<>();
                    if (stepInState()) {
                        entry.put("step", stepTensor(t));
                    }
                    if (slots != null) {
                        entry.putAll(slots);
                    }
                    out.put(index, entry);
                }
                indices.add(index++);
            }
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("lr", group.lr().at(stepsTaken));
            g.putAll(group.options().torchEntries());
            g.put("params", indices);
            g.put("param_names", new ArrayList<>(group.params().keySet()));
            groupEntries.add(g);
        }
        return new OptimizerStateDict(out, groupEntries, stepsTaken);
    }

    /** Torch keeps a step as a float32 scalar; counts beyond 2^24 need F64 to stay exact. */
    private static Tensor stepTensor(long t) {
        return Tensor.of(t <= (1L << 24) ? DType.F32 : DType.F64, new double[] {t});
    }

    /**
     * Restores state from {@link #stateDict()} or from torch's {@code state_dict()}. As torch, the
     * groups must have the sizes of this optimizer's and indices map to parameters in order;
     * {@code param_names}, when present, must name them. Every slot must have its parameter's shape
     * and dtype. Hyperparameters and rates stay this optimizer's (they come from its construction
     * and schedules). Values are copied, so the given tensors are never updated by later steps.
     */
    public final void loadStateDict(OptimizerStateDict saved) {
        List<String> names = new ArrayList<>(params.keySet());
        StringBuilder problems = new StringBuilder();
        checkGroups(saved.paramGroups(), problems);
        Map<String, Map<String, Tensor>> loaded = new HashMap<>();
        Map<String, Long> steps = new HashMap<>();
        saved.state().forEach((index, slots) -> {
            if (index < 0 || index >= names.size()) {
                problems.append(" state for parameter index ").append(index).append(", but there are ")
                        .append(names.size()).append(" parameters;");
                return;
            }
            String name = names.get(index);
            Tensor p = params.get(name);
            slots.forEach((slot, v) -> {
                if (slot.equals("step")) {
                    steps.put(name, (long) v.item());
                } else if (!p.shape().equals(v.shape()) || p.dtype() != v.dtype()) {
                    problems.append(" '").append(slot).append("' of ").append(name).append(" is ").append(v.dtype())
                            .append(v.shape()).append(", parameter is ").append(p.dtype()).append(p.shape()).append(';');
                } else {
                    Tensor copy = p.zerosLike();
                    copy.assign(v);
                    loaded.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(slot, copy);
                }
            });
            if (stepInState() && !slots.containsKey("step")) {
                problems.append(" parameter ").append(index).append(" (").append(name).append(") has no 'step';");
            }
        });
        if (problems.length() > 0) {
            throw new IllegalArgumentException("cannot load optimizer state:" + problems);
        }
        state.clear();
        state.putAll(loaded);
        parameterSteps.clear();
        parameterSteps.putAll(steps);
        stepsTaken = saved.stepsTaken();
    }

    /** Torch's check: as many groups, each of the same size; and, where recorded, the same names. */
    private void checkGroups(List<Map<String, Object>> saved, StringBuilder problems) {
        if (saved.size() != groups.size()) {
            problems.append(" the state has ").append(saved.size()).append(" parameter groups, the optimizer ")
                    .append(groups.size()).append(';');
            return;
        }
        for (int i = 0; i < saved.size(); i++) {
            Object ps = saved.get(i).get("params");
            int size = groups.get(i).params().size();
            if (!(ps instanceof List<?> l) || l.size() != size) {
                problems.append(" group ").append(i).append(" has ")
                        .append(ps instanceof List<?> l2 ? l2.size() + " parameters" : "no 'params' list")
                        .append(", the optimizer's ").append(size).append(';');
                continue;
            }
            Object recorded = saved.get(i).get("param_names");
            List<String> own = new ArrayList<>(groups.get(i).params().keySet());
            if (recorded != null && !own.equals(recorded)) {
                problems.append(" group ").append(i).append(" names ").append(recorded).append(", the optimizer's are ")
                        .append(own).append(';');
            }
        }
    }
}
