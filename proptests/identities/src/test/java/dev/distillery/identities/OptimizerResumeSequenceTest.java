package dev.distillery.identities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.ScalarBackendExtension;
import dev.distillery.autograd.Tensor;
import dev.distillery.nn.optim.Adam;
import dev.distillery.proptest.Command;
import dev.distillery.proptest.Commands;
import dev.distillery.proptest.Gen;
import dev.distillery.proptest.Gens;
import dev.distillery.proptest.Property;
import dev.distillery.proptest.PropertyFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stateful property from training: any interleaving of Adam steps and save/resume cycles gives
 * bit-for-bit the parameters of a run that never stopped. The model is the uninterrupted run; the
 * system resumes into a fresh optimizer from {@code stateDict()} at every {@link SaveResume}.
 * Why bitwise: resume must restore the state exactly (moments, step counts for bias correction);
 * any tolerance would hide a lost or re-initialised moment for a few steps.
 */
@ExtendWith(ScalarBackendExtension.class)
class OptimizerResumeSequenceTest {

    /** How a resumed optimizer is built from the one being saved; the planted bug forgets the state. */
    @FunctionalInterface
    interface Resume {
        Adam from(Adam saved, Map<String, Tensor> params);
    }

    static final Resume CORRECT = (saved, params) -> {
        Adam fresh = Adam.adam(params, 0.01);
        fresh.loadStateDict(saved.stateDict());
        return fresh;
    };

    static final Resume FORGETS_STATE = (saved, params) -> Adam.adam(params, 0.01);

    /** One training run on a two-element parameter. */
    static final class Run {
        final Tensor p = Tensor.of(new double[] {1.0, -2.0}, 2).requiresGrad(true);
        final Map<String, Tensor> params = new LinkedHashMap<>(Map.of("p", p));
        final Resume resume;
        Adam opt = Adam.adam(params, 0.01);

        Run(Resume resume) {
            this.resume = resume;
        }

        void step(double g0, double g1) {
            opt.zeroGrad();
            Tensor.of(new double[] {g0, g1}, 2).mul(p).sum().backward();
            opt.step();
        }

        @Override
        public String toString() {
            return "p = " + java.util.Arrays.toString(p.toDoubleArray()) + " after " + opt.stepCount() + " steps";
        }
    }

    /** A step with the gradient (g0, g1) on both runs; their parameters must then agree exactly. */
    record Step(double g0, double g1) implements Command<Run, Run> {
        @Override
        public void run(Run model, Run system) {
            model.step(g0, g1);
            system.step(g0, g1);
            assertArrayEquals(model.p.toDoubleArray(), system.p.toDoubleArray(), 0.0, "parameters after " + this);
        }
    }

    /** Save and resume the system only; the model keeps running. */
    record SaveResume() implements Command<Run, Run> {
        @Override
        public void run(Run model, Run system) {
            system.opt = system.resume.from(system.opt, system.params);
            assertEquals(model.opt.stepCount(), system.opt.stepCount(), "step count after resume");
        }
    }

    private static Gen<Commands.Sequence<Run, Run>> sessions() {
        Gen<Command<Run, Run>> step = Gen.zip(Gens.doubles(-2, 2), Gens.doubles(-2, 2), Step::new);
        Gen<Command<Run, Run>> ops = Gen.oneOf(step, step, Gen.constant(new SaveResume()));
        return Commands.sequences(ops, 12);
    }

    @Test
    void resumingAtAnyPointGivesTheUninterruptedRun() {
        Property.forAll(sessions()).tries(100)
                .check(seq -> seq.run(() -> new Run(CORRECT), () -> new Run(CORRECT)));
    }

    @Test
    void aResumeThatForgetsTheStateShrinksToStepResumeStep() {
        PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.forAll(sessions()).tries(100)
                .check(seq -> seq.run(() -> new Run(CORRECT), () -> new Run(FORGETS_STATE))));
        List<?> shrunk = ((Commands.Sequence<?, ?>) f.shrunkValue()).commands();
        // The step count check fails already at the resume: a step, then the resume that loses it.
        assertEquals(2, shrunk.size(), f.getMessage());
        assertTrue(shrunk.get(0) instanceof Step && shrunk.get(1) instanceof SaveResume, f.getMessage());
    }
}
