package dev.distillery.cli.command;

import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.cli.teacher.Checkpoints;
import dev.distillery.cli.teacher.Teacher;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.loss.Losses;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.optim.Adam;
import dev.distillery.nn.optim.Optimizer;

import java.util.List;
import java.util.Map;

/**
 * Stand-ins for the real methods, which live on other branches: they exercise the commands end to
 * end at the real cost of one student step, without depending on any method's correctness.
 */
final class FakeMethods {
    private FakeMethods() {
    }

    /** The state of a fake with nothing to save. */
    private static final StudentState NO_NETWORKS = new StudentState(Map.of(), Map.of());

    /**
     * Denoising score matching of the student on real data (one eps-MSE Adam step of the student
     * per training step: the cost of the cheapest real method), sampled by DDIM with the student.
     */
    static final DistillMethod DENOISE = new Simple("fake-denoise", "test stand-in: eps-MSE training of the student") {
        @Override
        public Distiller create(DistillSetup setup, int trainingSteps) {
            ConditionalModel model = (ConditionalModel) setup.studentConfig().build();
            Optimizer<?> opt = Adam.adam(((Module) model).namedParameters(), 1e-3);
            Denoiser student = Checkpoints.denoiser(model, Prediction.EPS);
            return new Distiller() {
                @Override
                public String name() {
                    return "fake-denoise";
                }

                @Override
                public Map<String, Double> step(Rng rng) {
                    Tensor x = setup.data().batch(setup.batchSize(), rng).x();
                    int n = x.dim(0);
                    Tensor t = Tensor.rand(x.dtype(), rng, n).mul(0.998).add(0.001);
                    Tensor eps = Tensor.randn(x.dtype(), rng, x.shape().dims());
                    Tensor z = x.mul(PerSample.alpha(student.schedule(), t, x)).add(eps.mul(PerSample.sigma(student.schedule(), t, x)));
                    opt.zeroGrad();
                    Tensor loss = Losses.epsMse(student.eps(z, t, Condition.NONE), eps);
                    loss.backward();
                    opt.step();
                    return Map.of("eps_mse", loss.item());
                }

                @Override
                public Generator generator() {
                    return (noise, steps, key) -> new Teacher(student, null, "student", 0, Teacher.NETWORK_START_TIME).ddim(noise, steps);
                }

                @Override
                public StudentState state() {
                    return StudentState.of("student", (Module) model);
                }

                @Override
                public void restore(StudentState state) {
                    state.loadInto("student", (Module) model);
                }

                @Override
                public void writeState(StateWriter out) {
                    out.module("student", (Module) model).optimizer("optimizer", opt);
                }

                @Override
                public void readState(StateReader in) {
                    in.module("student", (Module) model);
                    in.optimizer("optimizer", opt);
                }
            };
        }
    };

    /** Trains instantly and samples with the teacher itself: a method that is exactly the teacher. */
    static final DistillMethod TEACHER = new Simple("fake-teacher", "test stand-in: the teacher's own DDIM") {
        @Override
        public Distiller create(DistillSetup setup, int trainingSteps) {
            return new StatelessDistiller("fake-teacher") {
                private int done;

                @Override
                public Map<String, Double> step(Rng rng) {
                    done++;
                    return Map.of("loss", 1.0 / done, "aux", 2.0 / done);
                }

                @Override
                public Generator generator() {
                    return (noise, steps, key) -> new Teacher(setup.teacher(), null, "teacher", 0).ddim(noise, steps);
                }
            };
        }
    };

    /** Trains, then fails to sample at more than one step: the demo must report, not abort. */
    static final DistillMethod BROKEN_SAMPLER = new Simple("fake-broken", "test stand-in: sampling fails beyond 1 step") {
        @Override
        public Distiller create(DistillSetup setup, int trainingSteps) {
            return new StatelessDistiller("fake-broken") {
                @Override
                public Map<String, Double> step(Rng rng) {
                    return Map.of("loss", 1.0);
                }

                @Override
                public Generator generator() {
                    return (noise, steps, key) -> {
                        if (steps > 1) {
                            throw new IllegalStateException("no multistep sampler");
                        }
                        return noise.mul(0.0);
                    };
                }
            };
        }
    };

    /** Fails in its first training step. */
    static final DistillMethod BROKEN_TRAINING = new Simple("fake-diverges", "test stand-in: training throws") {
        @Override
        public Distiller create(DistillSetup setup, int trainingSteps) {
            return new StatelessDistiller("fake-diverges") {
                @Override
                public Map<String, Double> step(Rng rng) {
                    throw new ArithmeticException("loss is NaN");
                }

                @Override
                public Generator generator() {
                    throw new AssertionError("unreachable");
                }
            };
        }
    };

    /** Trains one finite step, then its loss turns NaN; its samples are NaN too. */
    static final DistillMethod NAN_LOSS = new Simple("fake-nan", "test stand-in: the loss turns NaN at step 2") {
        @Override
        public Distiller create(DistillSetup setup, int trainingSteps) {
            return new StatelessDistiller("fake-nan") {
                private int done;

                @Override
                public Map<String, Double> step(Rng rng) {
                    return Map.of("loss", ++done == 1 ? 1.0 : Double.NaN);
                }

                @Override
                public Generator generator() {
                    return (noise, steps, key) -> noise.mul(Double.NaN);
                }
            };
        }
    };

    /** A fake whose generator needs nothing saved: its state is empty and restoring is a no-op. */
    private abstract static class StatelessDistiller implements Distiller {
        private final String name;

        StatelessDistiller(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public StudentState state() {
            return NO_NETWORKS;
        }

        @Override
        public void restore(StudentState state) {
        }

        @Override
        public void writeState(StateWriter out) {
        }

        @Override
        public void readState(StateReader in) {
        }
    }

    static List<DistillMethod> all() {
        return List.of(TEACHER, DENOISE, BROKEN_SAMPLER, BROKEN_TRAINING);
    }

    private abstract static class Simple implements DistillMethod {
        private final String name;
        private final String description;

        Simple(String name, String description) {
            this.name = name;
            this.description = description;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return description;
        }

        /** Fake methods are cheap; a small budget keeps the command tests fast. */
        @Override
        public int recommendedSteps() {
            return 20;
        }
    }

}
