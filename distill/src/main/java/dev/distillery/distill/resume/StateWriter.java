package dev.distillery.distill.resume;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Module;
import dev.distillery.nn.optim.Ema;
import dev.distillery.nn.optim.Optimizer;
import dev.distillery.nn.optim.OptimizerStateDict;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects a {@link TrainingSnapshot}: each {@link Resumable} part writes its modules, optimizers,
 * EMAs, tensors and counters under its own {@link #scope}, so that names never collide and a
 * reader finds each part where it was written. Layouts (shared with {@link StateReader}):
 * <ul>
 *   <li>a module {@code m}: its state dict, {@code m/<parameter or buffer name>};</li>
 *   <li>an optimizer {@code o}: torch's per-parameter state, {@code o/state.<index>.<slot>} (step,
 *       exp_avg, ...: {@link Optimizer#stateDict()}), and the counter {@code o/steps-taken} (the
 *       argument of its learning-rate schedule). Hyperparameters and schedules are not written:
 *       they come from the optimizer's construction;</li>
 *   <li>an EMA {@code e}: the average's state dict and {@value Ema#UPDATES}, {@code e/<name>}.</li>
 * </ul>
 */
public final class StateWriter {
    /** The counter of an optimizer's steps taken, in its scope. */
    static final String STEPS_TAKEN = "steps-taken";
    /** The prefix of an optimizer's per-parameter state entries. */
    static final String OPTIMIZER_STATE = "state.";

    private final String prefix;
    private final Map<String, Tensor> tensors;
    private final Map<String, Long> counters;

    StateWriter() {
        this("", new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    private StateWriter(String prefix, Map<String, Tensor> tensors, Map<String, Long> counters) {
        this.prefix = prefix;
        this.tensors = tensors;
        this.counters = counters;
    }

    /** A writer whose entries go under {@code name/}. */
    public StateWriter scope(String name) {
        return new StateWriter(prefix + segment(name) + "/", tensors, counters);
    }

    /** The tensor {@code t} (the live one) as {@code name}. */
    public StateWriter tensor(String name, Tensor t) {
        String key = TrainingSnapshot.checkName(prefix + segment(name));
        if (tensors.putIfAbsent(key, t) != null) {
            throw new IllegalArgumentException("training state entry '" + key + "' is written twice");
        }
        return this;
    }

    /** The integer counter {@code name}. */
    public StateWriter counter(String name, long value) {
        String key = TrainingSnapshot.checkName(prefix + segment(name));
        if (counters.put(key, value) != null) {
            throw new IllegalArgumentException("training state counter '" + key + "' is written twice");
        }
        return this;
    }

    /** Every parameter and buffer of {@code m} (the live tensors) under {@code name/}. */
    public StateWriter module(String name, Module m) {
        StateWriter s = scope(name);
        m.stateDict().forEach(s::tensor);
        return this;
    }

    /** {@code o}'s per-parameter state and step count under {@code name/}. */
    public StateWriter optimizer(String name, Optimizer<?> o) {
        StateWriter s = scope(name);
        OptimizerStateDict sd = o.stateDict();
        sd.state().forEach((index, slots) -> slots.forEach((slot, t) -> s.tensor(OPTIMIZER_STATE + index + "." + slot, t)));
        s.counter(STEPS_TAKEN, sd.stepsTaken());
        return this;
    }

    /** {@code ema}'s average and update count under {@code name/}. */
    public StateWriter ema(String name, Ema ema) {
        StateWriter s = scope(name);
        ema.stateDict().forEach(s::tensor);
        return this;
    }

    /** What {@code part} writes, under {@code name/}. */
    public StateWriter part(String name, Resumable part) {
        part.writeState(scope(name));
        return this;
    }

    TrainingSnapshot snapshot() {
        return new TrainingSnapshot(tensors, counters);
    }

    static String segment(String name) {
        if (name == null || name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("training state part name '" + name + "' must be non-empty, without '/'");
        }
        return name;
    }
}
