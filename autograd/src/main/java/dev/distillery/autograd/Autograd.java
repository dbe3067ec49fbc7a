package dev.distillery.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the graph that ops record while gradient mode is on.
 *
 * <p>{@link #grad} is the functional form of {@code torch.autograd.grad}: it returns
 * {@code d(sum_i <gradOutputs_i, outputs_i>)/d inputs_j} without touching any {@code .grad}
 * field. With {@code createGraph} the backward rules run with recording on, so the returned
 * gradients are themselves differentiable (R1 and gradient penalties, classifier guidance).
 * {@link Tensor#backward()} accumulates into the {@code grad} of leaf tensors instead.
 */
public final class Autograd {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Autograd() {
    }

    /** Whether ops on this thread record the graph. */
    public static boolean isGradEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope in which no graph is recorded (inference, EMA updates, targets). */
    public static Scope noGrad() {
        return setGradEnabled(false);
    }

    /** A scope in which recording is on again, e.g. inside a {@link #noGrad} region. */
    public static Scope enableGrad() {
        return setGradEnabled(true);
    }

    private static Scope setGradEnabled(boolean on) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = on;
        return () -> flag[0] = previous;
    }

    /** Restores the previous gradient mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Gradients of {@code sum_i <gradOutputs_i, outputs_i>} with respect to each input.
     *
     * @param gradOutputs one per output, or {@code null} when every output is a scalar (then 1)
     * @param createGraph record the backward computation so the result can be differentiated
     * @return one gradient per input; an input the outputs do not depend on gets zeros
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean createGraph) {
        return grad(outputs, inputs, gradOutputs, createGraph, createGraph);
    }

    /** As {@link #grad(List, List, List, boolean)}, choosing separately whether to keep the graph. */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean createGraph, boolean retainGraph) {
        for (Tensor in : inputs) {
            if (!in.requiresGrad()) {
                throw new IllegalArgumentException("grad: an input of shape " + in.shape()
                        + " does not require grad; call requiresGrad(true) on it before computing outputs");
            }
        }
        Map<Tensor, Tensor> grads = run(outputs, gradOutputs, createGraph, retainGraph, inputs);
        List<Tensor> result = new ArrayList<>(inputs.size());
        for (Tensor in : inputs) {
            Tensor g = grads.get(in);
            result.add(g != null ? g : Tensor.zeros(in.dtype(), in.shape()));
        }
        return result;
    }

    /** Backpropagates from a scalar and accumulates into the {@code grad} of leaves. */
    static void backward(Tensor output, Tensor gradOutput, boolean retainGraph) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require grad (no input of "
                    + "its computation requires grad, or it was computed under noGrad)");
        }
        Map<Tensor, Tensor> grads = run(List.of(output), gradOutput == null ? null : List.of(gradOutput),
                false, retainGraph, null);
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
            Tensor t = e.getKey();
            if (t.isLeaf() && t.requiresGrad()) {
                t.accumulateGrad(e.getValue());
            }
        }
    }

    private static Map<Tensor, Tensor> run(List<Tensor> outputs, List<Tensor> gradOutputs, boolean createGraph,
                                           boolean retainGraph, List<Tensor> stopAt) {
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        // without createGraph no recorded node can hold a gradient, so a consumed one can be recycled
        GradientStorages live = createGraph ? null : new GradientStorages();
        for (int i = 0; i < outputs.size(); i++) {
            Tensor out = outputs.get(i);
            Tensor g;
            if (gradOutputs == null || gradOutputs.get(i) == null) {
                if (out.numel() != 1) {
                    throw new IllegalArgumentException("grad: output " + i + " has shape " + out.shape()
                            + "; pass a gradOutput of that shape for non-scalar outputs");
                }
                g = Tensor.ones(out.dtype(), out.shape());
            } else {
                g = gradOutputs.get(i);
                if (!g.shape().equals(out.shape())) {
                    throw new IllegalArgumentException("grad: gradOutput " + i + " has shape " + g.shape()
                            + " but the output has shape " + out.shape());
                }
                if (live != null) {
                    live.pin(g);                                     // the caller's tensor
                }
            }
            if (out.requiresGrad()) {
                accumulate(grads, live, out, g);
            }
        }
        Set<Tensor> stop = stopAt == null ? Collections.emptySet() : identitySet(stopAt);
        List<Tensor> order = topologicalOrder(outputs);
        try (Scope ignored = setGradEnabled(createGraph)) {
            for (Tensor t : order) {
                Node node = t.node();
                Tensor g = grads.get(t);
                if (node == null || g == null || stop.contains(t)) {
                    continue;
                }
                Tensor[] inGrads = node.apply(g);
                for (int j = 0; j < node.inputs.length; j++) {
                    Tensor in = node.inputs[j];
                    if (inGrads[j] != null && in.requiresGrad()) {
                        accumulate(grads, live, in, inGrads[j]);
                    }
                }
                if (live != null) {
                    grads.remove(t);                                 // complete and consumed: no one reads it again
                    live.release(g);
                    live.recycleUnreferenced();
                }
                if (!retainGraph) {
                    node.free();
                }
            }
        }
        return grads;
    }

    /** {@code grads[key] += value}, keeping the storage counts of {@code live} (when recycling). */
    private static void accumulate(Map<Tensor, Tensor> grads, GradientStorages live, Tensor key, Tensor value) {
        Tensor prev = grads.get(key);
        if (prev == null) {
            grads.put(key, value);
            if (live != null) {
                live.hold(value);
            }
            return;
        }
        Tensor sum = prev.add(value);
        grads.put(key, sum);
        if (live != null) {
            live.hold(sum);
            live.release(prev);
            live.consumed(value);
        }
    }

    private static Set<Tensor> identitySet(List<Tensor> ts) {
        Set<Tensor> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(ts);
        return s;
    }

    /** Tensors with a node, each after every tensor that consumes it (iterative: graphs of sampling loops are deep). */
    private static List<Tensor> topologicalOrder(List<Tensor> outputs) {
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Tensor> postOrder = new ArrayList<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        for (Tensor out : outputs) {
            if (out.requiresGrad() && visited.add(out)) {
                stack.push(new Object[] {out, 0});
            }
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                Tensor t = (Tensor) frame[0];
                int next = (Integer) frame[1];
                Node node = t.node();
                if (node != null && next < node.inputs.length) {
                    frame[1] = next + 1;
                    Tensor in = node.inputs[next];
                    if (in.requiresGrad() && visited.add(in)) {
                        stack.push(new Object[] {in, 0});
                    }
                } else {
                    stack.pop();
                    postOrder.add(t);
                }
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
