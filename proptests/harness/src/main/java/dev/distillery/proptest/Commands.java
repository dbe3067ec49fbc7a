package dev.distillery.proptest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Stateful (sequence) properties: generate a sequence of {@link Command}s, run it against a fresh
 * system and a fresh model, and on failure shrink to the shortest failing sequence.
 *
 * <pre>{@code
 * Gen<Command<List<Integer>, MyStack>> ops = Gen.oneOf(Gens.ints(0, 9).map(Push::new), Gen.constant(new Pop()));
 * Property.forAll(Commands.sequences(ops, 30))
 *         .check(seq -> seq.run(ArrayList::new, MyStack::new));
 * }</pre>
 *
 * <p>Why this shrinks well: a sequence is a list of commands, so its shrink tree first drops
 * blocks of commands (halves, quarters, ... single ones), then simplifies the commands left. The
 * greedy shrinker keeps a candidate only if it still fails the same way, so the result is a
 * sequence from which no single command can be removed without the failure going away.
 */
public final class Commands {

    private Commands() {
    }

    /** Sequences of 0 to {@code maxLength} commands drawn independently from {@code commands}. */
    public static <M, S> Gen<Sequence<M, S>> sequences(Gen<? extends Command<M, S>> commands, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be >= 0, got " + maxLength);
        }
        Gen<Command<M, S>> widened = commands.map(c -> c);
        return Gen.listOf(Gens.ints(0, maxLength), widened).map(Sequence::new);
    }

    /**
     * A generated sequence of commands. Its {@code toString} lists them, which is what a failure
     * report shows as the counterexample.
     */
    public static final class Sequence<M, S> {
        private final List<Command<M, S>> commands;

        /** The sequence of {@code commands}, in order. */
        public Sequence(List<Command<M, S>> commands) {
            this.commands = List.copyOf(commands);
        }

        /** The commands, in order, including those whose precondition will fail. */
        public List<Command<M, S>> commands() {
            return commands;
        }

        /** Number of commands. */
        public int size() {
            return commands.size();
        }

        /**
         * Runs the sequence on a new model and a new system, skipping commands whose
         * precondition fails. Fresh ones each time, because shrinking replays many candidate
         * sequences and none may see state left by another. A command's failure is rethrown as is
         * (so the runner still tells one bug from another by its type), with a note naming the
         * step and the commands run before it attached as suppressed.
         *
         * @return the commands actually run (the precondition held), for statistics or checks
         */
        public List<Command<M, S>> run(Supplier<? extends M> newModel, Supplier<? extends S> newSystem)
                throws Exception {
            M model = Objects.requireNonNull(newModel.get(), "model");
            S system = Objects.requireNonNull(newSystem.get(), "system");
            List<Command<M, S>> ran = new ArrayList<>();
            for (Command<M, S> c : commands) {
                if (!c.precondition(model)) {
                    continue;
                }
                ran.add(c);
                try {
                    c.run(model, system);
                } catch (AssertionError | Exception e) {
                    e.addSuppressed(new AssertionError("at step " + ran.size() + " (" + c + ") of the run "
                            + ran + ", model state " + model));
                    throw e;
                }
            }
            return ran;
        }

        @Override
        public String toString() {
            return commands.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sequence<?, ?> s && s.commands.equals(commands);
        }

        @Override
        public int hashCode() {
            return commands.hashCode();
        }
    }
}
