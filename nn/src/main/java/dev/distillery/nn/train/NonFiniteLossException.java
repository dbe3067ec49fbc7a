package dev.distillery.nn.train;

/** A loss term became NaN or infinite; names the step and the term so the run can be replayed. */
public final class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;
    private final String term;

    public NonFiniteLossException(long step, String term, double value) {
        super("step " + step + ": loss term '" + term + "' is " + value
                + " (lower the learning rate, clip gradients, or check the inputs of this step)");
        this.step = step;
        this.term = term;
    }

    public long step() {
        return step;
    }

    public String term() {
        return term;
    }
}
