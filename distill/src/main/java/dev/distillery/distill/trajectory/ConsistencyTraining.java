package dev.distillery.distill.trajectory;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.core.ConsistencyParameterization;
import dev.distillery.distill.core.Distance;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.Module;
import dev.distillery.nn.optim.Adam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consistency training (Song et al. 2023, Algorithm 3 and Appendix C): no teacher in the loss. The
 * teacher's ODE step is replaced by the unbiased single-sample estimate of the score, which makes
 * the pair on one ray of the SAME noise z:
 * <pre>
 *   x_{t_{n+1}} = x + t_{n+1} z,   x_{t_n} = x + t_n z,
 *   L = mean_b d( f_theta(x_{t_{n+1}}, t_{n+1}), sg f_{theta-}(x_{t_n}, t_n) ),
 * </pre>
 * with the curriculum {@code N(k)} of {@link ConsistencyParameterization#consistencyTrainingSteps}
 * (s0 = 2, s1 = 150) over the K = trainingSteps iterations and the target decay
 * {@code mu(k) = exp(s0 log mu0 / N(k))}, mu0 = 0.9. The student may start from the teacher
 * network (a warm start; the teacher plays no other role). See {@link ConsistencyFunction}.
 */
public final class ConsistencyTraining implements Distiller.SingleNetwork {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "ct";


    /**
     * @param edm          EDM constants (the paper: 0.002, 80, 0.5, 7)
     * @param s0           initial discretization steps (the paper, CIFAR-10: 2)
     * @param s1           final discretization steps (the paper, CIFAR-10: 150)
     * @param mu0          initial target decay (the paper, CIFAR-10: 0.9)
     * @param distance     d (the paper's best for CT: LPIPS; l2 by default here)
     * @param learningRate Adam learning rate (the paper: 4e-4; 1e-3 for small MLPs here)
     * @param prediction   what a fresh student's network predicts
     * @param fromTeacher  start from the teacher network when there is one
     * @param renoiseMax   the highest level multistep sampling re-noises to ({@link Grids#renoiseLevels};
     *                     see {@link ConsistencyDistillation.Config#RENOISE_MAX})
     */
    public record Config(EdmConfig edm, int s0, int s1, double mu0, Distance distance, double learningRate,
                         Prediction prediction, boolean fromTeacher, double renoiseMax) {
        public static Config defaults() {
            return new Config(EdmConfig.DEFAULTS, 2, 150, 0.9, Distance.l2(), 1e-3, Prediction.V, true,
                    ConsistencyDistillation.Config.RENOISE_MAX);
        }

        public Config withEdm(EdmConfig e) {
            return new Config(e, s0, s1, mu0, distance, learningRate, prediction, fromTeacher, renoiseMax);
        }

        public Config withCurriculum(int newS0, int newS1) {
            return new Config(edm, newS0, newS1, mu0, distance, learningRate, prediction, fromTeacher, renoiseMax);
        }

        public Config withLearningRate(double lr) {
            return new Config(edm, s0, s1, mu0, distance, lr, prediction, fromTeacher, renoiseMax);
        }
    }

    private final DistillSetup setup;
    private final Config config;
    private final ConsistencyParameterization param;
    private final Student student;
    private final Student target;
    private final Adam opt;
    private final long totalSteps;
    private long k;

    public ConsistencyTraining(DistillSetup setup, Config config, long trainingSteps) {
        this.setup = setup;
        this.config = config;
        this.param = ConsistencyParameterization.of(config.edm());
        this.student = Student.fromConfig(setup, config.prediction(), config.fromTeacher());
        this.target = student.frozenCopy();
        this.opt = Adam.adam(student.module().namedParameters(), config.learningRate());
        this.totalSteps = Math.max(1, trainingSteps);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        int n = ConsistencyParameterization.consistencyTrainingSteps(Math.min(k, totalSteps), totalSteps, config.s0(),
                config.s1());
        double mu = Math.exp(config.s0() * Math.log(config.mu0()) / n);
        double[] times = ConsistencyParameterization.karrasTimes(n, config.edm());
        Tensor x = Grids.data(setup, setup.batchSize(), rng, "consistency training").x();
        int b = x.dim(0);
        double[] hi = new double[b];
        double[] lo = new double[b];
        for (int i = 0; i < b; i++) {
            int j = rng.nextInt(times.length - 1);
            lo[i] = times[j];
            hi[i] = times[j + 1];
        }
        Tensor z = Tensor.randn(x.dtype(), rng, x.shape().dims());
        Tensor goal;
        try (var ignored = Autograd.noGrad()) {
            goal = ConsistencyFunction.apply(target, param, x.add(PerSample.scale(z, lo)), lo).detach();
        }
        Tensor online = ConsistencyFunction.apply(student, param, x.add(PerSample.scale(z, hi)), hi);
        Tensor loss = ConsistencyParameterization.consistencyLoss(online, goal, config.distance(), 1.0);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        ConsistencyFunction.emaUpdate(target.module(), student.module(), mu);
        k++;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", loss.item());
        out.put("N", (double) n);
        out.put("mu", mu);
        return out;
    }

    @Override
    public Generator generator() {
        return ConsistencyFunction.generator(student, param, config.edm(), config.renoiseMax());
    }

    /** The network the generator evaluates (what {@link StudentState} saves). */
    @Override
    public Module sampledNetwork() {
        return student.module();
    }

    /** The student, its EMA target, its Adam and the iteration k (which sets N(k) and mu(k)). */
    @Override
    public void writeState(StateWriter out) {
        out.module("student", student.module()).module("target", target.module()).optimizer("optimizer", opt)
                .counter("iteration", k);
    }

    @Override
    public void readState(StateReader in) {
        in.module("student", student.module());
        in.module("target", target.module());
        in.optimizer("optimizer", opt);
        long iteration = in.counter("iteration");
        if (iteration < 0) {
            throw new IllegalArgumentException("training state counter 'iteration' = " + iteration + " < 0");
        }
        k = iteration;
    }
}
