package dev.distillery.distill.trajectory;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Denoiser;
import dev.distillery.diffusion.sampling.DdimSampler;
import dev.distillery.diffusion.schedule.NoiseSchedule;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.core.DdimStep;
import dev.distillery.distill.core.LossWeighting;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.core.ProgressiveTarget;
import dev.distillery.distill.resume.Resumable;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.optim.Adam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rounds of progressive distillation (Salimans &amp; Ho 2022, Algorithm 2; MATH.md
 * section 6), shared by {@link ProgressiveDistillation} and stage two of {@link GuidedDistillation}.
 * Round r trains a student of {@code N = N_0 / 2^r} steps against two DDIM steps of its teacher:
 * per sample {@code i ~ U{1..N}}, {@code t = i/N}, {@code t' = t - 0.5/N}, {@code t'' = t - 1/N},
 * {@code z_t = alpha_t x + sigma_t eps}, the target {@code x_tilde} of {@link ProgressiveTarget}
 * and the loss {@code mean_b w(lambda_t,b) ||x_tilde_b - x_hat_theta(z_t,b)||^2}. At the end of a
 * round the student is frozen as the next teacher (and kept, so that the generator can sample
 * with N steps), {@code N <- N/2}, and training continues from the same weights with a fresh
 * Adam. After the 1-step round the 1-step student keeps training on any remaining steps.
 */
final class HalvingRounds implements Resumable {
    private final Student student;
    private final Denoiser firstTeacher;
    private final LossWeighting weighting;
    private final double learningRate;
    private final long stepsPerRound;
    private final NoiseSchedule schedule;
    private final TreeMap<Integer, Student> finished = new TreeMap<>();
    private Denoiser teacher;
    private Adam opt;
    private final int startSteps;
    private int n;
    private long stepInRound;

    HalvingRounds(Denoiser firstTeacher, Student student, int startSteps, long totalSteps,
                  LossWeighting weighting, double learningRate) {
        if (startSteps < 1 || Integer.bitCount(startSteps) != 1) {
            throw new IllegalArgumentException("progressive distillation halves N down to 1: startSteps = " + startSteps
                    + " must be a power of two");
        }
        this.teacher = firstTeacher;
        this.firstTeacher = firstTeacher;
        this.student = student;
        this.schedule = student.schedule();
        this.n = startSteps;
        this.startSteps = startSteps;
        this.weighting = weighting;
        this.learningRate = learningRate;
        int rounds = Integer.numberOfTrailingZeros(startSteps) + 1;
        this.stepsPerRound = Math.max(1, totalSteps / rounds);
        this.opt = Adam.adam(student.module().namedParameters(), learningRate);
    }

    /** The current round's student step count N. */
    int studentSteps() {
        return n;
    }

    /** One update of the current round on the data batch {@code x} with condition {@code c}. */
    Map<String, Double> step(Rng rng, Tensor x, Condition c) {
        int b = x.dim(0);
        DType dt = x.dtype();
        double[] t = new double[b];
        double[] tMid = new double[b];
        double[] tNext = new double[b];
        double[] w = new double[b];
        for (int k = 0; k < b; k++) {
            ProgressiveTarget.Grid g = ProgressiveTarget.Grid.of(1 + rng.nextInt(n), n);
            t[k] = g.t();
            tMid[k] = g.tMid();
            tNext[k] = g.tNext();
            w[k] = weighting.weight(schedule.alpha(t[k]), schedule.sigma(t[k]));
        }
        Tensor eps = Tensor.randn(dt, rng, x.shape().dims());
        Tensor aT = coef(schedule::alpha, t, dt);
        Tensor sT = coef(schedule::sigma, t, dt);
        Tensor zt = x.mul(PerSample.broadcast(aT, x)).add(eps.mul(PerSample.broadcast(sT, x)));
        Tensor target;
        try (var ignored = Autograd.noGrad()) {
            Tensor aM = coef(schedule::alpha, tMid, dt);
            Tensor sM = coef(schedule::sigma, tMid, dt);
            Tensor aN = coef(schedule::alpha, tNext, dt);
            Tensor sN = coef(schedule::sigma, tNext, dt);
            Tensor zMid = DdimStep.deterministic(zt, teacher.x0(zt, PerSample.vector(t, dt), c), aT, sT, aM, sM);
            Tensor zNext = DdimStep.deterministic(zMid, teacher.x0(zMid, PerSample.vector(tMid, dt), c), aM, sM, aN, sN);
            target = ProgressiveTarget.xTilde(zt, zNext, aT, sT, aN, sN).detach();
        }
        Tensor xHat = student.x0(zt, PerSample.vector(t, dt), c);
        Tensor loss = PerSample.squaredNorm(xHat.sub(target)).mul(PerSample.vector(w, dt)).mean();
        opt.zeroGrad();
        loss.backward();
        opt.step();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", loss.item());
        out.put("student_steps", (double) n);
        if (++stepInRound >= stepsPerRound && n > 1) {
            finishRound();
        } else if (stepInRound >= stepsPerRound && !finished.containsKey(1)) {
            finished.put(1, student); // the live 1-step student, which keeps training
        }
        return out;
    }

    private void finishRound() {
        Student snapshot = student.frozenCopy();
        finished.put(n, snapshot);
        teacher = snapshot.denoiser();
        n /= 2;
        stepInRound = 0;
        opt = Adam.adam(student.module().namedParameters(), learningRate);
    }

    /**
     * The student that samples with {@code steps} steps: the round with exactly that N if it has
     * finished (or is running), else the nearest N above it (sampled with {@code steps} DDIM steps
     * it was not trained for), else the current student.
     */
    Student studentFor(int steps) {
        if (steps == n) {
            return student;
        }
        Student exact = finished.get(steps);
        if (exact != null) {
            return exact;
        }
        Map.Entry<Integer, Student> above = finished.ceilingEntry(steps);
        if (above != null && (steps > n)) {
            return above.getValue();
        }
        return student;
    }

    /** Deterministic DDIM with the student of {@code steps} steps on the grid {@code t = i/steps}. */
    Tensor sample(Tensor noise, int steps, Condition c) {
        Student s = studentFor(steps);
        return DdimSampler.sample(s.denoiser(), noise, Grids.uniform(steps), 0.0, c, null, null, null);
    }

    private static Tensor coef(java.util.function.DoubleUnaryOperator f, double[] t, DType dt) {
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            v[i] = f.applyAsDouble(t[i]);
        }
        return PerSample.vector(v, dt);
    }

    /** The live student, which the rounds train in place. */
    Student student() {
        return student;
    }

    /** Counter of {@link #exportTo}: the current round's N. */
    static final String STUDENT_STEPS = "student-steps";
    private static final String ROUND = "round-";

    /**
     * Adds what {@link #sample} reads besides the live student (which the caller exports): the
     * current N and the frozen student of each finished round as {@code round-<N>}.
     */
    void exportTo(StudentState.Builder out) {
        out.counter(STUDENT_STEPS, n);
        finished.forEach((steps, s) -> {
            if (s != student) {
                out.network(ROUND + steps, s.module());
            }
        });
    }

    private static final String STEP_IN_ROUND = "step-in-round";

    /**
     * Everything but the live student (which the caller writes): the current N, the steps taken
     * in this round, the round's Adam and each finished round's frozen student as
     * {@code round-<N>} (the last of them is the current teacher).
     */
    @Override
    public void writeState(StateWriter out) {
        out.counter(STUDENT_STEPS, n).counter(STEP_IN_ROUND, stepInRound).optimizer("optimizer", opt);
        finished.forEach((steps, s) -> {
            if (s != student) {
                out.module(ROUND + steps, s.module());
            }
        });
    }

    /**
     * Restores {@link #writeState}'s part into rounds built as the saved ones were (the caller
     * restores the live student): the teacher is the last finished round's student, or the first
     * teacher when no round has finished.
     */
    @Override
    public void readState(StateReader in) {
        long steps = in.counter(STUDENT_STEPS);
        if (steps < 1 || steps > startSteps || Long.bitCount(steps) != 1) {
            throw new IllegalArgumentException("training state counter '" + STUDENT_STEPS + "' = " + steps
                    + " is not a power of two in [1, " + startSteps + "]");
        }
        long inRound = in.counter(STEP_IN_ROUND);
        if (inRound < 0) {
            throw new IllegalArgumentException("training state counter '" + STEP_IN_ROUND + "' = " + inRound + " < 0");
        }
        n = (int) steps;
        stepInRound = inRound;
        in.optimizer("optimizer", opt);
        finished.clear();
        for (long r = 2L * n; r <= startSteps; r *= 2) {
            Student snapshot = student.frozenCopy();
            in.module(ROUND + r, snapshot.module());
            finished.put((int) r, snapshot);
        }
        if (n == 1 && stepInRound >= stepsPerRound) {
            finished.put(1, student);
        }
        Map.Entry<Integer, Student> last = finished.higherEntry(n);
        teacher = last != null ? last.getValue().denoiser() : firstTeacher;
    }

    /**
     * Restores {@link #exportTo}'s part (the caller restores the live student first): N, the
     * finished rounds as frozen copies, and, for further training, the last finished round as the
     * teacher with a fresh Adam at the start of the round.
     */
    void restoreFrom(StudentState state) {
        long steps = state.counter(STUDENT_STEPS);
        if (steps < 1 || steps > Integer.MAX_VALUE || Long.bitCount(steps) != 1) {
            throw new IllegalArgumentException("counter '" + STUDENT_STEPS + "' = " + steps + " is not a power of two");
        }
        TreeMap<Integer, Student> rounds = new TreeMap<>();
        for (String name : state.networks().keySet()) {
            if (name.startsWith(ROUND)) {
                int roundSteps;
                try {
                    roundSteps = Integer.parseInt(name.substring(ROUND.length()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("network '" + name + "' does not name a round's step count");
                }
                Student snapshot = student.frozenCopy();
                state.loadInto(name, snapshot.module());
                rounds.put(roundSteps, snapshot);
            }
        }
        n = (int) steps;
        finished.clear();
        finished.putAll(rounds);
        Map.Entry<Integer, Student> last = finished.higherEntry(n);
        if (last != null) {
            teacher = last.getValue().denoiser();
        }
        stepInRound = 0;
        opt = Adam.adam(student.module().namedParameters(), learningRate);
    }
}
