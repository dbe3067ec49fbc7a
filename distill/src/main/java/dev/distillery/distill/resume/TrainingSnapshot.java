package dev.distillery.distill.resume;

import dev.distillery.autograd.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything a training run holds between two steps, besides the random generator its steps
 * draw from (the caller saves that, e.g. {@code Rng.state()}): named tensors and integer
 * counters. Names are paths of the parts that wrote them, {@code <part>/<sub-part>/<entry>}, e.g.
 * {@code student/layers.0.weight}, {@code optimizer/state.0.exp_avg}, {@code optimizer/steps-taken}.
 * Taken by {@link #of} from a {@link Resumable}, restored by {@link #restore}, which also refuses
 * entries the target does not read (a snapshot of another method or config).
 *
 * <p>The tensors of a snapshot taken from a live run are that run's tensors: write them out, or
 * restore them, before its next step.
 *
 * @param tensors  by name, in the order the parts wrote them
 * @param counters by name
 */
public record TrainingSnapshot(Map<String, Tensor> tensors, Map<String, Long> counters) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    public TrainingSnapshot {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        tensors.forEach((k, v) -> t.put(checkName(k), v));
        LinkedHashMap<String, Long> c = new LinkedHashMap<>();
        counters.forEach((k, v) -> c.put(checkName(k), v));
        tensors = Collections.unmodifiableMap(t);
        counters = Collections.unmodifiableMap(c);
    }

    static String checkName(String name) {
        if (name == null || name.length() > 512 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("training state entry name '" + name + "' must be '/'-separated "
                    + "parts of letters, digits, '_', '.' and '-'");
        }
        return name;
    }

    /** What {@code part} writes now. */
    public static TrainingSnapshot of(Resumable part) {
        StateWriter out = new StateWriter();
        part.writeState(out);
        return out.snapshot();
    }

    /**
     * Restores this snapshot into {@code part} (a fresh one built as the one it was taken from);
     * throws if an entry is missing, does not fit, or is left unread.
     *
     * @throws IllegalArgumentException naming the entry; {@code part} may be partly restored: discard it
     */
    public void restore(Resumable part) {
        StateReader in = new StateReader(this);
        part.readState(in);
        in.requireAllRead();
    }
}
