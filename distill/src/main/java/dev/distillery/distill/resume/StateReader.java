package dev.distillery.distill.resume;

import dev.distillery.autograd.Tensor;
import dev.distillery.nn.Module;
import dev.distillery.nn.optim.Ema;
import dev.distillery.nn.optim.Optimizer;
import dev.distillery.nn.optim.OptimizerStateDict;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a {@link TrainingSnapshot} back into the parts that wrote it, in the layouts of
 * {@link StateWriter}, copying every value, and remembers what was read so that
 * {@link TrainingSnapshot#restore} can refuse a snapshot with entries nobody read (one of another
 * method, or of a config with more parts). Every failure names the entry and says what it is.
 */
public final class StateReader {
    private final String prefix;
    private final TrainingSnapshot snapshot;
    private final Set<String> read;

    StateReader(TrainingSnapshot snapshot) {
        this("", snapshot, new HashSet<>());
    }

    private StateReader(String prefix, TrainingSnapshot snapshot, Set<String> read) {
        this.prefix = prefix;
        this.snapshot = snapshot;
        this.read = read;
    }

    /** A reader of the entries under {@code name/}. */
    public StateReader scope(String name) {
        return new StateReader(prefix + StateWriter.segment(name) + "/", snapshot, read);
    }

    /** Whether the snapshot has the entry {@code name} or entries under {@code name/}. */
    public boolean has(String name) {
        String key = prefix + StateWriter.segment(name);
        return snapshot.tensors().containsKey(key) || snapshot.counters().containsKey(key)
                || snapshot.tensors().keySet().stream().anyMatch(k -> k.startsWith(key + "/"))
                || snapshot.counters().keySet().stream().anyMatch(k -> k.startsWith(key + "/"));
    }

    /** The tensor {@code name} (the snapshot's own: copy it before changing it). */
    public Tensor tensor(String name) {
        String key = prefix + StateWriter.segment(name);
        Tensor t = snapshot.tensors().get(key);
        if (t == null) {
            throw new IllegalArgumentException("training state lacks the tensor '" + key + "'" + hint());
        }
        read.add(key);
        return t;
    }

    /** The counter {@code name}. */
    public long counter(String name) {
        String key = prefix + StateWriter.segment(name);
        Long v = snapshot.counters().get(key);
        if (v == null) {
            throw new IllegalArgumentException("training state lacks the counter '" + key + "'" + hint());
        }
        read.add(key);
        return v;
    }

    /** Loads the module entries {@code name/...} into {@code m}, strictly (every name, shape and dtype). */
    public void module(String name, Module m) {
        String scope = prefix + StateWriter.segment(name) + "/";
        Map<String, Tensor> entries = take(scope);
        if (entries.isEmpty() && !m.stateDict().isEmpty()) {
            throw new IllegalArgumentException("training state lacks the module '" + scope.substring(0, scope.length() - 1)
                    + "'" + hint());
        }
        try {
            m.loadStateDict(entries, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training state '" + scope.substring(0, scope.length() - 1) + "': "
                    + e.getMessage(), e);
        }
    }

    /** Restores {@code o}'s per-parameter state and step count from {@code name/...}. */
    public void optimizer(String name, Optimizer<?> o) {
        StateReader s = scope(name);
        Map<Integer, Map<String, Tensor>> state = new LinkedHashMap<>();
        take(s.prefix + StateWriter.OPTIMIZER_STATE).forEach((key, t) -> {
            int dot = key.indexOf('.');
            int index;
            try {
                index = dot < 0 ? -1 : Integer.parseInt(key.substring(0, dot));
            } catch (NumberFormatException e) {
                index = -1;
            }
            if (index < 0) {
                throw new IllegalArgumentException("training state entry '" + s.prefix + StateWriter.OPTIMIZER_STATE + key
                        + "' is not state.<index>.<slot>");
            }
            state.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(key.substring(dot + 1), t);
        });
        long steps = s.counter(StateWriter.STEPS_TAKEN);
        try {
            o.loadStateDict(new OptimizerStateDict(state, o.stateDict().paramGroups(), steps));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training state '" + s.prefix.substring(0, s.prefix.length() - 1) + "': "
                    + e.getMessage(), e);
        }
    }

    /** Restores {@code ema}'s average and update count from {@code name/...}. */
    public void ema(String name, Ema ema) {
        String scope = prefix + StateWriter.segment(name) + "/";
        Map<String, Tensor> entries = take(scope);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("training state lacks the EMA '" + scope.substring(0, scope.length() - 1)
                    + "'" + hint());
        }
        try {
            ema.loadStateDict(entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training state '" + scope.substring(0, scope.length() - 1) + "': "
                    + e.getMessage(), e);
        }
    }

    /** Restores {@code part} from the entries under {@code name/}. */
    public void part(String name, Resumable part) {
        part.readState(scope(name));
    }

    /**
     * The tensors directly under {@code scope} (no deeper '/'), by their name below it, marked read.
     */
    private Map<String, Tensor> take(String scope) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        snapshot.tensors().forEach((k, v) -> {
            if (k.startsWith(scope) && k.indexOf('/', scope.length()) < 0) {
                out.put(k.substring(scope.length()), v);
                read.add(k);
            }
        });
        return out;
    }

    /** Throws naming the entries no part read. */
    void requireAllRead() {
        Set<String> unread = new TreeSet<>(snapshot.tensors().keySet());
        unread.addAll(snapshot.counters().keySet());
        unread.removeAll(read);
        if (!unread.isEmpty()) {
            throw new IllegalArgumentException("training state has entries this run does not read: " + unread
                    + hint());
        }
    }

    private static String hint() {
        return " (a state of another method or config)";
    }
}
