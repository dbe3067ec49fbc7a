package dev.distillery.distill.trajectory;

import dev.distillery.diffusion.denoise.PerSample;
import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.distill.DistillSetup;
import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.Module;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.ModelInput;
import dev.distillery.nn.optim.Adam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rectified flow, reflow and one-step distillation (Liu, Gong, Liu 2023, "Flow straight and fast",
 * Algorithm 1 and section 2.3; MATH.md section 6.6, I17), with the
 * formulas of {@link dev.distillery.distill.core.RectifiedFlow}: X_0 data, X_1 noise,
 * {@code X_t = t X_1 + (1 - t) X_0}, loss {@code ||(X_1 - X_0) - v(X_t, t)||^2}, t ~ U[0, 1].
 *
 * <p><b>Stages.</b> Flow 1 trains on the initial coupling: independent (data from
 * {@code setup.data()}, fresh noise) or the teacher's PF-ODE pairs {@code (ODE(z), z)} (DDIM,
 * {@code teacherSteps}). Flows 2..k ("reflow") train on the pairs {@code (Z_0, Z_1)} the previous
 * flow produces from noise Z_1 with {@code reflowSteps} Euler steps, continuing from its weights
 * with a fresh Adam. With {@code distill}, a copy of the k-th flow then learns the one-step map on
 * its pairs: {@code ||(Z_1 - Z_0) - v_d(Z_1, 1)||^2}, so {@code T(Z_1) = Z_1 - v_d(Z_1, 1)}. The
 * budget is split equally over the k flows, after the distillation share.
 *
 * <p><b>Time.</b> The velocity network reads the flow's own t in [0, 1] in {@code ModelInput.t}
 * (t = 1 noise, t = 0 data, the direction of diffusion time, but not the teacher's schedule: the
 * interpolation is linear). The generator integrates {@code dZ/dt = v} from t = 1 to 0 with
 * {@code steps} Euler steps, or uses the distilled map when {@code steps == 1} and it exists.
 */
public final class RectifiedFlow implements Distiller {
    /** The registry name (the {@code Methods} entry and the {@code --methods} spelling). */
    public static final String NAME = "rectified-flow";


    /** The coupling of flow 1. */
    public enum Coupling { INDEPENDENT, TEACHER }

    /**
     * @param k              number of flows (1 = rectified flow, 2 = one reflow; the paper: 2-rectified flow is
     *                       usually enough, 3 rarely helps)
     * @param initialCoupling independent (the paper's 1-rectified flow) or the teacher's PF-ODE (pairs from the
     *                       pretrained model's probability-flow ODE, Liu et al. 2023, section 2.3)
     * @param pairs          size of each reflow / distillation pair set (the paper: 4M pairs for CIFAR-10; 65,536)
     * @param reflowSteps    Euler steps that produce the pairs (the paper: RK45; 100 Euler steps here)
     * @param teacherSteps   DDIM steps of the teacher's PF-ODE pairs (TEACHER coupling)
     * @param distill        distil the k-th flow to one step
     * @param distillShare   share of trainingSteps for the distillation
     * @param learningRate   Adam learning rate (the paper: 2e-4 for CIFAR-10; 2e-3 for small MLPs here)
     * @param fromTeacher    warm-start the velocity network from the teacher network when there is one
     *                       (the teacher's weights as the initial velocity network; non-strict)
     */
    public record Config(int k, Coupling initialCoupling, int pairs, int reflowSteps, int teacherSteps,
                         boolean distill, double distillShare, double learningRate, boolean fromTeacher,
                         double decayShare) {
        /**
         * The paper's 2-rectified flow from scratch: independent coupling, fresh network. It learns
         * the data without reading the teacher, so it is a baseline, not a distillation.
         */
        public static Config defaults() {
            return new Config(2, Coupling.INDEPENDENT, 65_536, 100, 50, true, 0.2, 2e-3, false, 0.0);
        }

        /**
         * Rectified flow as a distillation method (the algorithm of Liu et al. 2023, section 2.3, with a
         * pretrained diffusion model: "initialise v with the teacher and build the initial pairs with its
         * PF-ODE"): flow 1 is the reflow of the teacher's deterministic coupling, warm-started from the
         * teacher network, then distilled to one step. One flow suffices: the teacher's ODE coupling is
         * already deterministic, so a second reflow only adds its Euler error (measured: 2 -> 21 modes at
         * 1 step after 1000 steps against the independent-coupling defaults, docs/RESULTS.md).
         */
        public static Config fromTeacherOde() {
            return new Config(1, Coupling.TEACHER, 65_536, 100, 50, true, 0.2, 2e-3, true, 1.0);
        }

        public Config withK(int newK) {
            return new Config(newK, initialCoupling, pairs, reflowSteps, teacherSteps, distill, distillShare,
                    learningRate, fromTeacher, decayShare);
        }

        public Config withPairs(int n, int eulerSteps) {
            return new Config(k, initialCoupling, n, eulerSteps, teacherSteps, distill, distillShare, learningRate,
                    fromTeacher, decayShare);
        }

        public Config withInitialCoupling(Coupling c) {
            return new Config(k, c, pairs, reflowSteps, teacherSteps, distill, distillShare, learningRate, fromTeacher, decayShare);
        }
    }

    private final DistillSetup setup;
    private final Config config;
    private final Module flow;
    private Module distilled;
    private Adam opt;
    private final long stepsPerFlow;
    private final long distillSteps;
    private long step;
    private int stage;            // 0..k-1: flows; k: distillation; k+1 done (distillation keeps training)
    private Tensor pairData;      // Z_0 (data end)
    private Tensor pairNoise;     // Z_1 (noise end)
    private float[] dataRows;
    private float[] noiseRows;

    public RectifiedFlow(DistillSetup setup, Config config, long trainingSteps) {
        if (config.k() < 1) {
            throw new IllegalArgumentException("rectified flow needs k >= 1 flows, got " + config.k());
        }
        this.setup = setup;
        this.config = config;
        this.flow = setup.studentConfig().build();
        if (config.fromTeacher() && setup.teacherNetwork() != null) {
            flow.loadStateDict(setup.teacherNetwork().stateDict(), false);
        }
        long forFlows = config.distill() ? Math.round(trainingSteps * (1.0 - config.distillShare())) : trainingSteps;
        this.stepsPerFlow = Math.max(1, forFlows / config.k());
        this.distillSteps = Math.max(1, trainingSteps - stepsPerFlow * config.k());
        this.opt = optimizer(flow, stepsPerFlow);
    }

    /** Adam for one stage of {@code stageSteps} steps. */
    private Adam optimizer(Module net, long stageSteps) {
        return StudentOptimizers.adam(net, config.learningRate(), config.decayShare(), stageSteps);
    }

    @Override
    public String name() {
        return NAME;
    }

    static Tensor velocity(Module net, Tensor z, double[] t) {
        return ((ConditionalModel) net).forward(ModelInput.of(z, PerSample.vector(t, z.dtype())));
    }

    @Override
    public Map<String, Double> step(Rng rng) {
        if (stage == 0 && pairNoise == null && config.initialCoupling() == Coupling.TEACHER) {
            Tensor z = Grids.noise(setup, config.pairs(), rng);
            setPairs(TeacherOde.endpoint(setup.teacher(), z, TeacherOde.Solver.DDIM, config.teacherSteps(),
                    Condition.NONE), z);
        }
        int b = setup.batchSize();
        Tensor x0;
        Tensor x1;
        if (pairNoise == null) {
            x0 = Grids.data(setup, b, rng, "rectified flow (independent coupling)").x();
            x1 = Grids.noise(setup, b, rng);
        } else {
            int[] idx = new int[b];
            for (int i = 0; i < b; i++) {
                idx[i] = rng.nextInt(config.pairs());
            }
            x0 = KnowledgeDistillation.gather(pairData, dataRows, idx);
            x1 = KnowledgeDistillation.gather(pairNoise, noiseRows, idx);
        }
        boolean distilling = stage >= config.k();
        double[] t = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = distilling ? 1.0 : rng.nextDouble();
        }
        Tensor xt = dev.distillery.distill.core.RectifiedFlow.interpolate(x0, x1, PerSample.vector(t, x0.dtype()));
        Tensor v = velocity(distilling ? distilled : flow, xt, t);
        Tensor loss = dev.distillery.distill.core.RectifiedFlow.loss(x0, x1, v);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", loss.item());
        out.put("stage", (double) stage);
        if (!distilling && ++step >= stepsPerFlow) {
            nextStage(rng);
        }
        return out;
    }

    private void nextStage(Rng rng) {
        step = 0;
        stage++;
        if (stage == config.k() && !config.distill()) {
            stage--;       // no distillation: the last flow keeps training
            return;
        }
        Tensor z = Grids.noise(setup, config.pairs(), rng);
        setPairs(euler(flow, z, config.reflowSteps(), null), z);
        if (stage < config.k()) {
            opt = optimizer(flow, stepsPerFlow);
        } else {
            distilled = flow.copy();
            opt = optimizer(distilled, distillSteps);
        }
    }

    private void setPairs(Tensor data, Tensor noise) {
        pairData = data;
        pairNoise = noise;
        dataRows = data.toFloatArray();
        noiseRows = noise.toFloatArray();
    }

    /** Euler integration of {@code dZ/dt = v} from t = 1 to 0 in {@code steps} uniform steps; records states. */
    static Tensor euler(Module net, Tensor z, int steps, List<Tensor> states) {
        double[] grid = Grids.uniform(steps);
        try (var ignored = Autograd.noGrad()) {
            if (states != null) {
                states.add(z);
            }
            for (int i = 0; i < steps; i++) {
                Tensor v = velocity(net, z, Grids.fill(grid[i], z.dim(0)));
                z = dev.distillery.distill.core.RectifiedFlow.eulerStep(z, v, grid[i], grid[i + 1]).detach();
                if (states != null) {
                    states.add(z);
                }
            }
            return z;
        }
    }

    /**
     * Straightness {@code S = int_0^1 E||(Z_1 - Z_0) - dZ_t/dt||^2 dt} (Liu et al. Definition 2.3) of
     * the current (not distilled) flow along its Euler trajectories from {@code noise} in
     * {@code steps} steps; 0 for perfectly straight paths.
     */
    public double straightness(Tensor noise, int steps) {
        List<Tensor> states = new ArrayList<>();
        euler(flow, noise, steps, states);
        return dev.distillery.distill.core.RectifiedFlow.straightness(states, Grids.uniform(steps));
    }

    /** The current stage: 0..k-1 while training flow stage+1, k while distilling. */
    public int stage() {
        return stage;
    }

    @Override
    public Generator generator() {
        return (noise, steps, key) -> {
            if (steps == 1 && distilled != null) {
                try (var ignored = Autograd.noGrad()) {
                    return noise.sub(velocity(distilled, noise, Grids.fill(1.0, noise.dim(0)))).detach();
                }
            }
            return euler(flow, noise, steps, null);
        };
    }

    /**
     * The flow, the one-step distilled map once it exists, and the stage; see {@link StudentState}.
     * Restoring does not bring back the pair sets: training a restored flow further starts its
     * stage on fresh independent pairs.
     */
    @Override
    public StudentState state() {
        StudentState.Builder out = StudentState.builder().network("flow", flow);
        if (distilled != null) {
            out.network("distilled", distilled);
        }
        return out.counter("stage", stage).build();
    }

    @Override
    public void restore(StudentState state) {
        long s = state.counter("stage");
        if (s < 0 || s > config.k()) {
            throw new IllegalArgumentException("counter 'stage' = " + s + " is not in [0, " + config.k() + "]");
        }
        state.loadInto("flow", flow);
        distilled = null;
        if (state.hasNetwork("distilled")) {
            distilled = flow.copy();
            state.loadInto("distilled", distilled);
        }
        stage = (int) s;
        step = 0;
        opt = distilled != null ? optimizer(distilled, distillSteps) : optimizer(flow, stepsPerFlow);
    }

    private static final String PAIR_DATA = "pair-data";
    private static final String PAIR_NOISE = "pair-noise";

    /**
     * The flow, the distilled map once it exists, the current stage's Adam, the stage and its step,
     * and the current pair set (saved rather than integrated again: it was drawn from the run's
     * generator at the stage's start).
     */
    @Override
    public void writeState(StateWriter out) {
        out.module("flow", flow);
        if (distilled != null) {
            out.module("distilled", distilled);
        }
        out.optimizer("optimizer", opt).counter("stage", stage).counter("step-in-stage", step);
        if (pairNoise != null) {
            out.tensor(PAIR_DATA, pairData).tensor(PAIR_NOISE, pairNoise);
        }
    }

    @Override
    public void readState(StateReader in) {
        long s = in.counter("stage");
        long inStage = in.counter("step-in-stage");
        if (s < 0 || s > config.k() || inStage < 0) {
            throw new IllegalArgumentException("training state counters 'stage' = " + s + " and 'step-in-stage' = "
                    + inStage + " are not a stage in [0, " + config.k() + "] and a step >= 0");
        }
        in.module("flow", flow);
        distilled = null;
        if (in.has("distilled")) {
            distilled = flow.copy();
            in.module("distilled", distilled);
        }
        stage = (int) s;
        step = inStage;
        opt = distilled != null ? optimizer(distilled, distillSteps) : optimizer(flow, stepsPerFlow);
        in.optimizer("optimizer", opt);
        pairData = null;
        pairNoise = null;
        dataRows = null;
        noiseRows = null;
        if (in.has(PAIR_NOISE)) {
            setPairs(Pairs.check(in.tensor(PAIR_DATA), setup, config.pairs(), PAIR_DATA),
                    Pairs.check(in.tensor(PAIR_NOISE), setup, config.pairs(), PAIR_NOISE));
        }
    }
}
