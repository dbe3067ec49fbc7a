package dev.distillery.proptest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stateful properties: sequences of commands against a model, shrunk to the shortest failing one. */
class CommandsTest {

    /** A stack with a planted bug: past {@link #CAPACITY} elements, pushes are silently dropped. */
    static final class BoundedStack {
        static final int CAPACITY = 3;
        private final int[] items = new int[CAPACITY];
        private int size;

        void push(int x) {
            if (size < CAPACITY) {
                items[size++] = x;
            }
        }

        int pop() {
            return items[--size];
        }
    }

    /** A stack without the bug, for the passing case. */
    static final class GoodStack {
        private final List<Integer> items = new ArrayList<>();

        void push(int x) {
            items.add(x);
        }

        int pop() {
            return items.remove(items.size() - 1);
        }
    }

    record Push<S>(int x) implements Command<List<Integer>, S> {
        @Override
        public void run(List<Integer> model, S system) {
            model.add(x);
            if (system instanceof BoundedStack b) {
                b.push(x);
            } else {
                ((GoodStack) system).push(x);
            }
        }
    }

    record Pop<S>() implements Command<List<Integer>, S> {
        @Override
        public boolean precondition(List<Integer> model) {
            return !model.isEmpty();
        }

        @Override
        public void run(List<Integer> model, S system) {
            int expected = model.remove(model.size() - 1);
            int actual = system instanceof BoundedStack b ? b.pop() : ((GoodStack) system).pop();
            assertEquals(expected, actual, "pop");
        }
    }

    private static <S> Gen<Command<List<Integer>, S>> ops() {
        // Pop three times as often as push would make sequences rarely deep; 1:1 reaches depth 4 often enough.
        return Gen.oneOf(Gens.ints(0, 99).map(Push<S>::new), Gen.constant(new Pop<S>()));
    }

    @Test
    void aCorrectStackPassesAndPreconditionsSkipPopsOnEmpty() {
        Property.forAll(Commands.<List<Integer>, GoodStack>sequences(ops(), 20)).tries(200).check(seq -> {
            List<Command<List<Integer>, GoodStack>> ran = seq.run(ArrayList::new, GoodStack::new);
            Statistics.collect(ran.size() < seq.size() ? "some pops skipped" : "all ran");
        });
        assertTrue(Statistics.lastReport().counts().containsKey("some pops skipped"),
                "the generator produces pops on an empty stack, and run() skips them");
    }

    @Test
    void aFailureShrinksToTheShortestFailingSequence() {
        PropertyFailure f = assertThrows(PropertyFailure.class,
                () -> Property.forAll(Commands.<List<Integer>, BoundedStack>sequences(ops(), 30)).tries(500).seed(3)
                        .check(seq -> seq.run(ArrayList::new, BoundedStack::new)));
        Commands.Sequence<?, ?> shrunk = (Commands.Sequence<?, ?>) f.shrunkValue();
        List<?> cmds = shrunk.commands();
        // The bug needs four pushes (one past capacity) and a pop that sees the dropped value.
        assertEquals(5, cmds.size(), shrunk.toString());
        for (int i = 0; i < 4; i++) {
            assertTrue(cmds.get(i) instanceof Push<?>, shrunk.toString());
        }
        assertTrue(cmds.get(4) instanceof Pop<?>, shrunk.toString());
        assertTrue(((Commands.Sequence<?, ?>) f.originalValue()).size() > 5, "shrinking did remove commands");
        assertTrue(f.getMessage().contains("shrunk counterexample:   [Push[x="), f.getMessage());
        assertTrue(f.getCause().getSuppressed()[0].getMessage().contains("at step 5 (Pop[])"),
                f.getCause().getSuppressed()[0].getMessage());
    }

    @Test
    void shrinkingAlsoSimplifiesTheCommandsLeft() {
        PropertyFailure f = assertThrows(PropertyFailure.class,
                () -> Property.forAll(Commands.<List<Integer>, BoundedStack>sequences(ops(), 30)).tries(500).seed(3)
                        .check(seq -> seq.run(ArrayList::new, BoundedStack::new)));
        // Only the last push must differ from the third; the shrinker drives the rest to 0.
        String s = f.shrunkValue().toString();
        assertEquals("[Push[x=0], Push[x=0], Push[x=0], Push[x=1], Pop[]]", s);
    }
}
