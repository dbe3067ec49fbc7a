package dev.distillery.distill.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.autograd.Autograd;
import dev.distillery.autograd.Backends;
import dev.distillery.autograd.DType;
import dev.distillery.autograd.GradCheck;
import dev.distillery.autograd.Tensor;
import dev.distillery.autograd.random.Rng;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * R1 and WGAN-GP on a tiny two-layer discriminator {@code D(x) = tanh(x w1p + b1) w2} built from raw
 * tensors: values against the closed-form input gradient, parameter gradients (a double backward)
 * against finite differences, and the 1-Lipschitz cases.
 */
class GradientPenaltyTest {
    private Backends.Scope scope;
    private Tensor x0;
    private Tensor w1p;
    private Tensor b1p;
    private Tensor w2p;

    @BeforeEach
    void scalar() {
        scope = Backends.use(Backends.scalar());
        x0 = Tensor.randn(DType.F64, 11L, 0, 3, 2);
        w1p = Tensor.randn(DType.F64, 12L, 0, 2, 4);
        b1p = Tensor.randn(DType.F64, 13L, 0, 4);
        w2p = Tensor.randn(DType.F64, 14L, 0, 4, 1);
    }

    @AfterEach
    void restore() {
        scope.close();
    }

    private static Function<Tensor, Tensor> discriminator(Tensor w1, Tensor b1, Tensor w2) {
        return x -> x.matmul(w1).add(b1).tanh().matmul(w2);
    }


    /** R1 = gamma/2 mean_b ||grad_x D(x_b)||^2 with grad_x D = w1p ((1 - h^2) * w2), h = tanh(x w1p + b1). */
    @Test
    void r1ValueEqualsTheClosedFormInputGradient() {
        double gamma = 0.7;
        double[] x = x0.toDoubleArray();
        double[] w1 = w1p.toDoubleArray();
        double[] b1 = b1p.toDoubleArray();
        double[] w2 = w2p.toDoubleArray();
        double total = 0;
        for (int b = 0; b < 3; b++) {
            double[] grad = new double[2];
            for (int k = 0; k < 4; k++) {
                double h = Math.tanh(x[2 * b] * w1[k] + x[2 * b + 1] * w1[4 + k] + b1[k]);
                double back = (1 - h * h) * w2[k];
                grad[0] += w1[k] * back;
                grad[1] += w1[4 + k] * back;
            }
            total += grad[0] * grad[0] + grad[1] * grad[1];
        }
        double want = gamma / 2 * total / 3;
        double got = GradientPenalty.r1(x0, discriminator(w1p, b1p, w2p), gamma).item();
        assertEquals(want, got, 1e-14 * want);
    }

    @Test
    void r1GradientWithRespectToDiscriminatorParametersMatchesFiniteDifferences() {
        GradCheck.Report report = GradCheck.first(
                p -> GradientPenalty.r1(x0, discriminator(p.get(0), p.get(1), p.get(2)), 1.3),
                List.of(w1p, b1p, w2p), GradCheck.Tolerance.DEFAULT);
        System.out.println("R1 " + report);
        assertTrue(report.passed(), report.toString());
        assertTrue(report.maxAbsError() < 1e-8, report.toString());
    }

    /** On features: the penalty is taken at the head's input; the frozen feature map gets no gradient. */
    @Test
    void r1OnFeaturesDependsOnTheHeadOnly() {
        Tensor featureWeights = Tensor.randn(DType.F64, 15L, 0, 2, 2).requiresGrad(true);
        Tensor w1 = w1p.detach().requiresGrad(true);
        Tensor features = x0.matmul(featureWeights);
        Tensor penalty = GradientPenalty.r1(features, discriminator(w1, b1p, w2p), 1.0);
        List<Tensor> g = Autograd.grad(List.of(penalty), List.of(w1, featureWeights), null, false);
        assertTrue(max(g.get(0)) > 0, "head weights get a gradient");
        assertEquals(0.0, max(g.get(1)), "the feature network is not differentiated through");
    }

    @Test
    void wganGpIsZeroForAUnitNormLinearCriticAndLambdaForNormTwo() {
        Tensor real = Tensor.randn(DType.F64, 21L, 0, 5, 3);
        Tensor fake = Tensor.randn(DType.F64, 22L, 0, 5, 3);
        double[] w = {0.48, -0.6, 0.64};   // ||w|| = 1 exactly in real arithmetic
        Tensor unit = Tensor.of(w, 3, 1);
        Rng rng = new Rng(7L);
        double zero = GradientPenalty.wganGp(real, fake, rng, x -> x.matmul(unit), 10.0).item();
        assertTrue(zero <= 1e-20, "penalty of a 1-Lipschitz critic with unit gradient: " + zero);
        Tensor two = unit.mul(2.0);
        double lambda = GradientPenalty.wganGp(real, fake, rng, x -> x.matmul(two), 10.0).item();
        assertEquals(10.0, lambda, 1e-10);
    }

    @Test
    void wganGpGradientWithRespectToCriticParametersMatchesFiniteDifferences() {
        Tensor real = Tensor.randn(DType.F64, 31L, 0, 3, 2);
        Tensor fake = Tensor.randn(DType.F64, 32L, 0, 3, 2);
        Tensor u = Tensor.rand(DType.F64, 33L, 0, 3);
        GradCheck.Report report = GradCheck.first(
                p -> GradientPenalty.wganGp(real, fake, u, discriminator(p.get(0), p.get(1), p.get(2)), 10.0),
                List.of(w1p, b1p, w2p), GradCheck.Tolerance.DEFAULT);
        assertTrue(report.passed(), report.toString());
    }

    private static double max(Tensor t) {
        double m = 0;
        for (double v : t.toDoubleArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
