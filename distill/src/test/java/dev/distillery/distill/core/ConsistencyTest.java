package dev.distillery.distill.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.DType;
import dev.distillery.autograd.Tensor;
import dev.distillery.diffusion.schedule.EdmConfig;
import dev.distillery.diffusion.schedule.KarrasSigmas;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Consistency models on data with a closed-form probability-flow ODE.
 *
 * <p><b>Derivation (single Gaussian N(mu, s^2) per coordinate, EDM view).</b> The noisy marginal at
 * noise level t is {@code x_t = x_0 + t n ~ N(mu, s^2 + t^2)}, so the denoiser is the Gaussian posterior
 * mean {@code D(x; t) = mu + s^2/(s^2 + t^2) (x - mu)} and the PF-ODE {@code dx/dt = (x - D(x; t))/t}
 * (MATH.md section 4) reads, with {@code y = x - mu},
 * <pre>
 *   dy/dt = t y / (s^2 + t^2)   =>   d log y / dt = (1/2) d log(s^2 + t^2)/dt
 *   =>   y(t') = y(t) sqrt(s^2 + t'^2) / sqrt(s^2 + t^2).
 * </pre>
 * So the exact consistency function (map to time eps) is
 * {@code f*(x, t) = mu + (x - mu) sqrt(s^2 + eps^2)/sqrt(s^2 + t^2)}, which satisfies {@code f*(x, eps) = x}
 * and is constant along every ODE solution. A model {@code f = c_skip x + c_out F} equals f* when
 * {@code F = (f* - c_skip x)/c_out} (t &gt; eps). With the exact ODE step as the teacher solver, the
 * consistency-distillation loss {@code d(f(x_{t_{n+1}}, t_{n+1}), f(x^phi_{t_n}, t_n))} is then zero up to
 * rounding for every distance.
 */
class ConsistencyTest extends ScalarBackendTest {
    private static final double MU = 0.7;
    private static final double S = 0.4;
    private final ConsistencyParameterization p = ConsistencyParameterization.DEFAULTS;

    private Tensor exactF(Tensor x, double t) {
        return x.sub(MU).mul(Math.sqrt(S * S + p.epsilon() * p.epsilon()) / Math.sqrt(S * S + t * t)).add(MU);
    }

    /** The network output that makes the parameterized model the exact consistency function. */
    private Tensor exactNetwork(Tensor x, double t) {
        return exactF(x, t).sub(x.mul(p.cSkip(t))).div(p.cOut(t));
    }

    private Tensor exactOdeStep(Tensor x, double from, double to) {
        return x.sub(MU).mul(Math.sqrt(S * S + to * to) / Math.sqrt(S * S + from * from)).add(MU);
    }

    private Tensor eulerOdeStep(Tensor x, double from, double to) {
        Tensor denoised = x.sub(MU).mul(S * S / (S * S + from * from)).add(MU);
        return x.add(x.sub(denoised).div(from).mul(to - from));
    }

    private double cdLoss(int n, boolean exactTeacher, boolean exactModel, Distance d) {
        double[] times = ConsistencyParameterization.karrasTimes(n, EdmConfig.DEFAULTS);
        Tensor x0 = Tensor.randn(DType.F64, 3L, 0, 64, 2).mul(S).add(MU);
        double total = 0;
        for (int k = 0; k + 1 < n; k++) {
            double tn = times[k];
            double tn1 = times[k + 1];
            Tensor xt = x0.add(Tensor.randn(DType.F64, 4L + k, 0, 64, 2).mul(tn1));
            Tensor teacher = exactTeacher ? exactOdeStep(xt, tn1, tn) : eulerOdeStep(xt, tn1, tn);
            Tensor online = p.apply(xt, tn1, exactModel ? exactNetwork(xt, tn1) : xt.zerosLike());
            Tensor target = tn == p.epsilon() ? teacher
                    : p.apply(teacher, tn, exactModel ? exactNetwork(teacher, tn) : teacher.zerosLike());
            total += ConsistencyParameterization.consistencyLoss(online, target, d, 1.0).item();
        }
        return total / (n - 1);
    }

    @Test
    void consistencyLossIsZeroForTheExactConsistencyFunctionOfAGaussian() {
        for (Distance d : List.of(Distance.l2(), Distance.l1(), Distance.pseudoHuberFor(2))) {
            double exact = cdLoss(18, true, true, d);
            double wrong = cdLoss(18, true, false, d);
            System.out.printf("CD loss, exact model %.3e, F = 0 model %.3e%n", exact, wrong);
            assertTrue(exact < 1e-12, "exact consistency function: " + exact);
            assertTrue(wrong > 1e-3, "a wrong model is penalized: " + wrong);
        }
    }

    /** With the seed's Euler teacher step the exact f is only consistent up to the solver's local error O(dt^2). */
    @Test
    void eulerTeacherLossShrinksWhenTheGridIsRefined() {
        double coarse = cdLoss(18, false, true, Distance.l2());
        double fine = cdLoss(72, false, true, Distance.l2());
        System.out.printf("CD loss with Euler teacher: N=18 %.3e, N=72 %.3e%n", coarse, fine);
        assertTrue(fine < coarse / 4, coarse + " -> " + fine);
    }

    /**
     * Reading a denoiser's x_hat through EDM's preconditioning: {@code f = c_skip x + (1 - eps/t)
     * (x_hat - c_skip^EDM x)} (closed form), {@code f(x, eps) = x} exactly (I15), and with eps = 0
     * {@code f = x_hat} up to rounding (a few ulps of the terms: tolerance 1e-12 in F64).
     */
    @Test
    void denoiserOutputReadThroughEdmPreconditioning() {
        Tensor x = Tensor.randn(DType.F64, 6L, 0, 4, 2);
        Tensor xHat = Tensor.randn(DType.F64, 7L, 0, 4, 2);
        double sd = p.sigmaData();
        double eps = p.epsilon();
        double[] t = {eps, 0.01, 0.5, 80.0};
        double[] f = p.apply(x, Tensor.of(DType.F64, t, 4), p.outputFromDenoiser(x, t, xHat)).toDoubleArray();
        double[] xs = x.toDoubleArray();
        double[] hs = xHat.toDoubleArray();
        for (int i = 0; i < 4; i++) {
            double skip = sd * sd / ((t[i] - eps) * (t[i] - eps) + sd * sd);
            double skipEdm = sd * sd / (t[i] * t[i] + sd * sd);
            for (int j = 0; j < 2; j++) {
                double want = skip * xs[2 * i + j] + (1 - eps / t[i]) * (hs[2 * i + j] - skipEdm * xs[2 * i + j]);
                assertEquals(want, f[2 * i + j], 1e-12, "t = " + t[i]);
            }
        }
        assertEquals(xs[0], f[0], 0.0, "f(x, eps) = x exactly");
        assertEquals(xs[1], f[1], 0.0, "f(x, eps) = x exactly");
        ConsistencyParameterization noShift = new ConsistencyParameterization(sd, 0.0);
        double[] t0 = {0.01, 0.5, 3.0, 80.0};
        double[] g = noShift.apply(x, Tensor.of(DType.F64, t0, 4), noShift.outputFromDenoiser(x, t0, xHat)).toDoubleArray();
        assertArrayEquals(hs, g, 1e-12, "without the boundary shift f is the denoiser itself");
    }

    @Test
    void exactConsistencyFunctionIsTheIdentityAtEpsilon() {
        Tensor x = Tensor.randn(DType.F64, 5L, 0, 3, 2);
        assertArrayEquals(x.toDoubleArray(), exactF(x, p.epsilon()).toDoubleArray(), 1e-15);
        assertArrayEquals(x.toDoubleArray(), p.apply(x, p.epsilon(), x.mul(1e6)).toDoubleArray(), 0.0);
    }

    @Test
    void karrasTimesAscendFromEpsToTExactly() {
        double[] t = ConsistencyParameterization.karrasTimes(18, EdmConfig.DEFAULTS);
        double[] levels = KarrasSigmas.levels(18);
        assertEquals(0.002, t[0], 0.0);
        assertEquals(80.0, t[17], 0.0);
        for (int i = 0; i < 18; i++) {
            assertEquals(levels[17 - i], t[i], 0.0);
        }
    }

    @Test
    void curriculaStartAndEndWhereThePapersSay() {
        assertEquals(2, ConsistencyParameterization.consistencyTrainingSteps(0, 1000, 2, 150));
        assertEquals(151, ConsistencyParameterization.consistencyTrainingSteps(1000, 1000, 2, 150));
        assertEquals(11, ConsistencyParameterization.improvedConsistencyTrainingSteps(0, 400_000, 10, 1280));
        assertEquals(21, ConsistencyParameterization.improvedConsistencyTrainingSteps(50_000, 400_000, 10, 1280));
        assertEquals(1281, ConsistencyParameterization.improvedConsistencyTrainingSteps(400_000, 400_000, 10, 1280));
    }

    @Test
    void distancesHaveTheirDefiningValues() {
        Tensor a = Tensor.of(new double[] {3.0, 4.0}, 1, 2);
        Tensor zero = a.zerosLike();
        assertEquals(25.0, Distance.l2().mean(a, zero).item(), 0.0);
        assertEquals(7.0, Distance.l1().mean(a, zero).item(), 0.0);
        assertEquals(Math.sqrt(25.0 + 0.01) - 0.1, Distance.pseudoHuber(0.1).mean(a, zero).item(), 1e-15);
        assertEquals(0.00054 * Math.sqrt(3072.0), 0.0299, 1e-4);
        // LPIPS stand-in with the identity as the only layer: mean squared difference
        FeatureDistance identity = new FeatureDistance(x -> List.of(x), false);
        assertEquals(12.5, identity.mean(a, zero).item(), 0.0);
        // unit-normalized features compare directions only
        FeatureDistance normalized = new FeatureDistance(x -> List.of(x), true);
        assertEquals(0.0, normalized.mean(a, a.mul(7.0)).item(), 1e-15);
    }
}
