package dev.distillery.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.autograd.Backends;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.simd.SimdBackend;
import dev.distillery.autograd.ScalarBackendExtension;

import java.util.LinkedHashMap;
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

    private static double[][] run(Function<Map<String, Tensor>, Optimizer> make, int steps) {
        Tensor p = Tensor.of(new double[] {1.0, -2.0}, 2).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("p", p);
        Optimizer opt = make.apply(params);
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

    @Test
    void optimizerStateRoundTripsAndRejectsForeignEntries() {
        Tensor p = Tensor.of(new double[] {1.0, -2.0}, 2).requiresGrad(true);
        Map<String, Tensor> params = Map.of("p", p);
        Adam opt = Adam.adam(params, 0.01);
        p.sum().backward();
        opt.step();
        Map<String, Tensor> state = opt.stateDict();
        assertEquals(java.util.List.of("step", "exp_avg.p", "exp_avg_sq.p"), java.util.List.copyOf(state.keySet()));
        Adam other = Adam.adam(params, 0.01);
        other.loadStateDict(state);
        assertEquals(1, other.stepCount());
        double[] saved = state.get("exp_avg.p").toDoubleArray();
        p.sum().backward();
        other.step();                     // updates its moments in place: copies, not the given tensors
        assertArrayEquals(saved, state.get("exp_avg.p").toDoubleArray(), 0.0);
        Map<String, Tensor> bad = new LinkedHashMap<>(state);
        bad.put("exp_avg.q", p);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(bad));
        assertEquals(true, e.getMessage().contains("exp_avg.q"));
    }
}
