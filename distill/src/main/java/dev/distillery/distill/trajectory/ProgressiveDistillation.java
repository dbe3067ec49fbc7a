package dev.distillery.distill.trajectory;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.core.LossWeighting;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;

import java.util.Map;

/**
 * Progressive distillation (Salimans &amp; Ho 2022, "Progressive distillation for fast sampling of
 * diffusion models", Algorithm 2; MATH.md section 6.2, identity I14): a student of N
 * steps learns two DDIM steps of its teacher, becomes the next teacher, and N halves down to 1.
 * See {@link HalvingRounds} for one round. The {@code trainingSteps} budget is split equally over
 * the {@code log2(N_0) + 1} rounds.
 *
 * <p><b>Requirements.</b> The schedule must reach {@code alpha(1) = 0} exactly (MATH.md
 * section 6.2: the 1-step student sees pure noise at t = 1, exactly as at test time), and the student
 * must predict x or v: an eps-prediction cannot produce x where alpha = 0
 * ({@code x = (z - sigma eps)/alpha}). Both are checked in the constructor. The student starts as
 * the teacher when there is a teacher network (it then predicts what the teacher predicts), else
 * fresh. Trains on real data ({@code x ~ D} in Algorithm 2).
 *
 * <p>The generator keeps the student of every finished round and samples with deterministic DDIM
 * on {@code t = i/steps} using the student of N = steps.
 */
public final class ProgressiveDistillation implements Distiller {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "progressive";


    /**
     * @param startSteps   N_0, the first student's step count, a power of two (the paper starts from 1024
     *                     (CIFAR-10) or 8192 steps. 64 here: the budget is split equally over the
     *                     {@code log2(N_0) + 1} rounds, and rounds with many steps are nearly free (the student
     *                     already matches two of its teacher's small steps), so N_0 = 1024 spends half of a
     *                     short run there. After 3000 steps: 25 modes, HQ 0.78 at 4 steps with N_0 = 64,
     *                     docs/RESULTS.md)
     * @param prediction   what a fresh student predicts, X0 or V (the paper compares x, (x, eps) and v; all work;
     *                     v by default)
     * @param weighting    the loss weight, TRUNCATED_SNR ({@code max(snr, 1)}) or SNR_PLUS_ONE (the paper's two
     *                     choices, section 4; SNR_PLUS_ONE by default, equal to the v-MSE by I7)
     * @param learningRate Adam learning rate (the paper: 1e-4 for the distilled students at batch 128..2048;
     *                     1e-3 here for small MLPs)
     * @param fromTeacher  start the student from the teacher network when there is one (the paper: always)
     */
    public record Config(int startSteps, Prediction prediction, LossWeighting weighting, double learningRate,
                         boolean fromTeacher) {
        public static Config defaults() {
            return new Config(64, Prediction.V, LossWeighting.SNR_PLUS_ONE, 1e-3, true);
        }

        public Config withStartSteps(int n) {
            return new Config(n, prediction, weighting, learningRate, fromTeacher);
        }

        public Config withPrediction(Prediction p) {
            return new Config(startSteps, p, weighting, learningRate, fromTeacher);
        }

        public Config withWeighting(LossWeighting w) {
            return new Config(startSteps, prediction, w, learningRate, fromTeacher);
        }

        public Config withLearningRate(double lr) {
            return new Config(startSteps, prediction, weighting, lr, fromTeacher);
        }
    }

    private final DistillSetup setup;
    private final HalvingRounds rounds;

    public ProgressiveDistillation(DistillSetup setup, Config config, long trainingSteps) {
        requireZeroTerminalSnr(setup.teacher().schedule());
        Student student = Student.fromConfig(setup, config.prediction(), config.fromTeacher());
        requireNotEps(student.kind(), setup.teacherNetwork() != null && config.fromTeacher());
        this.setup = setup;
        this.rounds = new HalvingRounds(setup.teacher(), student, config.startSteps(), trainingSteps,
                config.weighting(), config.learningRate());
    }

    /** Throws unless {@code alpha(1) == 0} exactly. */
    static void requireZeroTerminalSnr(NoiseSchedule schedule) {
        double a = schedule.alpha(1.0);
        if (a != 0.0) {
            throw new IllegalArgumentException("progressive distillation needs alpha(1) = 0 exactly (docs/MATH.md "
                    + "section 6.2: the 1-step student must see pure noise at t = 1), but " + schedule
                    + " has alpha(1) = " + a + "; use ContinuousCosine or a zero-terminal-SNR rescaled schedule");
        }
    }

    /** Throws for an eps-predicting student. */
    static void requireNotEps(Prediction kind, boolean inherited) {
        if (kind == Prediction.EPS) {
            throw new IllegalArgumentException("progressive distillation cannot use an eps-prediction student: at t = 1, "
                    + "alpha = 0 and x = (z - sigma eps)/alpha is undefined, so eps-prediction cannot produce x there"
                    + (inherited ? " (the student inherits the teacher network's eps parameterization; start fresh "
                    + "with fromTeacher = false, or distil an x- or v-prediction teacher)" : "; use X0 or V"));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        Tensor x = Grids.data(setup, setup.batchSize(), rng, "progressive distillation").x();
        return rounds.step(rng, x, Condition.NONE);
    }

    /** The current round's student step count. */
    public int studentSteps() {
        return rounds.studentSteps();
    }

    @Override
    public Generator generator() {
        return (noise, steps, key) -> rounds.sample(noise, steps, Condition.NONE);
    }

    /** The live student, the current N and each finished round's frozen student; see {@link StudentState}. */
    @Override
    public StudentState state() {
        StudentState.Builder out = StudentState.builder().network("student", rounds.student().module());
        rounds.exportTo(out);
        return out.build();
    }

    @Override
    public void restore(StudentState state) {
        state.loadInto("student", rounds.student().module());
        rounds.restoreFrom(state);
    }

    /** The live student and the rounds' state ({@link HalvingRounds#writeState}). */
    @Override
    public void writeState(StateWriter out) {
        out.module("student", rounds.student().module()).part("rounds", rounds);
    }

    @Override
    public void readState(StateReader in) {
        in.module("student", rounds.student().module());
        in.part("rounds", rounds);
    }
}
