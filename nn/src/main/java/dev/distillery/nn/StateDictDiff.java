package dev.distillery.nn;

import dev.distillery.autograd.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The differences between a module's state dict and one offered for loading: names the module
 * has that the offer lacks (missing), names offered that the module lacks (unexpected), and
 * shared names whose shape or dtype differ.
 */
record StateDictDiff(List<String> missing, List<String> unexpected, List<String> shapeMismatches,
                     List<String> dtypeMismatches) {

    /** The differences; a dtype difference of a name that {@code convertible} accepts is not a mismatch. */
    static StateDictDiff compare(Map<String, Tensor> own, Map<String, Tensor> offered,
                                 java.util.function.Predicate<String> convertible) {
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> shapes = new ArrayList<>();
        List<String> dtypes = new ArrayList<>();
        own.forEach((name, t) -> {
            Tensor o = offered.get(name);
            if (o == null) {
                missing.add(name);
                return;
            }
            if (!o.shape().equals(t.shape())) {
                shapes.add(name + " (expected " + t.shape() + ", got " + o.shape() + ")");
            }
            if (o.dtype() != t.dtype() && !convertible.test(name)) {
                dtypes.add(name + " (expected " + t.dtype() + ", got " + o.dtype() + ")");
            }
        });
        offered.keySet().stream().filter(k -> !own.containsKey(k)).forEach(unexpected::add);
        return new StateDictDiff(missing, unexpected, shapes, dtypes);
    }

    /** Shapes and dtypes must always agree; names must agree too when strict. */
    boolean loadable(boolean strict) {
        boolean namesOk = !strict || (missing.isEmpty() && unexpected.isEmpty());
        return namesOk && shapeMismatches.isEmpty() && dtypeMismatches.isEmpty();
    }

    /** One clause per kind of difference, e.g. {@code missing [a.weight]; shape mismatch [b (expected ...)]}. */
    String describe(boolean strict) {
        List<String> parts = new ArrayList<>();
        if (strict && !missing.isEmpty()) {
            parts.add("missing " + missing);
        }
        if (strict && !unexpected.isEmpty()) {
            parts.add("unexpected " + unexpected);
        }
        if (!shapeMismatches.isEmpty()) {
            parts.add("shape mismatch " + shapeMismatches);
        }
        if (!dtypeMismatches.isEmpty()) {
            parts.add("dtype mismatch " + dtypeMismatches + " (loadStateDict(state, strict, true) converts dtypes,"
                    + " e.g. an F32 checkpoint into an F64 model)");
        }
        return String.join("; ", parts);
    }
}
