package dev.distillery.autograd;

/**
 * One recorded application of a primitive: its inputs and the rule that maps the gradient of
 * its output to gradients of its inputs. The rule is written with differentiable tensor ops, so
 * running it with gradient recording on builds the graph of the gradient itself (gradients of
 * gradients).
 */
final class Node {

    /** Maps the output's gradient to one gradient per input ({@code null} where none flows). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    final Primitive op;
    final Tensor[] inputs;
    private Backward backward;

    Node(Primitive op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    Tensor[] apply(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("backward through a graph that was already freed (at op "
                    + op + "); pass retainGraph = true to the first backward/grad call to differentiate "
                    + "through the same graph twice");
        }
        return backward.apply(gradOutput);
    }

    /** Drops the saved tensors so their memory can be reclaimed; later use is an error. */
    void free() {
        backward = null;
    }
}
