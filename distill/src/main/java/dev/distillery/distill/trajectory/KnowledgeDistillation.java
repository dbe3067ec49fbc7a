package dev.distillery.distill.trajectory;

import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.Module;
import dev.distillery.nn.optim.Adam;

import java.util.Map;

/**
 * Knowledge distillation of the sampler (Luhman &amp; Luhman 2021, "Knowledge distillation in
 * iterative generative models for improved sampling speed";
 * MATH.md section 6.1): a data set of pairs {@code (z_1, x_0 = ODE-solve_teacher(z_1))}
 * is generated once, and a one-step student {@code f(z_1)} is regressed onto it,
 * <pre>
 *   L = mean_b || f(z_1,b) - x_0,b ||^2 .
 * </pre>
 * Data-free. The student is the teacher's architecture read at t = 1 (so with a teacher network
 * it starts from the teacher's weights, whose x-prediction at t = 1 is the data mean).
 *
 * <p><b>Multistep.</b> The student is a single-step map; {@link Generator#sample} with
 * {@code steps > 1} returns the same one-step sample (one network evaluation), since the student
 * was never trained at intermediate times and re-noising and re-applying a t = 1 map would not be
 * a valid sampler. {@link Generator#nfe} says 1 for any step count.
 */
public final class KnowledgeDistillation implements Distiller.SingleNetwork {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "kd";


    /**
     * @param pairs          size of the pair data set (the paper generates 1.2M pairs for CIFAR-10; we default to 65,536)
     * @param solver         the teacher's ODE solver (the paper: deterministic DDIM; here DDIM by default)
     * @param solverSteps    its step count (default 50)
     * @param learningRate   Adam learning rate (the paper trains with Adam; 1e-4 there for images; 2e-3 default here,
     *                       sized for the small MLPs this library distils first)
     * @param fromTeacher    start the student from the teacher network when there is one
     * @param decayShare     the final share of the run over which the learning rate decays to 0 ({@link StudentOptimizers#adam})
     */
    public record Config(int pairs, TeacherOde.Solver solver, int solverSteps, double learningRate,
                         boolean fromTeacher, double decayShare) {
        public static Config defaults() {
            return new Config(65_536, TeacherOde.Solver.DDIM, 50, 2e-3, true, 1.0);
        }

        public Config withDecayShare(double share) {
            return new Config(pairs, solver, solverSteps, learningRate, fromTeacher, share);
        }

        public Config withPairs(int n) {
            return new Config(n, solver, solverSteps, learningRate, fromTeacher, decayShare);
        }

        public Config withSolver(TeacherOde.Solver s, int steps) {
            return new Config(pairs, s, steps, learningRate, fromTeacher, decayShare);
        }

        public Config withLearningRate(double lr) {
            return new Config(pairs, solver, solverSteps, lr, fromTeacher, decayShare);
        }
    }

    private final DistillSetup setup;
    private final Config config;
    private final Student student;
    private final Adam opt;
    private Tensor noise;
    private Tensor endpoints;
    private float[] noiseRows;
    private float[] endpointRows;

    /** A run of unknown length: requires a constant learning rate ({@code decayShare = 0}). */
    public KnowledgeDistillation(DistillSetup setup, Config config) {
        this(setup, config, 0);
    }

    /** A run of {@code trainingSteps} steps (the length of the learning-rate decay). */
    public KnowledgeDistillation(DistillSetup setup, Config config, long trainingSteps) {
        StudentOptimizers.requireLength(name(), config.decayShare(), trainingSteps);
        this.setup = setup;
        this.config = config;
        this.student = Student.fromConfig(setup, Prediction.X0, config.fromTeacher());
        this.opt = StudentOptimizers.adam(student.module(), config.learningRate(), config.decayShare(), trainingSteps);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Generates the pair data set (once, on the first call) with the teacher's ODE. */
    public void preparePairs(Rng rng) {
        if (noise != null) {
            return;
        }
        Tensor z = Grids.noise(setup, config.pairs(), rng);
        setPairs(z, TeacherOde.endpoint(setup.teacher(), z, config.solver(), config.solverSteps(), Condition.NONE));
    }

    private void setPairs(Tensor z, Tensor x0) {
        noise = z;
        endpoints = x0;
        noiseRows = z.toFloatArray();
        endpointRows = x0.toFloatArray();
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        preparePairs(rng);
        int b = setup.batchSize();
        int[] idx = new int[b];
        for (int i = 0; i < b; i++) {
            idx[i] = rng.nextInt(config.pairs());
        }
        Tensor z = gather(noise, noiseRows, idx);
        Tensor x0 = gather(endpoints, endpointRows, idx);
        Tensor pred = oneStep(z);
        Tensor loss = PerSample.squaredNorm(pred.sub(x0)).mean();
        opt.zeroGrad();
        loss.backward();
        opt.step();
        return Map.of("loss", loss.item());
    }

    private Tensor oneStep(Tensor z) {
        return student.x0(z, PerSample.vector(Grids.fill(1.0, z.dim(0)), z.dtype()), Condition.NONE);
    }

    /** Rows {@code idx} of a {@code [N, ...]} tensor whose values are {@code src} (a detached copy). */
    static Tensor gather(Tensor all, float[] src, int[] idx) {
        int per = all.numel() / all.dim(0);
        double[] out = new double[idx.length * per];
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < per; j++) {
                out[i * per + j] = src[idx[i] * per + j];
            }
        }
        int[] dims = all.shape().dims().clone();
        dims[0] = idx.length;
        return Tensor.of(all.dtype(), out, dims);
    }

    @Override
    public Generator generator() {
        return new Generator() {
            @Override
            public Tensor sample(Tensor z, int steps, RngKey key) {
                if (steps < 1) {
                    throw new IllegalArgumentException("steps = " + steps + " must be >= 1");
                }
                try (var ignored = Autograd.noGrad()) {
                    return oneStep(z).detach();
                }
            }

            @Override
            public int nfe(int steps) {
                return 1;
            }
        };
    }

    /** The network the generator evaluates (what {@link StudentState} saves). */
    @Override
    public Module sampledNetwork() {
        return student.module();
    }

    /**
     * The student, its Adam and, once drawn, the pair set (saved rather than solved again: it is
     * drawn from the run's generator at the first step, whose position a resumed run no longer has).
     */
    @Override
    public void writeState(StateWriter out) {
        out.module("student", student.module()).optimizer("optimizer", opt);
        if (noise != null) {
            out.tensor(PAIR_NOISE, noise).tensor(PAIR_ENDPOINTS, endpoints);
        }
    }

    @Override
    public void readState(StateReader in) {
        in.module("student", student.module());
        in.optimizer("optimizer", opt);
        noise = null;
        endpoints = null;
        if (in.has(PAIR_NOISE)) {
            setPairs(Pairs.check(in.tensor(PAIR_NOISE), setup, config.pairs(), PAIR_NOISE),
                    Pairs.check(in.tensor(PAIR_ENDPOINTS), setup, config.pairs(), PAIR_ENDPOINTS));
        }
    }

    private static final String PAIR_NOISE = "pair-noise";
    private static final String PAIR_ENDPOINTS = "pair-endpoints";
}
