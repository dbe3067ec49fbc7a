package dev.distillery.nn;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a network: its own parameters and buffers, and ordered named children, so that every
 * tensor has a PyTorch dotted name ({@code down.0.c1.weight}) and state dicts line up with
 * PyTorch's.
 *
 * <p>Parameters are leaf tensors with {@code requiresGrad(true)} (until {@link #freeze()}),
 * updated in place with {@link Tensor#assign} under {@link Autograd#noGrad()}. Buffers are state
 * that is saved but not trained (e.g. the fixed projection of random Fourier features).
 *
 * <p>{@link #copy()} rebuilds the structure with {@link #rebuild()} (each module knows how to make
 * a fresh instance of itself from its configuration) and then copies every value, so copies never
 * share storage with the original: EMA targets and students initialised from a teacher.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private boolean frozen;

    /** A fresh module of the same structure and configuration (values may differ); see {@link #copy()}. */
    protected abstract Module rebuild();

    /** Registers a trainable leaf under {@code name}; returns it, marked {@code requiresGrad}. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        if (!value.isLeaf()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
                    + "' must be a leaf tensor (create it under noGrad or detach it)");
        }
        value.requiresGrad(!frozen);
        parameters.put(name, value);
        return value;
    }

    /** Registers saved, untrained state under {@code name}; returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value.detach());
        return buffers.get(name);
    }

    /** Registers {@code child} under {@code name} (children keep registration order); returns it. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName(name);
        children.put(name, child);
        return child;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member name '" + name + "' must be non-empty without dots");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    /** The direct children in registration order (unmodifiable). */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** All parameters, depth first in registration order, under dotted names (a fresh map). */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, false);
        return out;
    }

    /** All buffers under dotted names (a fresh map). */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false, true);
        return out;
    }

    /** The parameters in {@link #namedParameters()} order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Total number of parameter elements. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.numel();
        }
        return n;
    }

    /**
     * Parameters and buffers under their dotted names, in module order (own parameters, own
     * buffers, then children), as PyTorch's {@code state_dict()}. The tensors are the live ones,
     * not copies: copy them (or write them out) before the next optimizer step.
     */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, true);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params, boolean bufs) {
        if (params) {
            parameters.forEach((k, v) -> out.put(prefix + k, v));
        }
        if (bufs) {
            buffers.forEach((k, v) -> out.put(prefix + k, v));
        }
        children.forEach((k, c) -> c.collect(prefix + k + ".", out, params, bufs));
    }

    /**
     * Copies {@code state} into this module's parameters and buffers. With {@code strict}, names
     * must match exactly; in any mode shapes and dtypes of shared names must match (see
     * {@link #loadStateDict(Map, boolean, boolean)} to convert dtypes). On any difference nothing
     * is written and the exception lists every difference.
     *
     * @throws IllegalArgumentException listing missing and unexpected names, shape and dtype mismatches
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        loadStateDict(state, strict, false);
    }

    /**
     * As {@link #loadStateDict(Map, boolean)}; with {@code convertDtypes}, tensors of another
     * dtype are converted to this module's (an F32 checkpoint into an F64 model, the audit path;
     * F64 into F32 rounds). Without it a dtype mismatch is an error, except for a buffer whose values
     * convert exactly (an integer counter such as {@code num_batches_tracked}, which an I64 file
     * loads as F64, into an F32 model).
     *
     * @throws IllegalArgumentException listing missing and unexpected names, shape and dtype mismatches
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict, boolean convertDtypes) {
        Map<String, Tensor> own = stateDict();
        Map<String, Tensor> buffers = namedBuffers();
        StateDictDiff diff = StateDictDiff.compare(own, state, name -> convertDtypes
                || (buffers.containsKey(name) && convertsExactly(state.get(name), own.get(name).dtype())));
        if (!diff.loadable(strict)) {
            throw new IllegalArgumentException("cannot load state dict into " + getClass().getSimpleName() + ": "
                    + diff.describe(strict));
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            own.forEach((name, dst) -> {
                Tensor src = state.get(name);
                if (src != null) {
                    dst.assign(src.to(dst.dtype()));
                }
            });
        }
    }

    /** Whether {@code t} converted to {@code dtype} and back is {@code t}, element for element. */
    private static boolean convertsExactly(Tensor t, dev.distillery.autograd.DType dtype) {
        return java.util.Arrays.equals(t.toDoubleArray(), t.to(dtype).to(t.dtype()).toDoubleArray());
    }

    /** Training mode for this module and all descendants (dropout active); returns this. */
    public Module train() {
        setTraining(true);
        return this;
    }

    /** Evaluation mode for this module and all descendants (dropout off); returns this. */
    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean on) {
        training = on;
        children.values().forEach(c -> c.setTraining(on));
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * Stops every parameter from requiring grad (frozen teachers and feature networks); gradients
     * still flow through the module to its inputs. Returns this.
     */
    public Module freeze() {
        setFrozen(true);
        return this;
    }

    /** Undoes {@link #freeze()}; returns this. */
    public Module unfreeze() {
        setFrozen(false);
        return this;
    }

    private void setFrozen(boolean on) {
        frozen = on;
        parameters.values().forEach(p -> {
            p.zeroGrad();
            p.requiresGrad(!on);
        });
        children.values().forEach(c -> c.setFrozen(on));
    }

    public final boolean isFrozen() {
        return frozen;
    }

    /** Forgets the accumulated gradient of every parameter. */
    public final void zeroGrad() {
        namedParameters().values().forEach(Tensor::zeroGrad);
    }

    /**
     * A deep copy: same structure, equal values in new storage, same training and frozen flags.
     * Subclasses may override to narrow the return type.
     */
    public Module copy() {
        Module m = rebuild();
        m.loadStateDict(stateDict(), true);
        m.copyFlagsFrom(this);
        return m;
    }

    /** Training and frozen flags module by module, so a partly frozen network copies as such. */
    private void copyFlagsFrom(Module src) {
        training = src.training;
        frozen = src.frozen;
        parameters.values().forEach(p -> p.requiresGrad(!src.frozen));
        children.forEach((name, c) -> c.copyFlagsFrom(src.children.get(name)));
    }

    /** The class name and parameter count, e.g. {@code MlpDenoiser(165634 parameters)}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + parameterCount() + " parameters)";
    }
}
