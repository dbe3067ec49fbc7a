package dev.distillery.proptest;

/**
 * One operation of a stateful property: applied to the system under test and to a simple model
 * of it, after which the two must agree. See {@link Commands} for how sequences of them are
 * generated, run and shrunk.
 *
 * <p>Commands should be immutable values with a readable {@code toString} (a record is ideal):
 * the shrunk counterexample is printed as the list of commands.
 *
 * @param <M> the model: the simplest thing that behaves as the system should (a list for a stack,
 *            a map of tensors for a checkpoint store)
 * @param <S> the system under test
 */
public interface Command<M, S> {

    /**
     * Whether this command makes sense in the model's current state (pop needs a non-empty
     * stack, load needs an earlier save). A command whose precondition fails is skipped, not run:
     * why skip instead of generating only valid commands: shrinking removes commands, and a
     * removal can make a later command invalid; skipping keeps every shrunk sequence runnable.
     */
    default boolean precondition(M model) {
        return true;
    }

    /**
     * Applies the command to {@code system} and {@code model}, and throws (an
     * {@link AssertionError}, say) when their results or states disagree.
     */
    void run(M model, S system) throws Exception;
}
