package dev.distillery.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.simd.SimdBackend;
import dev.distillery.autograd.ScalarBackendExtension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each optimizer on a 2-element F64 parameter p0 = (1, -2) with the gradient sequence g_k given
 * below (the loss at step k is {@code <g_k, p>}), against the published update rules. The
 * expected values were produced by torch 1.13's optimizers in float64
 * ({@code docs/optimizer_reference.py}); the first step of each is also derived by hand in a
 * comment.
 */
@ExtendWith(ScalarBackendExtension.class)
class OptimizerRulesTest {
    private static final double[][] GRADS = {
        {0.5, -1.0}, {0.25, 2.0}, {-1.5, 0.75}, {1.0, 1.0}, {-0.5, 0.5}, {2.0, -0.25}, {0.1, 0.3}};

    private static double[][] run(Function<Map<String, Tensor>, Optimizer<?>> make, int steps) {
        Tensor p = Tensor.of(new double[] {1.0, -2.0}, 2).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("p", p);
        Optimizer<?> opt = make.apply(params);
        double[][] out = new double[steps][];
        for (int k = 0; k < steps; k++) {
            opt.zeroGrad();
            Tensor.of(GRADS[k], 2).mul(p).sum().backward();
            opt.step();
            out[k] = p.toDoubleArray();
        }
        return out;
    }

    private static void assertSteps(double[][] expected, double[][] actual) {
        for (int k = 0; k < expected.length; k++) {
            assertArrayEquals(expected[k], actual[k], 1e-14, "after step " + (k + 1));
        }
    }

    @Test
    void sgdWithMomentumDampeningAndWeightDecay() {
        // step 1: g = (0.5, -1) + 0.01 (1, -2) = (0.51, -1.02); b = g; p = p - 0.1 b = (0.949, -1.898)
        assertSteps(new double[][] {
            {0.949, -1.898},
            {0.8797459, -1.9844917999999998},
            {0.9516254386899999, -2.12804837738}},
            run(ps -> new Sgd(ps, LearningRate.constant(0.1), 0.9, 0.1, false, 0.01), 3));
    }

    @Test
    void sgdWithNesterovMomentum() {
        // step 1: b = g = (0.5, -1); g + 0.9 b = (0.95, -1.9); p = (1 - 0.095, -2 + 0.19)
        assertSteps(new double[][] {
            {0.905, -1.81},
            {0.8170000000000001, -2.109},
            {1.0453000000000001, -2.3406000000000002}},
            run(ps -> new Sgd(ps, LearningRate.constant(0.1), 0.9, 0, true, 0), 3));
    }

    @Test
    void adamWithL2WeightDecay() {
        // step 1: g = (0.6, -1.2); m = 0.1 g, v = 0.01 g^2; m / (1 - 0.9) = g; sqrt(v / (1 - 0.99)) = |g|;
        // p = p - 0.01 g / (|g| + 1e-8) = p - 0.01 sign(g) (1 - 1e-8 / |g|)
        assertSteps(new double[][] {
            {0.9900000001666667, -1.9900000000833333},
            {0.9804551426577219, -1.9924773474944744},
            {0.982905961199474, -1.9959147595807563}},
            run(ps -> new Adam(ps, LearningRate.constant(0.01), 0.9, 0.99, 1e-8, 0.1, false), 3));
    }

    @Test
    void adamWDecouplesWeightDecay() {
        // step 1: p = p (1 - 0.01 * 0.1) = (0.999, -1.998), then the Adam step of g = (0.5, -1): -0.01 sign(g)
        assertSteps(new double[][] {
            {0.9890000002, -1.9880000001},
            {0.9786765204185768, -1.9896680772101605},
            {0.9811578639954713, -1.9923955790277987}},
            run(ps -> new Adam(ps, LearningRate.constant(0.01), 0.9, 0.99, 1e-8, 0.1, true), 3));
    }

    @Test
    void adamOnTheSimdBackendTakesTheSameSteps() {
        // the SIMD backend's fused adamStep (F64 here) against the same torch values
        try (var scope = Backends.use(new SimdBackend(2))) {
            adamWithL2WeightDecay();
            adamWDecouplesWeightDecay();
        }
    }

    @Test
    void radamUsesSgdWithMomentumUntilRhoExceedsFiveThenRectifies() {
        // beta2 = 0.9: rho_inf = 19, rho_t = 19 - 2 t 0.9^t / (1 - 0.9^t) is 1, 1.95, 2.86, 3.75, 4.58 for
        // t = 1..5 (unrectified: p -= lr m_hat) and 5.39 at t = 6, the first rectified step.
        // step 1: g = (0.6, -1.2), m_hat = g, p = (1 - 0.006, -2 + 0.012)
        assertSteps(new double[][] {
            {0.994, -1.988},
            {0.9893189473684211, -1.9917957894736842},
            {0.9915352134395028, -1.9962234663041367},
            {0.9899108859413722, -2.001691009288484},
            {0.9896624507565402, -2.0065555794532086},
            {0.988703582242754, -2.0073464276749164},
            {0.9874795576847164, -2.0083404634680653}},
            run(ps -> new RAdam(ps, LearningRate.constant(0.01), 0.9, 0.9, 1e-8, 0.1), 7));
    }

    @Test
    void sgdMaximizeNegatesTheGradientBeforeDecayAndMomentum() {
        // torch: d_p = -grad, then + lambda p, then momentum; step 1: g = (-0.5, 1) + 0.01 (1, -2) = (-0.49, 0.98)
        assertSteps(new double[][] {
            {1.049, -2.098},
            {1.1146559, -2.0043118},
            {1.03774301969, -1.8506885393799999}},
            run(ps -> new Sgd(List.of(new ParamGroup<>(ps, LearningRate.constant(0.1),
                    new Sgd.Options(0.9, 0.1, false, 0.01).withMaximize(true)))), 3));
        assertSteps(new double[][] {
            {1.0855, -2.171},
            {1.15913775, -1.8432754999999998},
            {0.9117846663749999, -1.57808183275}},
            run(ps -> new Sgd(List.of(new ParamGroup<>(ps, LearningRate.constant(0.1),
                    new Sgd.Options(0.9, 0, true, 0.05, true)))), 3));
        assertEquals(true, new Sgd.Options(0, 0, false, 0, true).torchEntries().get("maximize"));
        assertEquals(false, new Sgd.Options(0, 0, false, 0).torchEntries().get("maximize"));
    }

    @Test
    void radamMaximizeIsRAdamOnTheNegatedObjective() {
        // torch 2.x: g = -grad + lambda p first (torch 1.13's RAdam has no maximize: these are its steps on -loss)
        assertSteps(new double[][] {
            {1.004, -2.008},
            {1.0066821052631578, -2.0002063157894736},
            {1.0024679790250532, -1.9917829186249756},
            {1.0020955678957244, -1.9823218983857096},
            {1.000348420022832, -1.9734661621055363},
            {1.0009262301088115, -1.971897013268802},
            {1.0015982076850354, -1.9698067748057944}},
            run(ps -> new RAdam(List.of(new ParamGroup<>(ps, LearningRate.constant(0.01),
                    new RAdam.Options(0.9, 0.9, 1e-8, 0.1).withMaximize(true)))), 7));
        assertEquals(true, new RAdam.Options(0.9, 0.9, 1e-8, 0, true).torchEntries().get("maximize"));
        assertEquals(false, new RAdam.Options(0.9, 0.9, 1e-8, 0).torchEntries().containsKey("maximize"));
    }

    @Test
    void schedulesFollowTheirFormulas() {
        assertEquals(0.5, LearningRate.constant(0.5).at(1000));
        assertEquals(0.25, LearningRate.linearWarmup(1.0, 4).at(0));
        assertEquals(1.0, LearningRate.linearWarmup(1.0, 4).at(3));
        LearningRate cos = LearningRate.cosine(1.0, 2, 12, 0.1);
        assertEquals(0.5, cos.at(0));
        assertEquals(1.0, cos.at(2), 1e-15);
        assertEquals(0.1 + 0.9 * 0.5, cos.at(7), 1e-15);       // half way: cos(pi/2) = 0
        assertEquals(0.1, cos.at(12), 1e-15);
        assertEquals(0.1, cos.at(100), 1e-15);
        // stable for 700 of 1000 steps, then a cosine to 0 over the last 300: half way at 850
        LearningRate tail = LearningRate.stableThenCosine(1e-3, 1000, 300);
        assertEquals(1e-3, tail.at(699));
        assertEquals(1e-3, tail.at(700), 1e-18);
        assertEquals(0.5e-3, tail.at(850), 1e-15);
        assertEquals(2.741531724392843e-08, tail.at(999), 1e-18);   // 0.5e-3 (1 + cos(299 pi / 300))
        assertEquals(0.0, tail.at(1000), 1e-18);
        assertThrows(IllegalArgumentException.class, () -> LearningRate.stableThenCosine(1e-3, 1000, 0));
        // a decay over the final 0.3 of 1000 steps is the same schedule; share 0, or one that rounds
        // to no step, is constant; a share outside [0, 1] or a decay without the run's length is refused
        LearningRate share = LearningRate.decayOverFinalShare(1e-3, 0.3, 1000);
        assertEquals(1e-3, share.at(699));
        assertEquals(0.5e-3, share.at(850), 1e-15);
        assertEquals(tail.at(999), share.at(999));
        assertEquals(1e-3, LearningRate.decayOverFinalShare(1e-3, 0.0, 1000).at(999));
        assertEquals(1e-3, LearningRate.decayOverFinalShare(1e-3, 0.25, 1).at(0));     // round(0.25) = 0 steps
        assertEquals(1e-3, LearningRate.decayOverFinalShare(1e-3, 0.0, 0).at(5));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.decayOverFinalShare(1e-3, 1.5, 1000));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.decayOverFinalShare(1e-3, -0.1, 1000));
        assertThrows(IllegalArgumentException.class, () -> LearningRate.decayOverFinalShare(1e-3, 0.3, 0));
    }

    @Test
    void clipGradNormScalesToTheBoundAndReturnsThePreClipNorm() {
        Tensor a = Tensor.of(new double[] {3.0}, 1).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {1.0, 1.0}, 2).requiresGrad(true);
        a.mul(3.0).sum().add(b.mul(Tensor.of(new double[] {4.0, 0.0}, 2)).sum()).backward();   // grads 3, (4, 0)
        double n = GradClip.clipGradNorm(java.util.List.of(a, b), 1.0);
        assertEquals(5.0, n, 1e-15);
        double s = 1.0 / (5.0 + 1e-6);
        assertArrayEquals(new double[] {3 * s}, a.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {4 * s, 0}, b.grad().toDoubleArray(), 1e-15);
        assertEquals(1.0, GradClip.clipGradNorm(java.util.List.of(a, b), 10.0), 1e-5);     // below the bound: unchanged
    }

    private static final double[][] HGRADS = {{0.3, -0.7}, {1.2, 0.4}, {-0.6, 0.9}, {0.8, -0.2}, {0.05, -1.5}};

    /**
     * a = (1, -2) and b = (0.5, 3); the loss at step k is {@code <g_k, a> + <h_k, b>}, b taking part
     * from step {@code bFrom} (0-based) on. Returns (a, b) after each step.
     */
    private static double[][] runTwo(Function<Map<String, Tensor>, Optimizer<?>> make, int steps, int bFrom) {
        Tensor a = Tensor.of(new double[] {1.0, -2.0}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {0.5, 3.0}, 2).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("a", a);
        params.put("b", b);
        Optimizer<?> opt = make.apply(params);
        double[][] out = new double[steps][];
        for (int k = 0; k < steps; k++) {
            opt.zeroGrad();
            Tensor loss = Tensor.of(GRADS[k], 2).mul(a).sum();
            if (k >= bFrom) {
                loss = loss.add(Tensor.of(HGRADS[k], 2).mul(b).sum());
            }
            loss.backward();
            opt.step();
            double[] av = a.toDoubleArray();
            double[] bv = b.toDoubleArray();
            out[k] = new double[] {av[0], av[1], bv[0], bv[1]};
        }
        return out;
    }

    private static Map<String, Tensor> only(Map<String, Tensor> params, String name) {
        return Map.of(name, params.get(name));
    }

    @Test
    void aParameterThatStartsLateGetsItsOwnFirstBiasCorrection() {
        // b's first gradient comes at step 3: torch gives it t = 1 there, so its first update is
        // -lr sign(h) (1 - eps/|h|) like a's first: 0.5 - 0.01 (1 - 1e-8 / 0.6), 3 - 0.01 (1 - 1e-8 / 0.9)
        assertSteps(new double[][] {
            {0.9900000002, -1.9900000001, 0.5, 3.0},
            {0.9806655204187767, -1.9936560772102605, 0.5, 3.0},
            {0.9841255405160899, -1.998373247105109, 0.5099999998333333, 2.9900000001111113},
            {0.9834589971044249, -2.0042063065888596, 0.5080661202890485, 2.9850640301183615}},
            runTwo(ps -> new Adam(ps, LearningRate.constant(0.01), Adam.Options.adam().withBetas(0.9, 0.99)), 4, 2));
    }

    @Test
    void parameterGroupsHaveTheirOwnRateBetasAndDecay() {
        // group 1 (b): lr 0.05, betas (0.5, 0.9), no decay; step 1 is -0.05 sign(h) (1 - eps/|h|)
        assertSteps(new double[][] {
            {0.9890000002, -1.9880000001, 0.45000000166666665, 3.0499999992857143},
            {0.9786765204185768, -1.9896680772101605, 0.39970501441871215, 3.0470366127291393},
            {0.9811578639954713, -1.9923955790277987, 0.39702218585300414, 3.009604294284606}},
            runTwo(ps -> new Adam(List.of(
                    new ParamGroup<>(only(ps, "a"), LearningRate.constant(0.01),
                            Adam.Options.adamW().withBetas(0.9, 0.99).withWeightDecay(0.1)),
                    new ParamGroup<>(only(ps, "b"), LearningRate.constant(0.05),
                            Adam.Options.adamW().withBetas(0.5, 0.9).withWeightDecay(0)))), 3, 0));
    }

    @Test
    void amsgradKeepsTheLargestSecondMoment() {
        // a's first three steps equal plain Adam's (v grows); from step 4 v_max > v changes the step
        assertSteps(new double[][] {
            {0.9900000001666667, -1.9900000000833333, 0.4900000002857143, 3.00999999975},
            {0.9804551426577219, -1.9924773474944744, 0.4810444933516367, 3.006859222612392},
            {0.982905961199474, -1.9959147595807563, 0.47716646085607833, 3.000219490999366},
            {0.9812174701828477, -2.00053492157032, 0.4714492440633664, 2.9943957137778767},
            {0.9809407237543997, -2.0051052584280185, 0.4663086152375711, 2.994075866512226}},
            runTwo(ps -> new Adam(ps, LearningRate.constant(0.01),
                    new Adam.Options(0.9, 0.99, 1e-8, 0.1, false, true, false)), 5, 0));
    }

    @Test
    void adamWMaximizeWithAmsgradAscends() {
        // step 1: a = a (1 - 0.001) + 0.01 sign(g) (1 - 1e-8 / |g|) = (1.009, -2.008); b has no gradient yet
        assertSteps(new double[][] {
            {1.0089999998, -2.0079999999, 0.5, 3.0},
            {1.0173254795814235, -2.002335922789839, 0.5094999999166666, 3.00699999975},
            {1.012848134004529, -1.995616416972201, 0.5116574941793737, 3.0134993997862187},
            {1.0125018292821895, -1.9877877410714782, 0.5161950276148196, 3.0164293982368084},
            {1.0106382576998456, -1.9799029282119327, 0.5199894675849285, 3.0112980214516387}},
            runTwo(ps -> new Adam(ps, LearningRate.constant(0.01),
                    new Adam.Options(0.9, 0.99, 1e-8, 0.1, true, true, true)), 5, 1));
    }

    @Test
    void theGroupedAndMaximizingRulesTakeTheSameStepsOnTheSimdBackend() {
        try (var scope = Backends.use(new SimdBackend(2))) {
            aParameterThatStartsLateGetsItsOwnFirstBiasCorrection();
            adamWMaximizeWithAmsgradAscends();
        }
    }

    @Test
    void optimizerStateMirrorsTorchsAndRoundTrips() {
        Tensor p = Tensor.of(new double[] {1.0, -2.0}, 2).requiresGrad(true);
        Tensor q = Tensor.of(new double[] {3.0}, 1).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("p", p);
        params.put("q", q);
        Adam opt = Adam.adam(params, 0.01);
        p.sum().backward();
        opt.step();
        OptimizerStateDict state = opt.stateDict();
        // torch: {0: {step, exp_avg, exp_avg_sq}} (q never updated: no entry), one group with params [0, 1]
        assertEquals(List.of(0), List.copyOf(state.state().keySet()));
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(state.state().get(0).keySet()));
        assertEquals(1.0, state.state().get(0).get("step").item());
        Map<String, Object> group = state.paramGroups().get(0);
        assertEquals(List.of("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable",
                "differentiable", "fused", "params", "param_names"), List.copyOf(group.keySet()));
        assertEquals(List.of(0, 1), group.get("params"));
        Adam other = Adam.adam(params, 0.01);
        other.loadStateDict(state);
        assertEquals(1, other.stepCount());
        assertEquals(1, other.parameterStep("p"));
        assertEquals(0, other.parameterStep("q"));
        double[] saved = state.state().get(0).get("exp_avg").toDoubleArray();
        p.sum().backward();
        other.step();                     // updates its moments in place: copies, not the given tensors
        assertArrayEquals(saved, state.state().get(0).get("exp_avg").toDoubleArray(), 0.0);
        Map<Integer, Map<String, Tensor>> bad = new LinkedHashMap<>(state.state());
        bad.put(2, Map.of("step", Tensor.of(new double[] {1}), "exp_avg", p));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.loadStateDict(new OptimizerStateDict(bad, state.paramGroups(), 1)));
        assertEquals(true, e.getMessage().contains("index 2"), e.getMessage());
        Adam onlyP = Adam.adam(Map.of("p", p), 0.01);
        e = assertThrows(IllegalArgumentException.class, () -> onlyP.loadStateDict(state));
        assertEquals(true, e.getMessage().contains("group 0 has 2 parameters"), e.getMessage());
    }

    @Test
    void aParameterInTwoGroupsIsRejected() {
        Tensor p = Tensor.of(new double[] {1.0}, 1).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(
                new ParamGroup<>(Map.of("p", p), LearningRate.constant(0.1), Adam.Options.adam()),
                new ParamGroup<>(Map.of("p", p), LearningRate.constant(0.1), Adam.Options.adam()))));
    }
}
