package dev.distillery.distill.trajectory;

import dev.distillery.diffusion.sampling.EdmView;
import dev.distillery.distill.Student;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.autograd.random.RngKey;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.diffusion.denoise.Prediction;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.core.ConsistencyParameterization;
import dev.distillery.distill.core.CtmParameterization;
import dev.distillery.distill.core.Distance;
import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.distill.gan.Discriminator;
import dev.distillery.distill.gan.DiscriminatorTrainer;
import dev.distillery.distill.gan.GanLoss;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.Module;
import dev.distillery.nn.optim.Adam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consistency trajectory models (Kim et al. 2024, "Consistency trajectory model: learning
 * probability flow ODE trajectory of diffusion", eq. 4-6 and Algorithm 1;
 * MATH.md section 6.5, I16), in EDM units. The anytime-to-anytime integrator
 * <pre>
 *   G_theta(x_t, t, s) = (s/t) x_t + (1 - s/t) g_theta(x_t, t, s)
 * </pre>
 * ({@link CtmParameterization}) with {@code g_theta} the student's x-prediction read at
 * {@code z = alpha(t) x_t}, VP time t and second time {@code s} (its VP time; the student config
 * needs {@code Conditioning.withSecondTime()}). One step draws, for the whole batch, t from the
 * Karras times {@code t_2..t_N}, s from {@code {0, t_1, ..., t_{j-1}}} below it and u from the
 * times in {@code [max(s, t_1), t)}, then (Kim et al. 2024, Algorithm 1):
 * <pre>
 *   x_t      = x_0 + t z,      x_u = Solver(x_t, t, u; teacher)   (Heun along the Karras grid: a random number of steps)
 *   x_est    = G_sg(G_theta(x_t, t, s), s, 0)                     (target weights, gradient through the input)
 *   x_target = G_sg(G_sg(x_u, u, s), s, 0)                        (no gradient)
 *   L = d(x_target, x_est) + lambda_DSM || x_0 - g_theta(x_t, t, t) ||^2
 * </pre>
 * with the stop-gradient network an EMA of the student. {@code G(., s, 0)} is the identity at s = 0.
 *
 * <p><b>GAN term.</b> With {@code lambdaGan > 0} the loss gains {@code lambda_GAN L_G^adv(x_est)}:
 * a discriminator of heads over a frozen random feature network (the paper: StyleGAN-XL's
 * discriminator on pretrained features; here {@link Discriminator#overRandomFeatures}) sees real data
 * x_0 against the student's estimate x_est at time 0, trained with the hinge loss and R1 on its head
 * inputs as in ADD. The weight is a constant, not the paper's adaptive ratio of gradient norms at
 * the last layer. The paper also draws the DSM time from EDM's lognormal; here DSM reuses x_t.
 *
 * <p><b>Sampling</b> (gamma-sampling, Kim et al. Algorithm 2): levels
 * {@code T = tau_0 > ... > tau_steps = 0} ({@link Grids#samplingLevels}), {@code x = T noise}
 * (VP noise read as the EDM state at sigma_max); per step
 * {@code x <- G(x, tau_k, sqrt(1 - gamma^2) tau_{k+1}) + gamma tau_{k+1} xi_k}. gamma = 0 is
 * deterministic (the paper's best), gamma = 1 is consistency-model sampling.
 */
public final class ConsistencyTrajectoryModel implements Distiller.SingleNetwork {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "ctm";


    /**
     * @param edm          EDM constants (the paper, CIFAR-10: 0.002, 80, 0.5, 7)
     * @param n            Karras discretization times (the paper, CIFAR-10: 18)
     * @param emaDecay     decay of the stop-gradient network (the paper: 0.999 over its 100k+ iterations; 0.95
     *                     here, consistency distillation's value (Song et al. 2023): with 0.999 the target
     *                     trails the student by ~1000 steps, a third of a demo run, and learns nothing)
     * @param lambdaDsm    weight of the DSM term (the paper: 1; 0.1 here: the unweighted x-space DSM error
     *                     at large t is the data's variance, ~99 % of the loss at weight 1, which drowns
     *                     the consistency term; 2 -> 18 modes at 1 step, docs/RESULTS.md)
     * @param lambdaGan    weight of the GAN term (0: none; the paper adapts it, see class notes)
     * @param distance     d (the paper: a feature distance, LPIPS; l2 here)
     * @param gamma        sampling stochasticity in [0, 1] (the paper's best: 0)
     * @param learningRate Adam learning rate (the paper: 4e-4; 1e-3 for small MLPs here)
     * @param prediction   what a fresh student's network predicts (the x-prediction inside g)
     * @param fromTeacher  start from the teacher network when there is one (the paper: always; non-strict, s is new)
     * @param decayShare   the final share of the run over which the learning rate decays to 0 ({@link StudentOptimizers#adam})
     * @param zeroEndShare the share of steps whose jump ends at s = 0 (the paper draws s uniformly below t,
     *                     which trains the one-step jump G(x_T, T, 0) in about 1 step of 300; every sampler's
     *                     last jump ends at 0, so 0.7 here)
     */
    public record Config(EdmConfig edm, int n, double emaDecay, double lambdaDsm, double lambdaGan, Distance distance,
                         double gamma, double learningRate, Prediction prediction, boolean fromTeacher,
                         double decayShare, double zeroEndShare) {
        /**
         * The paper's values except where a short run on 2-D data needs otherwise (each documented at
         * its parameter): EMA 0.95, DSM weight 0.1, the learning rate decayed over the last 30 % of the
         * run, 70 % of the jumps ending at s = 0. One step on the demo's teacher after 4000 steps: the
         * paper's values 2 modes, these 25 modes with HQ 0.61; after 8000 steps (the recipe budget)
         * 25 modes with HQ 0.71-0.72 on three seeds (docs/RESULTS.md).
         */
        public static Config defaults() {
            return new Config(EdmConfig.DEFAULTS, 18, 0.95, 0.1, 0.0, Distance.l2(), 0.0, 1e-3, Prediction.V, true, 0.3,
                    0.7);
        }

        public Config withEdm(EdmConfig e) {
            return new Config(e, n, emaDecay, lambdaDsm, lambdaGan, distance, gamma, learningRate, prediction, fromTeacher, decayShare, zeroEndShare);
        }

        public Config withEmaDecay(double mu) {
            return new Config(edm, n, mu, lambdaDsm, lambdaGan, distance, gamma, learningRate, prediction, fromTeacher, decayShare, zeroEndShare);
        }

        public Config withLambdaDsm(double lambda) {
            return new Config(edm, n, emaDecay, lambda, lambdaGan, distance, gamma, learningRate, prediction, fromTeacher,
                    decayShare, zeroEndShare);
        }

        public Config withDecayShare(double share) {
            return new Config(edm, n, emaDecay, lambdaDsm, lambdaGan, distance, gamma, learningRate, prediction, fromTeacher,
                    share, zeroEndShare);
        }

        public Config withZeroEndShare(double share) {
            return new Config(edm, n, emaDecay, lambdaDsm, lambdaGan, distance, gamma, learningRate, prediction, fromTeacher,
                    decayShare, share);
        }

        public Config withGamma(double g) {
            return new Config(edm, n, emaDecay, lambdaDsm, lambdaGan, distance, g, learningRate, prediction, fromTeacher, decayShare, zeroEndShare);
        }

        public Config withLambdaGan(double lambda) {
            return new Config(edm, n, emaDecay, lambdaDsm, lambda, distance, gamma, learningRate, prediction, fromTeacher, decayShare, zeroEndShare);
        }
    }

    /** The discriminator of the GAN term: hinge loss, R1 (gamma 1e-5) on the head inputs every 16th update. */
    private static DiscriminatorTrainer discriminator(DistillSetup setup, double lr) {
        int dim = 1;
        for (int d : setup.sampleShape()) {
            dim *= d;
        }
        Discriminator d = Discriminator.overRandomFeatures(dim, 128, 3, 64, setup.dtype(), setup.seed() + 5);
        return new DiscriminatorTrainer(d, new DiscriminatorTrainer.Config(GanLoss.HINGE, 1, lr, 0.5, 0.999, 1e-5,
                DiscriminatorTrainer.R1On.FEATURES, 16));
    }

    private final DistillSetup setup;
    private final Config config;
    private final double[] times;
    private final Student student;
    private final Student target;
    private final Adam opt;
    private final DiscriminatorTrainer gan;

    /** A run of unknown length: requires a constant learning rate ({@code decayShare = 0}). */
    public ConsistencyTrajectoryModel(DistillSetup setup, Config config) {
        this(setup, config, 0);
    }

    /** A run of {@code trainingSteps} steps (the length of the learning-rate decay). */
    public ConsistencyTrajectoryModel(DistillSetup setup, Config config, long trainingSteps) {
        StudentOptimizers.requireLength(name(), config.decayShare(), trainingSteps);
        if (!(config.lambdaGan() >= 0)) {
            throw new IllegalArgumentException("CTM's lambdaGan must be >= 0 (0 turns the GAN term off), got "
                    + config.lambdaGan());
        }
        if (!(config.zeroEndShare() >= 0 && config.zeroEndShare() <= 1)) {
            throw new IllegalArgumentException("CTM's zeroEndShare must be in [0, 1], got " + config.zeroEndShare());
        }
        if (!(config.gamma() >= 0 && config.gamma() <= 1) || config.n() < 2) {
            throw new IllegalArgumentException("CTM needs gamma in [0, 1] and N >= 2, got " + config);
        }
        this.setup = setup;
        this.config = config;
        this.times = ConsistencyParameterization.karrasTimes(config.n(), config.edm());
        this.student = Student.fromConfig(setup, config.prediction(), config.fromTeacher());
        this.target = student.frozenCopy();
        this.opt = StudentOptimizers.adam(student.module(), config.learningRate(), config.decayShare(), trainingSteps);
        this.gan = config.lambdaGan() > 0 ? discriminator(setup, config.learningRate()) : null;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code g(x, t, s)} per batch (scalar t, s in EDM units). */
    static Tensor g(Student net, Tensor x, double t, double s) {
        int b = x.dim(0);
        double[] ts = Grids.fill(t, b);
        double vpS = s == 0.0 ? 0.0 : net.schedule().timeFromSigmaEdm(s);
        Condition c = Condition.NONE.withSecondTime(Tensor.full(x.dtype(), vpS, b));
        return new EdmView(net.denoiser()).denoise(x, ts, c);
    }

    /** {@code G(x, t, s)}; the identity when s = t. */
    static Tensor integrate(Student net, Tensor x, double t, double s) {
        if (s == t) {
            return x;
        }
        return CtmParameterization.apply(x, t, s, g(net, x, t, s));
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        Tensor x0 = Grids.data(setup, setup.batchSize(), rng, "CTM (its DSM term)").x();
        int b = x0.dim(0);
        int jt = 1 + rng.nextInt(times.length - 1);          // t = times[jt] > eps
        // -1 means s = 0: with probability zeroEndShare, else uniform over {0, t_1, ..., t_{jt-1}}
        int js = rng.nextDouble() < config.zeroEndShare() ? -1 : rng.nextInt(jt + 1) - 1;
        int ju = Math.max(js, 0) + rng.nextInt(jt - Math.max(js, 0));
        double t = times[jt];
        double s = js < 0 ? 0.0 : times[js];
        double u = times[ju];
        Tensor xt = x0.add(Tensor.randn(x0.dtype(), rng, x0.shape().dims()).mul(t));
        Tensor goal;
        try (var ignored = Autograd.noGrad()) {
            Tensor xu = xt;
            for (int j = jt; j > ju; j--) {
                xu = new EdmView(setup.teacher()).heun(xu, Grids.fill(times[j], b), Grids.fill(times[j - 1], b), Condition.NONE);
            }
            Tensor xs = integrate(target, xu, u, Math.min(s, u));
            goal = (s == 0.0 ? xs : integrate(target, xs, s, 0.0)).detach();
        }
        Tensor mid = CtmParameterization.apply(xt, t, s, g(student, xt, t, s));
        Tensor est = s == 0.0 ? mid : integrate(target, mid, s, 0.0);
        Tensor ctm = config.distance().mean(est, goal);
        Tensor dsm = PerSample.squaredNorm(x0.sub(g(student, xt, t, t))).mean();
        Tensor loss = ctm.add(dsm.mul(config.lambdaDsm()));
        Map<String, Double> out = new LinkedHashMap<>();
        if (gan != null) {
            Tensor fake = est.detach();
            out.putAll(gan.train(() -> new DiscriminatorTrainer.Batch(x0, fake, null, null)));
            Tensor adv = gan.generatorLoss(est, null);
            out.put("g_adv", adv.item());
            loss = loss.add(adv.mul(config.lambdaGan()));
        }
        opt.zeroGrad();
        loss.backward();
        opt.step();
        ConsistencyFunction.emaUpdate(target.module(), student.module(), config.emaDecay());
        out.put("loss", loss.item());
        out.put("ctm", ctm.item());
        out.put("dsm", dsm.item());
        return out;
    }

    @Override
    public Generator generator() {
        return generator(config.gamma());
    }

    /** gamma-sampling with the online student. */
    public Generator generator(double gamma) {
        return (noise, steps, key) -> sample(noise, steps, key, gamma);
    }

    private Tensor sample(Tensor noise, int steps, RngKey key, double gamma) {
        EdmConfig edm = config.edm();
        double[] levels = Grids.samplingLevels(steps, edm.sigmaMin(), edm.sigmaMax(), edm.rho(), 0.0);
        try (var ignored = Autograd.noGrad()) {
            Tensor x = noise.mul(edm.sigmaMax());
            for (int k = 0; k < steps; k++) {
                double next = levels[k + 1];
                x = integrate(student, x, levels[k], Math.sqrt(1.0 - gamma * gamma) * next);
                if (gamma > 0 && next > 0) {
                    x = x.add(Grids.noise(key.fold(k), x).mul(gamma * next));
                }
            }
            return x.detach();
        }
    }

    /** The network the generator evaluates (what {@link StudentState} saves). */
    @Override
    public Module sampledNetwork() {
        return student.module();
    }

    /** The student, its EMA target, its Adam and, with the GAN term, the discriminator's training. */
    @Override
    public void writeState(StateWriter out) {
        out.module("student", student.module()).module("target", target.module()).optimizer("optimizer", opt);
        if (gan != null) {
            out.part("discriminator", gan);
        }
    }

    @Override
    public void readState(StateReader in) {
        in.module("student", student.module());
        in.module("target", target.module());
        in.optimizer("optimizer", opt);
        if (gan != null) {
            in.part("discriminator", gan);
        }
    }
}
