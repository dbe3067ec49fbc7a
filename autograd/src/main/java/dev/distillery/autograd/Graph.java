package dev.distillery.autograd;

import java.util.function.Consumer;

/** Where ops attach their backward rule to the tensor they produce. */
final class Graph {
    /** Observer of primitive applications; the op-registry test uses it to prove coverage. */
    static volatile Consumer<Primitive> listener;

    private Graph() {
    }

    /**
     * Returns {@code out}, recording {@code backward} as its gradient rule when gradient mode is
     * on and some input requires grad. {@code backward} is written in differentiable ops.
     */
    static Tensor record(Primitive op, Tensor out, Node.Backward backward, Tensor... inputs) {
        Consumer<Primitive> l = listener;
        if (l != null) {
            l.accept(op);
        }
        if (!Autograd.isGradEnabled()) {
            return out;
        }
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad()) {
                out.attach(new Node(op, inputs, backward));
                break;
            }
        }
        return out;
    }

    /** Checks that all operands share a dtype and a backend; names the op otherwise. */
    static void checkCompatible(String op, Tensor... ts) {
        Tensor first = ts[0];
        for (int i = 1; i < ts.length; i++) {
            Tensor t = ts[i];
            if (t.dtype() != first.dtype()) {
                throw new IllegalArgumentException(op + ": dtype mismatch " + first.dtype() + " vs " + t.dtype()
                        + " (shapes " + first.shape() + " and " + t.shape() + "); convert one with .to(DType."
                        + first.dtype() + ")");
            }
            if (t.backend() != first.backend()) {
                throw new IllegalArgumentException(op + ": operands live on different backends ("
                        + first.backend().name() + " and " + t.backend().name() + "); move one with .on(backend)");
            }
        }
    }
}
